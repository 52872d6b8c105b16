package load

import (
	"bytes"
	"fmt"
	"image/png"
	"strconv"

	"stegocloud/harness/experiment"
	"stegocloud/stego/imagegen"
)

// GenerateImages draws n photo-like w × h cover images from seed and encodes
// them as PNG. The same arguments always give the same bytes: image i comes
// from its own sub-seed, so growing the pool keeps the images already in it.
func GenerateImages(w, h, n int, seed int64) ([][]byte, error) {
	if w < 1 || h < 1 || n < 1 {
		return nil, fmt.Errorf("generating request images: %w: want width, height and count ≥ 1, got %d×%d ×%d", experiment.ErrBadValue, w, h, n)
	}
	out := make([][]byte, n)
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	for i := range out {
		img := imagegen.PhotoLike(w, h, int64(experiment.SubSeed(seed, "image/"+strconv.Itoa(i))))
		var buf bytes.Buffer
		if err := enc.Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("generating request image %d: %w", i, err)
		}
		out[i] = buf.Bytes()
	}
	return out, nil
}

// ImagesFor builds the pool an experiment asks for: images generated from the
// seed, or read from workload.image.dir.
func ImagesFor(e *experiment.Experiment, seed int64) (*ImagePool, error) {
	w := &e.Workload
	var images [][]byte
	var err error
	if w.Image.Dir != "" {
		images, err = ReadImageDir(w.Image.Dir, w.Images)
	} else {
		images, err = GenerateImages(w.Image.Width, w.Image.Height, w.Images, seed)
	}
	if err != nil {
		return nil, err
	}
	return NewImagePool(images, w.Usernames, w.Quota, seed)
}
