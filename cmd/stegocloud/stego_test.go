package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"stegocloud/stego"
	"stegocloud/stego/imagegen"
)

// runCLI runs the binary's run with buffers and returns the exit code and
// both outputs, as main would see them.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	code = exitCode(err, &errOut)
	return code, out.String(), errOut.String()
}

// writeCover writes a PhotoLike PNG of w×h pixels into dir.
func writeCover(t *testing.T, dir string, w, h int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, imagegen.PhotoLike(w, h, 1)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cover.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestStegoEmbedExtractRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cover := writeCover(t, dir, 64, 48)
	key := filepath.Join(dir, "key.bin")
	if code, _, stderr := runCLI(t, "stego", "keygen", "--out", key); code != 0 {
		t.Fatalf("keygen: exit %d, stderr %q", code, stderr)
	}
	for _, sealed := range []bool{false, true} {
		out := filepath.Join(dir, "secret-"+strconv.FormatBool(sealed)+".png")
		embed := []string{"stego", "embed", "--in", cover, "--out", out, "--users", "alice, bob", "--quota", "5"}
		extract := []string{"stego", "extract", "--in", out}
		if sealed {
			embed = append(embed, "--key", key)
			extract = append(extract, "--key", key)
		}
		code, stdout, stderr := runCLI(t, embed...)
		if code != 0 {
			t.Fatalf("sealed=%v: embed: exit %d, stderr %q", sealed, code, stderr)
		}
		id := regexp.MustCompile(`(?m)^id: ([0-9a-f]{32})$`).FindStringSubmatch(stdout)
		if id == nil {
			t.Fatalf("sealed=%v: embed stdout %q names no drawn id", sealed, stdout)
		}
		for _, want := range []string{"capacity: ", " of 1152 bytes used", "sealed: " + strconv.FormatBool(sealed), "psnr: ", "wrote: " + out} {
			if !strings.Contains(stdout, want) {
				t.Errorf("sealed=%v: embed stdout %q lacks %q", sealed, stdout, want)
			}
		}
		if db := psnrFrom(t, stdout); db < 48 {
			t.Errorf("sealed=%v: embed reports PSNR %.2f dB, below the 48.1 dB floor of LSB embedding", sealed, db)
		}
		code, stdout, stderr = runCLI(t, extract...)
		if code != 0 {
			t.Fatalf("sealed=%v: extract: exit %d, stderr %q", sealed, code, stderr)
		}
		var got stego.Metadata
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("sealed=%v: extract printed %q, not JSON: %v", sealed, stdout, err)
		}
		if want := (stego.Metadata{ID: id[1], Usernames: []string{"alice", "bob"}, Quota: 5}); !reflect.DeepEqual(got, want) {
			t.Errorf("sealed=%v: extract printed %+v, want %+v", sealed, got, want)
		}
	}
}

func psnrFrom(t *testing.T, stdout string) float64 {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		if rest, ok := strings.CutPrefix(line, "psnr: "); ok {
			db, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			if err != nil {
				t.Fatalf("psnr line %q: %v", line, err)
			}
			return db
		}
	}
	t.Fatalf("no psnr line in %q", stdout)
	return 0
}

func TestStegoErrors(t *testing.T) {
	dir := t.TempDir()
	cover := writeCover(t, dir, 64, 48)
	tiny := filepath.Join(dir, "tiny.png")
	if err := os.Rename(writeCover(t, t.TempDir(), 10, 2), tiny); err != nil {
		t.Fatal(err)
	}
	key, otherKey := filepath.Join(dir, "key.bin"), filepath.Join(dir, "other.bin")
	for _, k := range []string{key, otherKey} {
		if code, _, stderr := runCLI(t, "stego", "keygen", "--out", k); code != 0 {
			t.Fatalf("keygen %s: exit %d, %q", k, code, stderr)
		}
	}
	plain, sealed := filepath.Join(dir, "plain.png"), filepath.Join(dir, "sealed.png")
	for _, args := range [][]string{
		{"stego", "embed", "--in", cover, "--out", plain, "--users", "alice"},
		{"stego", "embed", "--in", cover, "--out", sealed, "--users", "alice", "--key", key},
	} {
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d, %q", args, code, stderr)
		}
	}
	shortKey := filepath.Join(dir, "short.bin")
	if err := os.WriteFile(shortKey, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.png")
	empty, huge := filepath.Join(dir, "empty.png"), filepath.Join(dir, "huge.bin")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// A sparse file: reading it whole (as the old reader did, up to 537 MB)
	// costs memory; checking the signature first costs 8 bytes.
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 1<<30); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  []string // fragments of stderr
	}{
		{"no subcommand", []string{"stego"}, 2, []string{"no subcommand"}},
		{"unknown subcommand", []string{"stego", "hide"}, 2, []string{`unknown subcommand "hide"`}},
		{"embed without --in", []string{"stego", "embed", "--out", out, "--users", "a"}, 2, []string{"--in is required"}},
		{"embed without --users", []string{"stego", "embed", "--in", cover, "--out", out}, 2, []string{"--users (or --user) is required"}},
		{"embed bad flag", []string{"stego", "embed", "--bogus"}, 2, []string{"stego embed", "bogus"}},
		{"embed bad compression", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--compression", "max"}, 2, []string{`--compression "max"`}},
		{"embed zero max pixels", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--max-pixels", "0"}, 2, []string{`invalid value "0" for flag -max-pixels`}},
		{"embed empty username", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "alice,,bob"}, 1, []string{`username 1 "" is empty`}},
		{"embed negative quota", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--quota", "-2"}, 2, []string{`invalid value "-2" for flag -quota: want a whole number in decimal, 0..4294967295`}},
		{"embed bad id", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--id", "a/b"}, 1, []string{`--id/--users/--user/--quota: invalid metadata: id "a/b" has '/' at byte 1`}},
		{"embed hex quota", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--quota", "0x10"}, 2, []string{`invalid value "0x10" for flag -quota`}},
		{"embed quota over u32", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--quota", "4294967296"}, 2, []string{`invalid value "4294967296" for flag -quota`}},
		{"embed into a .jpg name", []string{"stego", "embed", "--in", cover, "--out", filepath.Join(dir, "out.jpg"), "--users", "a"}, 2, []string{`out.jpg": the output is a PNG, so its name must end in .png`}},
		{"embed empty cover", []string{"stego", "embed", "--in", empty, "--out", out, "--users", "a"}, 1, []string{"empty.png: not a decodable png or jpeg image: the input is empty (0 bytes)"}},
		{"embed 1 GiB of non-image", []string{"stego", "embed", "--in", huge, "--out", out, "--users", "a"}, 1, []string{"huge.bin: not a decodable png or jpeg image: signature 00 00 00 00 00 00 00 00 is neither png"}},
		{"extract empty file", []string{"stego", "extract", "--in", empty}, 1, []string{"the input is empty (0 bytes)"}},
		{"embed missing cover", []string{"stego", "embed", "--in", filepath.Join(dir, "nope.png"), "--out", out, "--users", "a"}, 1, []string{"nope.png", "no such file"}},
		{"embed not an image", []string{"stego", "embed", "--in", shortKey, "--out", out, "--users", "a"}, 1, []string{"short.bin", "not a decodable"}},
		{"embed too small", []string{"stego", "embed", "--in", tiny, "--out", out, "--users", "alice"}, 1, []string{"tiny.png", "10×2 image carries 7 bytes, frame needs"}},
		{"embed over pixel limit", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--max-pixels", "100"}, 1, []string{"cover.png", "image too large"}},
		{"embed short key", []string{"stego", "embed", "--in", cover, "--out", out, "--users", "a", "--key", shortKey}, 1, []string{"short.bin", "holds 10 bytes, want exactly 32"}},
		{"embed into missing dir", []string{"stego", "embed", "--in", cover, "--out", filepath.Join(dir, "no", "out.png"), "--users", "a"}, 1, []string{"out.png"}},
		{"extract without data", []string{"stego", "extract", "--in", cover}, 1, []string{"cover.png", "no hidden data"}},
		{"extract sealed without key", []string{"stego", "extract", "--in", sealed}, 1, []string{"sealed.png", "sealed: key needed"}},
		{"extract sealed, wrong key", []string{"stego", "extract", "--in", sealed, "--key", otherKey}, 1, []string{"sealed.png", "authentication failed"}},
		{"extract plain with key", []string{"stego", "extract", "--in", plain, "--key", key}, 1, []string{"plain.png", "not sealed"}},
		{"keygen over existing", []string{"stego", "keygen", "--out", key}, 1, []string{"key.bin", "refusing to overwrite"}},
		{"keygen without --out", []string{"stego", "keygen"}, 2, []string{"--out is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("%v: exit %d, want %d (stderr %q)", tt.args, code, tt.wantCode, stderr)
			}
			for _, frag := range tt.wantErr {
				if !strings.Contains(stderr, frag) {
					t.Errorf("%v: stderr %q lacks %q", tt.args, stderr, frag)
				}
			}
			if tt.wantCode != 0 && stdout != "" {
				t.Errorf("%v: failed but printed %q on stdout", tt.args, stdout)
			}
		})
	}
	// No failed embed left an output file or a temporary file behind.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "out.png" || e.Name() == "out.jpg" || strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("failed commands left %s in the directory", e.Name())
		}
	}
}

func TestStegoKeygen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key.bin")
	if code, stdout, stderr := runCLI(t, "stego", "keygen", "--out", path); code != 0 || !strings.Contains(stdout, "32-byte key") {
		t.Fatalf("keygen: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 || info.Size() != 32 {
		t.Errorf("key file mode %v size %d, want -rw------- and 32", info.Mode().Perm(), info.Size())
	}
	first, _ := os.ReadFile(path)
	if code, _, _ := runCLI(t, "stego", "keygen", "--out", path); code != 1 {
		t.Errorf("second keygen to the same path: exit %d, want 1", code)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(first, again) {
		t.Errorf("a refused keygen changed the existing key")
	}
	if _, err := stego.LoadKey(path); err != nil {
		t.Errorf("LoadKey(keygen output): %v", err)
	}
}

// TestStegoHelp: every subcommand's --help exits 0 and documents each flag.
func TestStegoHelp(t *testing.T) {
	flags := map[string][]string{
		"embed":   {"-in", "-out", "-users", "-quota", "-key", "-max-pixels", "-compression"},
		"extract": {"-in", "-key", "-max-pixels"},
		"keygen":  {"-out"},
	}
	for sub, want := range flags {
		code, stdout, _ := runCLI(t, "stego", sub, "--help")
		if code != 0 {
			t.Errorf("stego %s --help: exit %d, want 0", sub, code)
		}
		for _, f := range append(want, "Usage: stegocloud stego "+sub) {
			if !strings.Contains(stdout, f) {
				t.Errorf("stego %s --help output lacks %q:\n%s", sub, f, stdout)
			}
		}
	}
	code, stdout, _ := runCLI(t, "stego", "--help")
	if code != 0 || !strings.Contains(stdout, "embed") || !strings.Contains(stdout, "keygen") {
		t.Errorf("stego --help: exit %d, output %q", code, stdout)
	}
	if code, stdout, _ := runCLI(t, "--help"); code != 0 || !strings.Contains(stdout, "stego") {
		t.Errorf("--help: exit %d, output %q does not list stego", code, stdout)
	}
}

// TestStegoEmbedKeepsOpaqueRGB: an opaque cover gives an RGB PNG.
func TestStegoEmbedKeepsOpaqueRGB(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.png")
	if code, _, stderr := runCLI(t, "stego", "embed", "--in", writeCover(t, dir, 40, 40), "--out", out, "--users", "a"); code != 0 {
		t.Fatalf("embed: exit %d, %q", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 26 || data[25] != 2 {
		t.Errorf("output colour type %d, want 2 (RGB)", data[25])
	}
	info, _ := os.Stat(out)
	if info.Mode().Perm() != 0o644 {
		t.Errorf("output mode %v, want -rw-r--r--", info.Mode().Perm())
	}
}

// TestStegoEmbedMetadataFlags: what the flags say is exactly what extract
// reads back — the default quota, a decimal "010", names with commas and
// spaces through --user.
func TestStegoEmbedMetadataFlags(t *testing.T) {
	dir := t.TempDir()
	cover := writeCover(t, dir, 64, 48)
	tests := []struct {
		name string
		args []string
		want stego.Metadata
	}{
		{"default quota", []string{"--users", "alice", "--id", "a"}, stego.Metadata{ID: "a", Usernames: []string{"alice"}, Quota: stego.DefaultQuota}},
		{"leading zero is decimal", []string{"--users", "alice", "--quota", "010", "--id", "b"}, stego.Metadata{ID: "b", Usernames: []string{"alice"}, Quota: 10}},
		{"largest quota", []string{"--users", "alice", "--quota", "4294967295", "--id", "c"}, stego.Metadata{ID: "c", Usernames: []string{"alice"}, Quota: 4294967295}},
		{"--user verbatim, after --users", []string{"--user", "smith, john", "--users", "alice, bob", "--user", " x ", "--id", "d"},
			stego.Metadata{ID: "d", Usernames: []string{"alice", "bob", "smith, john", " x "}, Quota: stego.DefaultQuota}},
		{"--user alone", []string{"--user", "a,b", "--id", "e"}, stego.Metadata{ID: "e", Usernames: []string{"a,b"}, Quota: stego.DefaultQuota}},
		{"longest id, every allowed byte", []string{"--users", "a", "--id", strings.Repeat("Az09._-", 10)[:stego.MaxIDBytes]},
			stego.Metadata{ID: strings.Repeat("Az09._-", 10)[:stego.MaxIDBytes], Usernames: []string{"a"}, Quota: stego.DefaultQuota}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprintf("s%d.PNG", i))
			args := append([]string{"stego", "embed", "--in", cover, "--out", out}, tt.args...)
			if code, _, stderr := runCLI(t, args...); code != 0 {
				t.Fatalf("%q: exit %d, stderr %q", args, code, stderr)
			}
			code, stdout, stderr := runCLI(t, "stego", "extract", "--in", out)
			if code != 0 {
				t.Fatalf("extract: exit %d, stderr %q", code, stderr)
			}
			var got stego.Metadata
			if err := json.Unmarshal([]byte(stdout), &got); err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%q: extract printed %s (%v), want %+v", tt.args, stdout, err, tt.want)
			}
		})
	}
}

// TestStegoHelpStatesLimits: the limits in --help are the codec's, and embed
// and send agree on the quota's default.
func TestStegoHelpStatesLimits(t *testing.T) {
	want := []string{
		fmt.Sprintf("1 to %d usernames", stego.MaxUsernames),
		fmt.Sprintf("1 to\n%d bytes of UTF-8", stego.MaxUsernameBytes),
		fmt.Sprintf("0 to %d views", int64(stego.MaxQuota)),
		fmt.Sprintf("number of views allowed, in decimal (default %d)", stego.DefaultQuota),
		"for a name with a comma, use --user",
		"name ending in .png",
	}
	for _, cmd := range [][]string{{"stego", "embed", "--help"}, {"send", "--help"}} {
		code, stdout, _ := runCLI(t, cmd...)
		if code != 0 {
			t.Errorf("%q: exit %d", cmd, code)
		}
		for _, w := range want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%q lacks %q:\n%s", cmd, w, stdout)
			}
		}
	}
}

// TestStegoEmbedSixteenBit: a 16-bit cover gives a 16-bit PNG, the printed
// PSNR is against the real 16-bit cover, and a transparent pixel keeps its
// colour (issue 15: 8-bit output, 60.08 dB printed against the 8-bit
// conversion, {65535 65535 0 0} written as {0 0 0 0}).
func TestStegoEmbedSixteenBit(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	gray := image.NewGray16(image.Rect(0, 0, 40, 30))
	rgba := image.NewNRGBA64(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			gray.SetGray16(x, y, color.Gray16{uint16(rng.Uint32())})
			rgba.SetNRGBA64(x, y, color.NRGBA64{uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32()), uint16(rng.Uint32())})
		}
	}
	rgba.SetNRGBA64(39, 29, color.NRGBA64{65535, 65535, 0, 0})
	for name, img := range map[string]image.Image{"gray16": gray, "rgba16": rgba} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := png.Encode(&b, img); err != nil {
				t.Fatal(err)
			}
			in, out := filepath.Join(dir, name+".png"), filepath.Join(dir, name+"-out.png")
			if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(t, "stego", "embed", "--in", in, "--out", out, "--users", "alice")
			if code != 0 {
				t.Fatalf("embed: exit %d, %q", code, stderr)
			}
			if db := psnrFrom(t, stdout); db < 96.3 {
				t.Errorf("printed PSNR %.2f dB, want ≥ 96.3 (16-bit samples off by at most 1)", db)
			}
			if !strings.Contains(stdout, "16-bit samples, kept in the output") {
				t.Errorf("stdout %q does not say the depth was kept", stdout)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) < 26 || data[24] != 16 {
				t.Fatalf("output depth %d, want 16", data[24])
			}
			dec, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if n, ok := dec.(*image.NRGBA64); name == "rgba16" && (!ok || n.NRGBA64At(39, 29) != color.NRGBA64{65535, 65535, 0, 0}) {
				t.Errorf("transparent pixel came out as %v, want {65535 65535 0 0}", dec.At(39, 29))
			}
			if code, stdout, stderr := runCLI(t, "stego", "extract", "--in", out); code != 0 || !strings.Contains(stdout, `"usernames":["alice"]`) {
				t.Errorf("extract: exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
		})
	}
}

// TestStegoExtractVersion1: an image written before ids (frame version 1,
// bytes of the old writer) shows the id derived from its frame.
func TestStegoExtractVersion1(t *testing.T) {
	frame, err := hex.DecodeString("5354470100000000277b22757365726e616d6573223a5b22616c696365222c22626f62225d2c2271756f7461223a357d40b31639")
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 64, 16))
	if err := stego.EmbedFrame(img, frame); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.png")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "stego", "extract", "--in", path)
	if want := `{"id":"v1-27303e1b473edff2792b789a3bfa1c26","usernames":["alice","bob"],"quota":5}` + "\n"; code != 0 || stdout != want {
		t.Errorf("extract: exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, want)
	}
}
