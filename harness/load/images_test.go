package load

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"stegocloud/harness/experiment"
)

func TestGenerateImagesIsSeeded(t *testing.T) {
	a, err := GenerateImages(40, 30, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateImages(40, 30, 3, 5)
	c, _ := GenerateImages(40, 30, 3, 6)
	more, _ := GenerateImages(40, 30, 4, 5)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("image %d differs between two calls with the same seed", i)
		}
		if bytes.Equal(a[i], c[i]) {
			t.Errorf("image %d is the same under seeds 5 and 6", i)
		}
		if !bytes.Equal(a[i], more[i]) {
			t.Errorf("image %d changed when the pool grew from 3 to 4", i)
		}
		img, err := png.Decode(bytes.NewReader(a[i]))
		if err != nil || img.Bounds() != image.Rect(0, 0, 40, 30) {
			t.Errorf("image %d: decode %v, bounds %v; want a 40×30 PNG", i, err, img.Bounds())
		}
	}
	if bytes.Equal(a[0], a[1]) {
		t.Errorf("images 0 and 1 of one pool are identical")
	}
	if _, err := GenerateImages(0, 10, 1, 1); !errors.Is(err, experiment.ErrBadValue) {
		t.Errorf("GenerateImages(0×10) = %v, want ErrBadValue", err)
	}
}

func TestImagePoolRequests(t *testing.T) {
	images := [][]byte{[]byte("a"), []byte("b"), []byte("c")}
	p, err := NewImagePool(images, 4, 7, 42)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := NewImagePool(images, 4, 7, 42)
	other, _ := NewImagePool(images, 4, 7, 43)
	seenNames := map[string]bool{}
	for seq := uint64(0); seq < 300; seq++ {
		img, meta := p.Request(seq)
		if want := images[seq%3]; !bytes.Equal(img, want) {
			t.Errorf("request %d got image %q, want %q (seq mod 3)", seq, img, want)
		}
		if _, again := q.Request(seq); !reflect.DeepEqual(meta, again) {
			t.Errorf("request %d metadata differs between pools with the same seed: %v vs %v", seq, meta, again)
		}
		if _, diff := other.Request(seq); reflect.DeepEqual(meta, diff) {
			t.Errorf("request %d metadata is the same under seeds 42 and 43", seq)
		}
		if meta.Quota != 7 || len(meta.Usernames) != 4 {
			t.Errorf("request %d metadata %+v, want 4 usernames and quota 7", seq, meta)
		}
		within := map[string]bool{}
		for _, n := range meta.Usernames {
			if within[n] || !strings.HasPrefix(n, "user") {
				t.Errorf("request %d usernames %v: duplicate or badly formed", seq, meta.Usernames)
			}
			within[n] = true
			seenNames[n] = true
		}
	}
	if len(seenNames) < 1000 {
		t.Errorf("300 requests × 4 names gave only %d distinct names", len(seenNames))
	}
	if p.Len() != 3 {
		t.Errorf("Len = %d, want 3", p.Len())
	}
	if _, err := NewImagePool(nil, 1, 1, 1); !errors.Is(err, ErrNoImages) {
		t.Errorf("NewImagePool(no images) = %v, want ErrNoImages", err)
	}
	if _, err := NewImagePool(images, 0, 1, 1); !errors.Is(err, experiment.ErrBadValue) {
		t.Errorf("NewImagePool(0 usernames) = %v, want ErrBadValue", err)
	}
}

func writePNG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.Gray{Y: 200})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadImageDir(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "b.png"), 4, 4)
	writePNG(t, filepath.Join(dir, "a.PNG"), 3, 3)
	writePNG(t, filepath.Join(dir, "c.png"), 5, 5)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not an image"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub.png"), 0o755)

	got, err := ReadImageDir(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("ReadImageDir(n=2) = %d images, want 2", len(got))
	}
	for i, side := range []int{3, 4} { // name order: a.PNG, b.png
		cfg, _, err := image.DecodeConfig(bytes.NewReader(got[i]))
		if err != nil || cfg.Width != side {
			t.Errorf("image %d: %v, width %d; want the %d-pixel file", i, err, cfg.Width, side)
		}
	}
	os.WriteFile(filepath.Join(dir, "d.png"), []byte("garbage"), 0o644)
	if _, err := ReadImageDir(dir, 10); !errors.Is(err, ErrNoImages) || !strings.Contains(err.Error(), "d.png") {
		t.Errorf("ReadImageDir with a broken file = %v, want ErrNoImages naming d.png", err)
	}
	if _, err := ReadImageDir(t.TempDir(), 10); !errors.Is(err, ErrNoImages) {
		t.Errorf("ReadImageDir(empty) = %v, want ErrNoImages", err)
	}
	if _, err := ReadImageDir(filepath.Join(dir, "missing"), 1); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadImageDir(missing) = %v, want not-exist", err)
	}
}

func TestImagesFor(t *testing.T) {
	e := parseExperiment(t, "workload: {requests_per_client: 1, images: 2, usernames: 2, quota: 9, image: {width: 32, height: 32}}\n")
	p, err := ImagesFor(e, 5)
	if err != nil {
		t.Fatal(err)
	}
	img, meta := p.Request(1)
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil || cfg.Width != 32 || p.Len() != 2 || meta.Quota != 9 || len(meta.Usernames) != 2 {
		t.Errorf("ImagesFor: %d images, %v %+v, metadata %+v", p.Len(), err, cfg, meta)
	}
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "x.png"), 6, 6)
	e.Workload.Image.Dir = dir
	p, err = ImagesFor(e, 5)
	if err != nil || p.Len() != 1 {
		t.Errorf("ImagesFor(dir) = %v, %v; want the one file", p, err)
	}
}
