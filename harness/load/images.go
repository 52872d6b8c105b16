package load

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // cover images may be JPEG; the service outputs PNG
	_ "image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"stegocloud/harness/experiment"
	"stegocloud/stego"
)

// ImagePool is the set of cover images a run sends and the metadata of each
// request, both fixed by the seed: request seq gets image seq mod Len and
// usernames drawn from (seed, seq), so any request can be rebuilt from its
// sequence number alone (the checker does that to verify responses).
type ImagePool struct {
	images    [][]byte
	usernames int
	quota     int
	nameSeed  uint64
}

// NewImagePool serves images (encoded PNG or JPEG, shared read-only) with
// usernames names and the given quota per request.
func NewImagePool(images [][]byte, usernames, quota int, seed int64) (*ImagePool, error) {
	if len(images) == 0 {
		return nil, fmt.Errorf("building image pool: %w", ErrNoImages)
	}
	if usernames < 1 || quota < 0 {
		return nil, fmt.Errorf("building image pool: %w: want usernames ≥ 1 and quota ≥ 0, got %d and %d", experiment.ErrBadValue, usernames, quota)
	}
	return &ImagePool{images: images, usernames: usernames, quota: quota, nameSeed: experiment.SubSeed(seed, "usernames")}, nil
}

// Len is the number of distinct images.
func (p *ImagePool) Len() int { return len(p.images) }

// Request returns request seq's image and metadata.
func (p *ImagePool) Request(seq uint64) ([]byte, stego.Metadata) {
	return p.images[seq%uint64(len(p.images))], p.Metadata(seq)
}

// Metadata is what request seq hides: its own usernames and the quota.
func (p *ImagePool) Metadata(seq uint64) stego.Metadata {
	names := make([]string, p.usernames)
	for i := range names {
		names[i] = experiment.Username(p.nameSeed, seq, i)
	}
	return stego.Metadata{Usernames: names, Quota: p.quota}
}

// ReadImageDir reads up to n PNG or JPEG files from dir, in name order, and
// checks that each decodes; other files are ignored.
func ReadImageDir(dir string, n int) ([][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("loading request images: %w", err)
	}
	var names []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.Type().IsRegular() && (ext == ".png" || ext == ".jpg" || ext == ".jpeg") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("loading request images: %w: no .png or .jpg files in %s", ErrNoImages, dir)
	}
	var out [][]byte
	for _, name := range names[:min(n, len(names))] {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("loading request images: %w", err)
		}
		if _, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("loading request images: %s: %w: %v", path, ErrNoImages, err)
		}
		out = append(out, data)
	}
	return out, nil
}
