package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"stegocloud/internal/atomicfile"
	"strings"

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
	maxPixels   *decimalFlag
	compression string
}

var stegoLevels = map[string]png.CompressionLevel{
	"none": png.NoCompression, "speed": png.BestSpeed, "default": png.DefaultCompression, "best": png.BestCompression,
}

func (f *stegoCodecFlags) register(fs *flag.FlagSet, output bool) {
	f.maxPixels = decimalVar(fs, "max-pixels", stego.DefaultMaxPixels, 1, math.MaxInt, "refuse images of more than this many `pixels` (width·height), judged from the header")
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
	cfg.MaxPixels, cfg.Compression = int(f.maxPixels.v), level
	c, err := stego.New(cfg)
	if err != nil {
		return nil, usageErrorf("%s: %v", cmd, err)
	}
	return c, nil
}

// stegoLimits states the limits on what can be hidden, from the codec's
// constants, for the --help of the commands that hide.
func stegoLimits() string {
	return fmt.Sprintf(`Limits, checked before the cover is read: 1 to %d usernames, each 1 to
%d bytes of UTF-8 without control characters, none repeated; a quota of
0 to %d views; an id of 1 to %d bytes of A-Z a-z 0-9 . _ -; at most
%d bytes of metadata as JSON.`,
		stego.MaxUsernames, stego.MaxUsernameBytes, int64(stego.MaxQuota), stego.MaxIDBytes, stego.MaxMetadataBytes)
}

// stegoMetaFlags are the flags that say what to hide. embed and send share
// them, so their defaults, limits and help agree.
type stegoMetaFlags struct {
	id    string
	users string
	user  []string
	quota *decimalFlag
}

func (f *stegoMetaFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.users, "users", "", "comma-separated `names` allowed to view the image; spaces around each name are dropped (for a name with a comma, use --user)")
	fs.Func("user", "one more `name`, taken as is (it may hold commas and spaces); repeat for more; listed after the --users names", func(s string) error {
		f.user = append(f.user, s)
		return nil
	})
	f.quota = decimalVar(fs, "quota", stego.DefaultQuota, 0, stego.MaxQuota, "number of `views` allowed, in decimal")
	fs.StringVar(&f.id, "id", "", fmt.Sprintf("the image's `id`, 1 to %d of A-Z a-z 0-9 . _ - (default: 32 random hex digits, printed)", stego.MaxIDBytes))
}

// metadata returns the metadata the flags give, validated, with a random id
// when --id is not given (drawn here, so that it can be printed). No name at
// all is a usage error.
func (f *stegoMetaFlags) metadata(cmd string) (stego.Metadata, error) {
	if f.users == "" && len(f.user) == 0 {
		return stego.Metadata{}, usageErrorf("%s: --users (or --user) is required (see 'stegocloud %s --help')", cmd, cmd)
	}
	var names []string
	if f.users != "" {
		for _, u := range strings.Split(f.users, ",") {
			names = append(names, strings.TrimSpace(u))
		}
	}
	m := stego.Metadata{ID: f.id, Usernames: append(names, f.user...), Quota: int(f.quota.v)}
	if err := m.Validate(); err != nil {
		return stego.Metadata{}, fmt.Errorf("%s: --id/--users/--user/--quota: %w", cmd, err)
	}
	if m.ID == "" {
		id, err := stego.NewID(rand.Reader)
		if err != nil {
			return stego.Metadata{}, fmt.Errorf("%s: %w", cmd, err)
		}
		m.ID = id
	}
	return m, nil
}

// stegoCheckOut refuses an output name that does not end in .png: the output
// is always a PNG, and PNG bytes under a .jpg name mislead every viewer.
func stegoCheckOut(cmd, path string) error {
	if !strings.EqualFold(filepath.Ext(path), ".png") {
		return usageErrorf("%s: --out %q: the output is a PNG, so its name must end in .png", cmd, path)
	}
	return nil
}

func runStegoEmbed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stego embed", "stego embed --in COVER --out OUT.png --users NAMES [--quota N] [--id ID] [--key KEYFILE]", `
Hide {"id": ID, "usernames": [...], "quota": N} in the least significant bits
of a cover image (PNG in any colour model, or JPEG) and write the result as a
PNG: 16-bit for a 16-bit cover (the carrier is then the lowest bit of each
16-bit sample), 8-bit otherwise; RGB for an opaque cover, RGBA otherwise.
Prints the image's id, the share of its capacity used and the PSNR of the
result against the cover. The output file is written whole or not at all.

`+stegoLimits(), stderr)
	in := fs.String("in", "", "cover image, PNG or JPEG (required)")
	out := fs.String("out", "", "PNG file to write, name ending in .png; replaced atomically if it exists (required)")
	var mf stegoMetaFlags
	mf.register(fs)
	keyPath := fs.String("key", "", "key file of 32 bytes: seal the metadata with AES-256-GCM (see 'stego keygen')")
	var cf stegoCodecFlags
	cf.register(fs, true)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkArgs(fs, 0); err != nil {
		return err
	}
	if err := stegoRequire(fs, "in", "out"); err != nil {
		return err
	}
	if err := stegoCheckOut(fs.Name(), *out); err != nil {
		return err
	}
	codec, err := cf.codec(fs.Name())
	if err != nil {
		return err
	}
	m, err := mf.metadata(fs.Name())
	if err != nil {
		return err
	}
	key, err := stegoLoadKey(*keyPath)
	if err != nil {
		return fmt.Errorf("stego embed: %w", err)
	}
	data, err := stegoReadImage(*in, codec)
	if err != nil {
		return fmt.Errorf("stego embed: %w", err)
	}
	img, err := codec.Decode(data)
	if err != nil {
		return fmt.Errorf("stego embed: %s: %w", *in, err)
	}
	cover, depth := stegoClone(img)
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
	size, err := atomicfile.Replace(*out, 0o644, func(w io.Writer) error { return codec.EncodePNG(w, img) })
	if err != nil {
		return fmt.Errorf("stego embed: %s: %w", *out, err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	capacity := stego.Capacity(w, h)
	fmt.Fprintf(stdout, "id: %s\n", m.ID)
	fmt.Fprintf(stdout, "capacity: %d of %d bytes used (%.2f%%) in %d×%d pixels, sealed: %v\n",
		used, capacity, 100*float64(used)/float64(capacity), w, h, key != nil)
	fmt.Fprintf(stdout, "psnr: %s dB against the cover (%d-bit samples, kept in the output)\n", stegoFormatPSNR(psnr), depth)
	fmt.Fprintf(stdout, "wrote: %s (%d bytes)\n", *out, size)
	return nil
}

func runStegoExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stego extract", "stego extract --in IMAGE [--key KEYFILE]", `
Print the metadata hidden in an image by 'stego embed' as one line of JSON:
{"id": ID, "usernames": [...], "quota": N}. An image from before ids
(frame version 1) shows the id derived from its frame, "v1-" and 32 hex
digits. A sealed image needs the key it was sealed with; a wrong key, a
tampered image, or a key for an unsealed image fail.`, stderr)
	in := fs.String("in", "", "image written by 'stego embed' (required)")
	keyPath := fs.String("key", "", "key file the metadata was sealed with")
	var cf stegoCodecFlags
	cf.register(fs, false)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := checkArgs(fs, 0); err != nil {
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
	data, err := stegoReadImage(*in, codec)
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
	if err := checkArgs(fs, 0); err != nil {
		return err
	}
	if err := stegoRequire(fs, "out"); err != nil {
		return err
	}
	key, err := stego.GenerateKey(rand.Reader)
	if err != nil {
		return fmt.Errorf("stego keygen: %w", err)
	}
	if err := atomicfile.Create(*out, 0o600, key); err != nil {
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

// stegoClone copies an image Decode returned, to measure the PSNR against,
// and names its sample depth.
func stegoClone(img image.Image) (image.Image, int) {
	if deep, ok := img.(*image.NRGBA64); ok {
		return stego.ToNRGBA64(deep), 16
	}
	return stego.ToNRGBA(img), 8
}

func stegoFormatPSNR(db float64) string {
	if math.IsInf(db, 1) {
		return "inf"
	}
	return fmt.Sprintf("%.2f", db)
}
