package stego

import (
	"errors"
	"image"
	"reflect"
	"strings"
	"testing"

	"stegocloud/stego/stegotest"
)

// fuzzCodec keeps decoded images small so that the fuzzer spends its time on
// parsing, not on allocating large images that headers announce.
func fuzzCodec(f *testing.F) *Codec {
	cfg := DefaultConfig()
	cfg.MaxPixels = 1 << 16
	c, err := New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// knownError reports whether err wraps one of the package's sentinels.
func knownError(err error) bool {
	for _, s := range []error{ErrNotImage, ErrTooLarge, ErrCapacity, ErrNoPayload, ErrUnsupported,
		ErrCorrupt, ErrSealed, ErrAuth, ErrKey, ErrInvalidMetadata} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func fuzzSeedImages(f *testing.F) [][]byte {
	m := Metadata{Usernames: []string{"alice", "bob"}, Quota: 5}
	var seeds [][]byte
	for _, model := range stegotest.Models() {
		cover, err := model.Encode(stegotest.PhotoLike(24, 12, 1))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, cover)
	}
	cover := seeds[0]
	for _, key := range [][]byte{nil, testKey(1)} {
		out, err := Hide(cover, m, key)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, out)
	}
	return seeds
}

// FuzzReveal feeds arbitrary bytes to the decoder and extractor, with and
// without a key: any error must be one of ours, and any success must be
// valid metadata.
func FuzzReveal(f *testing.F) {
	c := fuzzCodec(f)
	for _, s := range fuzzSeedImages(f) {
		f.Add(s)
	}
	f.Add([]byte(pngSignature))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, key := range [][]byte{nil, testKey(1)} {
			m, err := c.Reveal(data, key)
			if err != nil {
				if !knownError(err) {
					t.Fatalf("Reveal(key=%v) error %v wraps none of the package's sentinels", key != nil, err)
				}
				continue
			}
			if verr := m.Validate(); verr != nil {
				t.Fatalf("Reveal returned invalid metadata %+v: %v", m, verr)
			}
		}
	})
}

// FuzzExtract builds NRGBA images from fuzz bytes (size from the first two
// bytes, pixels from the rest, repeated) and extracts from them.
func FuzzExtract(f *testing.F) {
	frame, err := MarshalFrame(Metadata{Usernames: []string{"a"}, Quota: 1}, nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 16, 8))
	if err := EmbedFrame(img, frame); err != nil {
		f.Fatal(err)
	}
	f.Add(append([]byte{16, 8}, img.Pix...))
	f.Add([]byte{0, 0})
	f.Add([]byte{255, 255, 1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		w, h := int(data[0])%64+1, int(data[1])%64+1
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		if src := data[2:]; len(src) > 0 {
			for i := range img.Pix {
				img.Pix[i] = src[i%len(src)]
			}
		}
		for _, key := range [][]byte{nil, testKey(1)} {
			m, err := Extract(img, key)
			if err != nil {
				if !knownError(err) {
					t.Fatalf("Extract(%d×%d) error %v wraps none of the package's sentinels", w, h, err)
				}
				continue
			}
			if verr := m.Validate(); verr != nil {
				t.Fatalf("Extract returned invalid metadata %+v: %v", m, verr)
			}
		}
	})
}

// FuzzRoundTrip hides fuzzed metadata (usernames split on NUL) in a cover
// large enough for any valid metadata; valid metadata must come back equal,
// invalid metadata must be refused with ErrInvalidMetadata.
func FuzzRoundTrip(f *testing.F) {
	f.Add("alice\x00bob", 5, false)
	f.Add("zoë\x00李", 0, true)
	f.Add("", -1, false)
	f.Add("a\x00a", 1, true)
	f.Add("\xff", 1, false)
	img := stegotest.PhotoLike(256, 256, 1)
	key := testKey(9)
	f.Fuzz(func(t *testing.T, names string, quota int, sealed bool) {
		m := Metadata{Usernames: strings.Split(names, "\x00"), Quota: quota}
		k := []byte(nil)
		if sealed {
			k = key
		}
		stego := ToNRGBA(img)
		_, err := defaultCodec.Embed(stego, m, k)
		if verr := m.Validate(); verr != nil {
			if !errors.Is(err, ErrInvalidMetadata) && !errors.Is(err, ErrCapacity) {
				t.Fatalf("Embed(%+v) = %v, want ErrInvalidMetadata (Validate says %v)", m, err, verr)
			}
			return
		}
		var ce *CapacityError
		if errors.As(err, &ce) {
			return // valid but larger than this cover: nothing to compare
		}
		if err != nil {
			t.Fatalf("Embed(valid %+v): %v", m, err)
		}
		got, err := Extract(stego, k)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("Extract = %+v, %v; want %+v", got, err, m)
		}
	})
}
