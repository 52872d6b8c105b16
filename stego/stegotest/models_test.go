package stegotest

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"strings"
	"testing"

	"stegocloud/stego/imagegen"
)

// TestModels decodes every model's file and checks it is what its name says:
// format, PNG colour type and interlacing, size, and opacity.
func TestModels(t *testing.T) {
	want := map[string]struct {
		colorType byte // PNG IHDR colour type; 0xff for JPEG
		depth     byte
		decoded   string // Go type the decoder returns
	}{
		"png-rgb8":                  {2, 8, "*image.RGBA"},
		"png-rgba8":                 {6, 8, "*image.NRGBA"},
		"png-gray8":                 {0, 8, "*image.Gray"},
		"png-gray16":                {0, 16, "*image.Gray16"},
		"png-rgb16":                 {2, 16, "*image.RGBA64"},
		"png-rgba16":                {6, 16, "*image.NRGBA64"},
		"png-paletted8":             {3, 8, "*image.Paletted"},
		"png-paletted4":             {3, 4, "*image.Paletted"},
		"png-paletted8-trns":        {3, 8, "*image.Paletted"},
		"png-grayalpha8":            {4, 8, "*image.NRGBA"},
		"png-grayalpha16":           {4, 16, "*image.NRGBA64"},
		"png-interlaced-rgb8":       {2, 8, "*image.RGBA"},
		"png-interlaced-rgba16":     {6, 16, "*image.NRGBA64"},
		"png-interlaced-gray8":      {0, 8, "*image.Gray"},
		"png-interlaced-grayalpha8": {4, 8, "*image.NRGBA"},
		"png-interlaced-paletted8":  {3, 8, "*image.Paletted"},
		"jpeg-ycbcr":                {0xff, 0, "*image.YCbCr"},
		"jpeg-gray":                 {0xff, 0, "*image.Gray"},
	}
	models := Models()
	if len(models) != len(want) {
		t.Errorf("Models() has %d models, this test knows %d", len(models), len(want))
	}
	for _, m := range models {
		t.Run(m.Name, func(t *testing.T) {
			w, ok := want[m.Name]
			if !ok {
				t.Fatalf("model %q is not described in this test", m.Name)
			}
			data, err := m.Encode(imagegen.PhotoLike(33, 21, 8))
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			img, format, err := image.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("image.Decode: %v", err)
			}
			if got := typeName(img); got != w.decoded || img.Bounds() != image.Rect(0, 0, 33, 21) {
				t.Errorf("decoded %s %v, want %s %v", got, img.Bounds(), w.decoded, image.Rect(0, 0, 33, 21))
			}
			if format == "png" {
				if data[25] != w.colorType || data[24] != w.depth {
					t.Errorf("png colour type %d depth %d, want %d depth %d", data[25], data[24], w.colorType, w.depth)
				}
				if interlaced := data[28] == 1; interlaced != strings.Contains(m.Name, "interlaced") {
					t.Errorf("interlaced = %v, but the name says otherwise", interlaced)
				}
			} else if w.colorType != 0xff {
				t.Errorf("format %s, want png", format)
			}
			if deep := w.depth == 16; deep != m.Deep {
				t.Errorf("depth %d, model says Deep = %v", w.depth, m.Deep)
			}
			if o := opaque(img); o != m.Opaque {
				t.Errorf("decoded image opaque = %v, model says Opaque = %v", o, m.Opaque)
			}
		})
	}
}

func typeName(img image.Image) string {
	switch img.(type) {
	case *image.RGBA:
		return "*image.RGBA"
	case *image.NRGBA:
		return "*image.NRGBA"
	case *image.Gray:
		return "*image.Gray"
	case *image.Gray16:
		return "*image.Gray16"
	case *image.RGBA64:
		return "*image.RGBA64"
	case *image.NRGBA64:
		return "*image.NRGBA64"
	case *image.Paletted:
		return "*image.Paletted"
	case *image.YCbCr:
		return "*image.YCbCr"
	}
	return "other"
}

func opaque(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
