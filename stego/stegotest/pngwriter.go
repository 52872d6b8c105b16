package stegotest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
)

// ColorType is a PNG colour type (PNG spec §11.2.2).
type ColorType uint8

// The PNG colour types.
const (
	Gray      ColorType = 0
	RGB       ColorType = 2
	Indexed   ColorType = 3
	GrayAlpha ColorType = 4
	RGBA      ColorType = 6
)

// PNGOptions choose the layout EncodePNG writes.
type PNGOptions struct {
	ColorType ColorType
	Depth     int  // bits per sample: 8 or 16 (Indexed: 8)
	Interlace bool // Adam7
}

// EncodePNG writes img as a PNG in a layout Go's encoder cannot produce
// (grey+alpha, interlaced). Samples come from the non-premultiplied 16-bit
// colour of each pixel; grey is its luma as color.Gray16Model computes it.
// Indexed needs an *image.Paletted. Rows are unfiltered: the files are for
// decoders under test, not for size.
func EncodePNG(img image.Image, opt PNGOptions) ([]byte, error) {
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("stegotest: cannot encode an empty %v image", b)
	}
	pal, _ := img.(*image.Paletted)
	switch {
	case opt.ColorType == Indexed && (pal == nil || opt.Depth != 8 || len(pal.Palette) == 0 || len(pal.Palette) > 256):
		return nil, fmt.Errorf("stegotest: indexed png needs an *image.Paletted with 1..256 colours and depth 8")
	case opt.Depth != 8 && opt.Depth != 16:
		return nil, fmt.Errorf("stegotest: depth %d not supported, want 8 or 16", opt.Depth)
	case opt.ColorType != Gray && opt.ColorType != RGB && opt.ColorType != Indexed &&
		opt.ColorType != GrayAlpha && opt.ColorType != RGBA:
		return nil, fmt.Errorf("stegotest: unknown png colour type %d", opt.ColorType)
	}
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(b.Dx()))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(b.Dy()))
	ihdr[8], ihdr[9] = byte(opt.Depth), byte(opt.ColorType)
	if opt.Interlace {
		ihdr[12] = 1
	}
	writeChunk(&out, "IHDR", ihdr)
	if opt.ColorType == Indexed {
		plte, trns := paletteChunks(pal.Palette)
		writeChunk(&out, "PLTE", plte)
		if trns != nil {
			writeChunk(&out, "tRNS", trns)
		}
	}
	var raw bytes.Buffer
	for _, p := range passes(opt.Interlace) {
		for y := b.Min.Y + p.y0; y < b.Max.Y; y += p.dy {
			if p.x0 >= b.Dx() {
				break // an empty pass has no rows at all, not even filter bytes
			}
			raw.WriteByte(0) // filter: none
			for x := b.Min.X + p.x0; x < b.Max.X; x += p.dx {
				writeSamples(&raw, img, pal, x, y, opt)
			}
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes()) // writes to a bytes.Buffer cannot fail
	zw.Close()
	writeChunk(&out, "IDAT", z.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

type pass struct{ x0, y0, dx, dy int }

func passes(interlace bool) []pass {
	if !interlace {
		return []pass{{0, 0, 1, 1}}
	}
	return []pass{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
}

func writeSamples(w *bytes.Buffer, img image.Image, pal *image.Paletted, x, y int, opt PNGOptions) {
	if opt.ColorType == Indexed {
		w.WriteByte(pal.ColorIndexAt(x, y))
		return
	}
	c := nrgba64At(img, x, y)
	gray := uint16((19595*uint32(c.R) + 38470*uint32(c.G) + 7471*uint32(c.B) + 1<<15) >> 16)
	var samples []uint16
	switch opt.ColorType {
	case Gray:
		samples = []uint16{gray}
	case GrayAlpha:
		samples = []uint16{gray, c.A}
	case RGB:
		samples = []uint16{c.R, c.G, c.B}
	case RGBA:
		samples = []uint16{c.R, c.G, c.B, c.A}
	}
	for _, s := range samples {
		if opt.Depth == 16 {
			w.WriteByte(byte(s >> 8))
		}
		w.WriteByte(byte(s >> (16 - opt.Depth)))
	}
}

// nrgba64At reads the non-premultiplied colour at (x, y), exactly for the
// non-premultiplied image types, whose transparent pixels keep their colour
// (going through the premultiplied RGBA method would zero it).
func nrgba64At(img image.Image, x, y int) color.NRGBA64 {
	switch m := img.(type) {
	case *image.NRGBA:
		c := m.NRGBAAt(x, y)
		return color.NRGBA64{uint16(c.R) * 0x101, uint16(c.G) * 0x101, uint16(c.B) * 0x101, uint16(c.A) * 0x101}
	case *image.NRGBA64:
		return m.NRGBA64At(x, y)
	}
	return color.NRGBA64Model.Convert(img.At(x, y)).(color.NRGBA64)
}

// paletteChunks renders PLTE and, when any colour is not opaque, tRNS.
func paletteChunks(p color.Palette) (plte, trns []byte) {
	opaque := true
	for _, c := range p {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		plte = append(plte, n.R, n.G, n.B)
		trns = append(trns, n.A)
		opaque = opaque && n.A == 0xff
	}
	if opaque {
		return plte, nil
	}
	return plte, trns
}

func writeChunk(w *bytes.Buffer, name string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(name))
	crc.Write(data)
	w.WriteString(name)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}
