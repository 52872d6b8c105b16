package stego

import (
	"errors"
	"image"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"stegocloud/stego/imagegen"
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
	m := Metadata{ID: "f", Usernames: []string{"alice", "bob"}, Quota: 5}
	var seeds [][]byte
	for _, model := range stegotest.Models() {
		cover, err := model.Encode(imagegen.PhotoLike(24, 12, 1))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, cover)
	}
	for _, cover := range seeds[:len(seeds):len(seeds)] {
		for _, key := range [][]byte{nil, testKey(1)} {
			out, err := Hide(cover, m, key)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, out)
		}
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

// FuzzExtract builds images from fuzz bytes and extracts from them: an NRGBA
// and an NRGBA64 whose pixels are the bytes (size from the first two, the
// rest repeated), and an NRGBA and an NRGBA64 whose carrier holds the bytes
// as its frame, so that the fuzzer edits magic, version, flags, length and
// CRC directly.
func FuzzExtract(f *testing.F) {
	for _, key := range [][]byte{nil, testKey(1)} {
		frame, err := MarshalFrame(Metadata{ID: "e", Usernames: []string{"a", "b"}, Quota: 1}, key, fixedRand(1))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append([]byte{16, 8}, frame...))
		f.Add(append([]byte{16, 8}, marshalV1(f, Metadata{Usernames: []string{"a", "b"}, Quota: 1}, key, fixedRand(1))...))
	}
	f.Add([]byte{0, 0})
	f.Add([]byte{255, 255, 1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		w, h := int(data[0])%64+1, int(data[1])%64+1
		raw := image.NewNRGBA(image.Rect(0, 0, w, h))
		if src := data[2:]; len(src) > 0 {
			for i := range raw.Pix {
				raw.Pix[i] = src[i%len(src)]
			}
		}
		raw64 := image.NewNRGBA64(image.Rect(0, 0, w, h))
		if src := data[2:]; len(src) > 0 {
			for i := range raw64.Pix {
				raw64.Pix[i] = src[i%len(src)]
			}
		}
		payload := data[2:min(len(data), 2+Capacity(64, 64))]
		carried := image.NewNRGBA(image.Rect(0, 0, 64, 64))
		embedBytes(carried.Pix, payload)
		carried64 := image.NewNRGBA64(image.Rect(0, 0, 64, 64))
		c := carrier{nrgba64: carried64, w: 64, h: 64}
		buf := c.read(len(payload))
		embedBytes(buf, payload)
		c.write(buf)
		for _, img := range []image.Image{raw, raw64, carried, carried64} {
			for _, key := range [][]byte{nil, testKey(1)} {
				checkExtract(t, img, key)
			}
		}
	})
}

func checkExtract(t *testing.T, img image.Image, key []byte) {
	m, err := Extract(img, key)
	if err != nil {
		if !knownError(err) {
			t.Fatalf("Extract(%T %v) error %v wraps none of the package's sentinels", img, img.Bounds(), err)
		}
		return
	}
	if verr := m.Validate(); verr != nil {
		t.Fatalf("Extract returned invalid metadata %+v: %v", m, verr)
	}
}

// FuzzUnmarshalFrame wraps arbitrary payloads in version-2 and version-1
// frames with a correct CRC, which random mutations never produce, so that
// the JSON and the seal parsers see them. Any success is valid metadata with
// an id; a version-1 frame's id is the hash of its bytes.
func FuzzUnmarshalFrame(f *testing.F) {
	m := Metadata{ID: "fuzz-1", Usernames: []string{"alice", "bob"}, Quota: 5}
	for _, key := range [][]byte{nil, testKey(1)} {
		frame, err := MarshalFrame(m, key, fixedRand(2))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(frame[headerLen:len(frame)-crcLen], key != nil, false)
		v1 := marshalV1(f, m, key, fixedRand(2))
		f.Add(v1[headerLen:len(v1)-crcLen], key != nil, true)
	}
	f.Add([]byte(`{"id":"a","usernames":["a"],"quota":1e3}`), false, false)
	f.Add([]byte(`{"usernames":null}`), false, true)
	f.Add([]byte(`{"id":"a","usernames":["a"],"quota":1}`), false, true)
	f.Fuzz(func(t *testing.T, payload []byte, sealed, v1 bool) {
		if len(payload) > MaxPayload {
			return
		}
		frame := appendFrame(nil, frameHeader{v1: v1, sealed: sealed, length: len(payload)}, payload)
		for _, key := range [][]byte{nil, testKey(1)} {
			got, err := UnmarshalFrame(frame, key)
			if err != nil {
				if !knownError(err) {
					t.Fatalf("UnmarshalFrame(key=%v) error %v wraps none of the package's sentinels", key != nil, err)
				}
				continue
			}
			if verr := got.Validate(); verr != nil || got.ID == "" {
				t.Fatalf("UnmarshalFrame returned invalid metadata %+v: %v", got, verr)
			}
			if v1 && got.ID != v1ID(frame) {
				t.Fatalf("version-1 frame revealed id %q, want %q", got.ID, v1ID(frame))
			}
		}
	})
}

// FuzzRoundTrip hides fuzzed metadata (usernames split on NUL) in a cover
// large enough for any valid metadata; valid metadata must come back equal
// (an empty id as a drawn one of 32 hex digits), invalid metadata must be
// refused with ErrInvalidMetadata. The same metadata in a version-1 frame
// must come back with the id derived from that frame.
func FuzzRoundTrip(f *testing.F) {
	f.Add("alice\x00bob", 5, false, "img-1")
	f.Add("zoë\x00李", 0, true, "")
	f.Add("", -1, false, "x")
	f.Add("a\x00a", 1, true, "y")
	f.Add("\xff", 1, false, "z")
	f.Add("a", 1, false, "a b")
	f.Add("a", 1, true, strings.Repeat("i", MaxIDBytes+1))
	img := imagegen.PhotoLike(256, 256, 1)
	key := testKey(9)
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	f.Fuzz(func(t *testing.T, names string, quota int, sealed bool, id string) {
		m := Metadata{ID: id, Usernames: strings.Split(names, "\x00"), Quota: quota}
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
		want := m
		if id == "" {
			if !hex32.MatchString(got.ID) {
				t.Fatalf("Extract = %+v: drawn id is not 32 hex digits", got)
			}
			want.ID = got.ID
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Extract = %+v, %v; want %+v", got, err, want)
		}
		v1 := marshalV1(t, m, k, fixedRand(1))
		if len(v1) > MaxPayload+FrameOverhead {
			return
		}
		want.ID = v1ID(v1)
		if got, err := UnmarshalFrame(v1, k); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("UnmarshalFrame(version 1) = %+v, %v; want %+v", got, err, want)
		}
	})
}
