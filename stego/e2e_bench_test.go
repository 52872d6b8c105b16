package stego

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"testing"

	"stegocloud/stego/imagegen"
)

// levels are the PNG encoder candidates, by the names the report uses.
var levels = []struct {
	name  string
	level png.CompressionLevel
}{
	{"default", png.DefaultCompression},
	{"best-speed", png.BestSpeed},
	{"no-compression", png.NoCompression},
	{"best-compression", png.BestCompression},
}

// kibMetadata encodes to 1 KiB of JSON, the payload of the end-to-end goal.
func kibMetadata(tb testing.TB) Metadata {
	m := Metadata{Quota: 5}
	for i := 0; ; i++ {
		m.Usernames = append(m.Usernames, fmt.Sprintf("user-%05d", i))
		if n := jsonLen(tb, m); n >= 1024 {
			m.Usernames = m.Usernames[:len(m.Usernames)-1]
			return m
		}
	}
}

func benchCover(tb testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, imagegen.PhotoLike(w, h, 42)); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func newCodec(tb testing.TB, level png.CompressionLevel) *Codec {
	cfg := DefaultConfig()
	cfg.Compression = level
	c, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkHideLevel is decode → embed 1 KiB → encode of a 1024×1024
// PhotoLike PNG for each encoder candidate; png-B is the output size.
func BenchmarkHideLevel(b *testing.B) {
	cover, m := benchCover(b, 1024, 1024), kibMetadata(b)
	for _, l := range levels {
		b.Run(l.name, func(b *testing.B) {
			c := newCodec(b, l.level)
			var out []byte
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if out, err = c.Hide(cover, m, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(out)), "png-B")
		})
	}
}

// BenchmarkPipeline compares Hide (DefaultConfig) with the straightforward
// stdlib pipeline: png.Decode, draw.Draw to NRGBA, embed bit by bit,
// png.Encode at default compression.
func BenchmarkPipeline(b *testing.B) {
	cover, m := benchCover(b, 1024, 1024), kibMetadata(b)
	frame, err := MarshalFrame(m, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("stdlib", func(b *testing.B) {
		var out bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			src, err := png.Decode(bytes.NewReader(cover))
			if err != nil {
				b.Fatal(err)
			}
			img := image.NewNRGBA(src.Bounds())
			draw.Draw(img, img.Rect, src, src.Bounds().Min, draw.Src)
			naiveEmbed(img.Pix, frame)
			out.Reset()
			if err := png.Encode(&out, img); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(out.Len()), "png-B")
	})
	b.Run("hide", func(b *testing.B) {
		var out []byte
		b.ReportAllocs()
		for b.Loop() {
			if out, err = Hide(cover, m, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(out)), "png-B")
	})
}

// BenchmarkRevealLevel decodes and extracts a Hide output written at the
// default and the chosen level: the client verifies every response this way.
func BenchmarkRevealLevel(b *testing.B) {
	cover, m := benchCover(b, 1024, 1024), kibMetadata(b)
	for _, l := range levels[:3] {
		b.Run(l.name, func(b *testing.B) {
			c := newCodec(b, l.level)
			img, err := c.Hide(cover, m, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Reveal(img, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHide128 is one request of the harness's default workload (a
// 128×128 image, a few usernames), with and without png.Encoder's buffer
// pool; it runs on both cores as a node does.
func BenchmarkHide128(b *testing.B) {
	cover := benchCover(b, 128, 128)
	m := Metadata{Usernames: []string{"alice", "bob", "carol"}, Quota: 5}
	for _, pooled := range []bool{true, false} {
		b.Run(fmt.Sprintf("pool=%v", pooled), func(b *testing.B) {
			c := newCodec(b, DefaultCompression)
			if !pooled {
				c.enc.BufferPool = nil
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.Hide(cover, m, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
