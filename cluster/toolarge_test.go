package cluster

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"stegocloud/stego"
	"stegocloud/stego/imagegen"
)

// noise is an image no compressor can shrink: the worst case for the
// answer's size.
func noise(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Uint32())
	}
	if !alpha {
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 0xff
		}
	}
	return img
}

// pngBound holds for what stego really writes, and is tight (within 1%)
// for the transparent case it assumes for PNG covers.
func TestPNGBoundHoldsForRealAnswers(t *testing.T) {
	for _, c := range []struct {
		w, h  int
		alpha bool
		jpeg  bool
	}{{40, 40, true, false}, {300, 200, true, false}, {500, 400, true, false}, {640, 480, false, false}, {800, 600, false, true}} {
		var cover bytes.Buffer
		var err error
		if c.jpeg {
			err = jpeg.Encode(&cover, noise(c.w, c.h, false), &jpeg.Options{Quality: 100})
		} else {
			err = png.Encode(&cover, noise(c.w, c.h, c.alpha))
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := stego.Hide(cover.Bytes(), testMeta, nil)
		if err != nil {
			t.Fatal(err)
		}
		channels := 4
		if c.jpeg {
			channels = 3
		}
		bound := pngBound(c.w, c.h, channels)
		if int64(len(out)) > bound {
			t.Errorf("%d×%d (alpha %v, jpeg %v): answer of %d bytes exceeds the bound %d", c.w, c.h, c.alpha, c.jpeg, len(out), bound)
		}
		if (c.alpha || c.jpeg) && float64(bound-int64(len(out))) > 0.01*float64(len(out))+4096 {
			t.Errorf("%d×%d: bound %d is loose for an answer of %d bytes", c.w, c.h, bound, len(out))
		}
	}
}

// pngHeader is the start of a PNG that claims w×h (signature and IHDR):
// enough for its header to be read, nothing to decode.
func pngHeader(w, h int) []byte {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter method, no interlace
	b := append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

func TestCheckFits(t *testing.T) {
	big, small := pngHeader(8000, 6000), pngHeader(100, 100)
	err := StegoCodec{}.CheckFits(big, 64<<20)
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "8000×6000") {
		t.Errorf("CheckFits(8000×6000 png, 64 MiB) = %v, want ErrRejected naming the size", err)
	}
	if err := (StegoCodec{}).CheckFits(small, 64<<20); err != nil {
		t.Errorf("CheckFits(100×100 png) = %v, want nil", err)
	}
	if err := (StegoCodec{}).CheckFits([]byte("not an image"), 1); err != nil {
		t.Errorf("CheckFits(not an image) = %v, want nil (the service rejects it)", err)
	}
}

// A cover whose answer could not fit in the client's frame limit is refused
// at once with a clear reason, and never served: before, every attempt was
// served in full and its answer dropped by the client as too large.
func TestAnswerTooLargeForTheClientIsRefusedUpFront(t *testing.T) {
	defer goleak.VerifyNone(t)
	tc := newTestCluster(t, 2, nil)
	tc.svc = CodecService{Codec: StegoCodec{}}
	defer tc.stopAll()
	tc.startAll()
	tc.waitAgree(5 * time.Second)
	var cover bytes.Buffer
	if err := png.Encode(&cover, imagegen.PhotoLike(400, 300, 1)); err != nil {
		t.Fatal(err)
	}
	cl := tc.client(ClientConfig{Codec: StegoCodec{}, MaxFrame: 256 << 10, Timeout: 2 * time.Second, Retries: 2})
	start := time.Now()
	_, err := cl.Encrypt(context.Background(), cover.Bytes(), testMeta)
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "400×300") {
		t.Fatalf("Encrypt of a 400×300 cover with a 256 KiB frame limit: %v, want ErrRejected naming the size", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the refusal took %v, want it at once", took)
	}
	for id, st := range tc.statuses() {
		if st.Processed != 0 || st.Pending != 0 {
			t.Errorf("node %d: processed %d, pending %d; want the request never served nor held", id, st.Processed, st.Pending)
		}
	}
	t.Logf("refused: %v", err)
}
