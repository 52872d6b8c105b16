package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"stegocloud/harness/rundir"
	"stegocloud/stego"
)

// stegoCommands are the subcommands of `stegocloud stego`.
var stegoCommands = []command{
	{name: "embed", summary: "hide usernames and a quota in an image (PNG out)", run: runStegoEmbed},
	{name: "extract", summary: "print the metadata hidden in an image as JSON", run: runStegoExtract},
	{name: "keygen", summary: "write a new random AES-256 key file", run: runStegoKeygen},
}

// runStego dispatches `stegocloud stego <subcommand>`.
func runStego(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		stegoUsage(stderr)
		return usageErrorf("stego: no subcommand given")
	}
	if a := args[0]; a == "-h" || a == "--help" || a == "-help" || a == "help" {
		stegoUsage(stdout)
		return nil
	}
	for _, c := range stegoCommands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	stegoUsage(stderr)
	return usageErrorf("stego: unknown subcommand %q", args[0])
}

func stegoUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: stegocloud stego <subcommand> [flags]\n\n"+
		"The LSB steganography codec: metadata hidden in the lowest bit of each R, G, B byte.\n\nSubcommands:\n")
	for _, c := range stegoCommands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'stegocloud stego <subcommand> --help' for its flags.\n")
}

// stegoCodecFlags are the flags that configure the codec.
type stegoCodecFlags struct {
	maxPixels   int
	compression string
}

var stegoLevels = map[string]png.CompressionLevel{
	"none": png.NoCompression, "speed": png.BestSpeed, "default": png.DefaultCompression, "best": png.BestCompression,
}

func (f *stegoCodecFlags) register(fs *flag.FlagSet, output bool) {
	fs.IntVar(&f.maxPixels, "max-pixels", stego.DefaultMaxPixels, "refuse images of more than this many pixels (width·height), judged from the header")
	f.compression = "none"
	if output {
		fs.StringVar(&f.compression, "compression", "none", "PNG compression of the output: none (fastest, largest), speed, default or best")
	}
}

func (f *stegoCodecFlags) codec(cmd string) (*stego.Codec, error) {
	level, ok := stegoLevels[f.compression]
	if !ok {
		return nil, usageErrorf("%s: --compression %q is not one of none, speed, default, best", cmd, f.compression)
	}
	cfg := stego.DefaultConfig()
	cfg.MaxPixels, cfg.Compression = f.maxPixels, level
	c, err := stego.New(cfg)
	if err != nil {
		return nil, usageErrorf("%s: %v", cmd, err)
	}
	return c, nil
}

func runStegoEmbed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stego embed", "stego embed --in COVER --out OUT --users NAMES [--quota N] [--key KEYFILE]", `
Hide {"usernames": [...], "quota": N} in the least significant bits of a cover
image (PNG in any colour model, or JPEG) and write the result as a PNG. Prints
the share of the image's capacity used and the PSNR of the result against the
cover. The output file is written whole or not at all.`, stderr)
	in := fs.String("in", "", "cover image, PNG or JPEG (required)")
	out := fs.String("out", "", "PNG file to write; replaced atomically if it exists (required)")
	users := fs.String("users", "", "comma-separated usernames allowed to view the image (required)")
	quota := fs.Int("quota", 0, "number of views allowed, 0 or more")
	keyPath := fs.String("key", "", "key file of 32 bytes: seal the metadata with AES-256-GCM (see 'stego keygen')")
	var cf stegoCodecFlags
	cf.register(fs, true)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := stegoRequire(fs, "in", "out", "users"); err != nil {
		return err
	}
	codec, err := cf.codec(fs.Name())
	if err != nil {
		return err
	}
	m := stego.Metadata{Usernames: strings.Split(*users, ","), Quota: *quota}
	for i, u := range m.Usernames {
		m.Usernames[i] = strings.TrimSpace(u)
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("stego embed: --users/--quota: %w", err)
	}
	key, err := stegoLoadKey(*keyPath)
	if err != nil {
		return fmt.Errorf("stego embed: %w", err)
	}
	data, err := stegoReadImage(*in, cf.maxPixels)
	if err != nil {
		return fmt.Errorf("stego embed: %w", err)
	}
	img, err := codec.Decode(data)
	if err != nil {
		return fmt.Errorf("stego embed: %s: %w", *in, err)
	}
	cover := stego.ToNRGBA(img)
	used, err := codec.Embed(img, m, key)
	if err != nil {
		return fmt.Errorf("stego embed: %s: %w", *in, err)
	}
	psnr, err := stego.PSNR(cover, img)
	if err != nil {
		return fmt.Errorf("stego embed: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("stego embed: %w", err)
	}
	size, err := rundir.WriteFileAtomic(*out, func(w io.Writer) error { return codec.EncodePNG(w, img) })
	if err != nil {
		return fmt.Errorf("stego embed: %s: %w", *out, err)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	capacity := stego.Capacity(w, h)
	fmt.Fprintf(stdout, "capacity: %d of %d bytes used (%.2f%%) in %d×%d pixels, sealed: %v\n",
		used, capacity, 100*float64(used)/float64(capacity), w, h, key != nil)
	fmt.Fprintf(stdout, "psnr: %s dB against the cover\n", stegoFormatPSNR(psnr))
	fmt.Fprintf(stdout, "wrote: %s (%d bytes)\n", *out, size)
	return nil
}

func runStegoExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stego extract", "stego extract --in IMAGE [--key KEYFILE]", `
Print the metadata hidden in an image by 'stego embed' as one line of JSON:
{"usernames": [...], "quota": N}. A sealed image needs the key it was sealed
with; a wrong key, a tampered image, or a key for an unsealed image fail.`, stderr)
	in := fs.String("in", "", "image written by 'stego embed' (required)")
	keyPath := fs.String("key", "", "key file the metadata was sealed with")
	var cf stegoCodecFlags
	cf.register(fs, false)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := stegoRequire(fs, "in"); err != nil {
		return err
	}
	codec, err := cf.codec(fs.Name())
	if err != nil {
		return err
	}
	key, err := stegoLoadKey(*keyPath)
	if err != nil {
		return fmt.Errorf("stego extract: %w", err)
	}
	data, err := stegoReadImage(*in, cf.maxPixels)
	if err != nil {
		return fmt.Errorf("stego extract: %w", err)
	}
	m, err := codec.Reveal(data, key)
	if err != nil {
		return fmt.Errorf("stego extract: %s: %w", *in, err)
	}
	out, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("stego extract: %s: while printing: %w", *in, err)
	}
	_, err = fmt.Fprintf(stdout, "%s\n", out)
	return err
}

func runStegoKeygen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stego keygen", "stego keygen --out KEYFILE", `
Write a new random AES-256 key (32 bytes from crypto/rand) to a file of mode
0600, for 'stego embed --key' and 'stego extract --key'. An existing file is
never overwritten.`, stderr)
	out := fs.String("out", "", "key file to create; must not exist (required)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := stegoRequire(fs, "out"); err != nil {
		return err
	}
	key, err := stego.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("stego keygen: %w", err)
	}
	if err := stegoCreateExclusive(*out, key, 0o600); err != nil {
		return fmt.Errorf("stego keygen: %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "wrote: %s (%d-byte key, mode 0600)\n", *out, len(key))
	return nil
}

// stegoRequire returns a usage error for the first named flag left empty.
func stegoRequire(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if fs.Lookup(n).Value.String() == "" {
			return usageErrorf("%s: --%s is required (see 'stegocloud %s --help')", fs.Name(), n, fs.Name())
		}
	}
	return nil
}

func stegoLoadKey(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	return stego.LoadKey(path)
}

// stegoReadImage reads an image file, refusing files larger than an image
// within the pixel limit could be (16-bit RGBA, no compression, plus
// headroom), so a wrong path cannot make us read gigabytes.
func stegoReadImage(path string, maxPixels int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := int64(math.MaxInt64)
	if maxPixels < math.MaxInt64/16 {
		limit = 8*int64(maxPixels) + 1<<20
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: file is larger than %d bytes, more than an image of at most %d pixels needs", path, limit, maxPixels)
	}
	return data, nil
}

// stegoCreateExclusive writes data to a new file at path with the given mode,
// complete or not at all, and fails if path exists: the data goes to a
// temporary file first, which is then hard-linked to path (link never
// replaces an existing file, unlike rename).
func stegoCreateExclusive(path string, data []byte, mode fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("refusing to overwrite an existing file")
		}
		return err
	}
	return nil
}

func stegoFormatPSNR(db float64) string {
	if math.IsInf(db, 1) {
		return "inf"
	}
	return fmt.Sprintf("%.2f", db)
}
