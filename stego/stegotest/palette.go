package stegotest

import (
	"image"
	"image/color"
)

// Cube is a palette of evenly spaced levels per channel; quantizing to it is
// a few divisions per pixel instead of a nearest-colour search.
type Cube struct{ R, G, B int }

// Cube252 fills an 8-bit palette; Cube16 fits a 4-bit one.
var (
	Cube252 = Cube{6, 7, 6}
	Cube16  = Cube{2, 4, 2}
)

// transparentColors are appended to a cube palette by Quantize when asked,
// so that the picture has transparent and translucent pixels.
var transparentColors = []color.Color{color.NRGBA{0, 0, 0, 0}, color.NRGBA{200, 100, 50, 128}}

// levels returns the cube with every channel at 2 levels or more, and with at
// most 254 colours, so that Quantize can always add transparentColors.
func (c Cube) levels() Cube {
	c.R, c.G, c.B = max(c.R, 2), max(c.G, 2), max(c.B, 2)
	for c.R*c.G*c.B > 256-len(transparentColors) {
		c.R, c.G, c.B = max(2, c.R-1), max(2, c.G-1), max(2, c.B-1)
	}
	return c
}

// Palette lists the cube's colours, red slowest.
func (c Cube) Palette() color.Palette {
	c = c.levels()
	p := make(color.Palette, 0, c.R*c.G*c.B)
	for r := range c.R {
		for g := range c.G {
			for b := range c.B {
				p = append(p, color.NRGBA{uint8(r * 255 / (c.R - 1)), uint8(g * 255 / (c.G - 1)), uint8(b * 255 / (c.B - 1)), 0xff})
			}
		}
	}
	return p
}

// Quantize maps img onto the cube's palette. With transparent, the palette
// also holds a transparent and a translucent colour, which every 7th pixel
// (on a diagonal pattern) takes.
func Quantize(img *image.NRGBA, c Cube, transparent bool) *image.Paletted {
	c = c.levels()
	p := c.Palette()
	n := len(p)
	if transparent {
		p = append(p, transparentColors...)
	}
	q := func(v uint8, levels int) int { return (int(v)*(levels-1) + 127) / 255 }
	out := image.NewPaletted(img.Rect, p)
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			px := img.NRGBAAt(x, y)
			idx := (q(px.R, c.R)*c.G+q(px.G, c.G))*c.B + q(px.B, c.B)
			if transparent && (x+y)%7 == 0 {
				idx = n + (x/7)%len(transparentColors)
			}
			out.SetColorIndex(x, y, uint8(idx))
		}
	}
	return out
}
