// Package stego hides the image-sharing cloud's metadata — the image's id,
// who may view it and how many views remain, {"id": "…", "usernames": [...],
// "quota": N} — in the least significant bits of the image's pixels, and
// reads it back.
//
// # Contract
//
// Hide decodes a cover (PNG in any colour model Go decodes — paletted, grey,
// grey+alpha, 8- or 16-bit, RGB, RGBA, interlaced — or JPEG), embeds the
// metadata and returns a PNG. Reveal returns exactly the metadata that was
// hidden. Extracting from our own output is exact because the output is
// lossless: it holds the decoded cover's pixels with only the frame's
// carrier bits changed. The output keeps the cover's sample depth: a 16-bit
// PNG gives a 16-bit PNG (an *image.NRGBA64 in memory), anything else an
// 8-bit one (*image.NRGBA). An opaque cover gives an opaque RGB PNG (colour
// type 2), any other an RGBA PNG (type 6); alpha is never touched, and a
// fully transparent pixel keeps its colour. Grey and paletted covers come
// out as RGB. ReadImage reads a file for Hide without reading more than an
// image of its announced size can need.
//
// Every error wraps one sentinel of errors.go. No input panics: image sizes
// are checked from the header (image.DecodeConfig) against Config.MaxPixels
// before anything is decoded, frame lengths are checked against the image's
// capacity and MaxPayload before anything is allocated for them, and the
// fuzz tests feed arbitrary bytes and arbitrary pixels to every reader.
// Codec, Hide and Reveal are safe for concurrent use; nothing is shared
// between calls but sync.Pools.
//
// # Carrier
//
// The carrier of an *image.NRGBA is its R, G and B bytes in row-major order,
// alpha skipped: carrier byte k is channel k mod 3 of pixel k div 3. Each
// holds one payload bit in its least significant bit, most significant bit
// of each payload byte first. A w×h image carries ⌊3·w·h/8⌋ bytes
// (Capacity). Bits past the frame keep the cover's values.
//
// The carrier of an *image.NRGBA64 (a 16-bit cover) is the same sequence of
// its 16-bit R, G and B samples, each holding one bit in its least
// significant bit (the low byte's): a change of 1/65535, so PSNR stays above
// 96.3 dB, against 48.1 dB in 8 bits. The least significant bit of v·257 is
// that of v, so an 8-bit output that a tool widens to 16 bits still reveals
// its frame; narrowing a 16-bit output to 8 bits loses it. PSNR compares
// samples at their own depth, against the real cover.
//
// # Frame
//
// The payload bytes on the carrier, from carrier byte 0:
//
//	offset  size  field
//	0       3     magic "STG" (0x53 0x54 0x47)
//	3       1     version: 2 (written and read), 1 (read only)
//	4       1     flags: bit 0 = sealed; bits 1-7 zero
//	5       4     payload length N, uint32 big-endian (the seed's length field)
//	9       N     payload
//	9+N     4     CRC-32 (IEEE) of bytes 0 .. 9+N-1, big-endian
//
// The payload is the metadata's JSON encoding (encoding/json, at most
// MaxMetadataBytes): in version 2 {"id":"…","usernames":[…],"quota":N}, the
// id required; in version 1 {"usernames":[…],"quota":N}, an id refused.
// Sealed, the payload is a 12-byte random nonce followed by the AES-256-GCM
// ciphertext of the JSON and its 16-byte tag, with the 9 header bytes
// (version included) as additional authenticated data: the id is inside the
// ciphertext, so it can be neither read nor changed without the key, and a
// sealed frame cannot be relabelled to the other version. FrameOverhead is
// 13 bytes; sealing adds 28; a drawn id adds 40 to the JSON ("id":"…", 32
// digits).
//
// # Image ids
//
// An id is 1 to MaxIDBytes (64) bytes of A-Z, a-z, 0-9, '.', '_' and '-', so
// that its JSON encoding is itself and it reads back exactly as given; the
// cluster's clients set it to verify responses. Hiding metadata without an
// id draws one: 16 bytes from Config.Rand (crypto/rand unless set) as 32
// lowercase hex digits (NewID). A version-1 frame carries no id; reading one
// gives "v1-" followed by the first 16 bytes of the SHA-256 of the whole
// frame as ExtractFrame returns it (header, payload and CRC: for a sealed
// frame, its nonce and ciphertext) in lowercase hex, 35 characters. Hiding a revealed version-1 image's metadata
// again writes version 2 with that id, so the image keeps its name.
//
// A reader tells the cases apart: no magic is ErrNoPayload (random LSBs
// match magic and version with probability 2^-32, either version 2^-31);
// another version is ErrUnsupported; unknown flags, a length over MaxPayload
// or over the image's capacity, a CRC mismatch or a payload that is not
// valid metadata of its version is ErrCorrupt. For a sealed frame, no key is ErrSealed ("sealed: key
// needed") and a wrong key or any change to the frame is ErrAuth; a key
// given for a frame that is not sealed is ErrAuth too, so a forger cannot
// strip the seal and substitute plain metadata. The CRC catches accidental
// damage; only the seal protects against deliberate change.
//
// # Kernel
//
// Eight NRGBA pixels are 32 bytes, 24 carrier bytes, exactly 3 payload
// bytes, so the kernel reads and writes them as four little-endian uint64
// words of two pixels. Embedding clears the six carrier bits of a word with
// a mask and ORs in six payload bits spread by a 64-entry table; extracting
// masks them and gathers them, in order, into the top of a word with one
// multiplication. It allocates nothing. The textbook bit-at-a-time loop is
// kept in the tests as the oracle and the benchmark baseline.
//
// # Output encoding
//
// The PNG encoder's level was chosen by measurement (BenchmarkHideLevel:
// decode a 1024×1024 imagegen.PhotoLike PNG, embed 1 KiB, encode): PNG
// decoding and encoding are nearly all of a request's CPU time, and on this
// two-core machine the cluster is CPU-bound while images move over loopback.
// Medians of 10 runs (time, output size):
//
//	NoCompression     36 ms   3.00 MiB
//	BestSpeed        143 ms   1.58 MiB
//	Default          214 ms   1.50 MiB
//	BestCompression  205 ms   1.50 MiB
//	stdlib pipeline  213 ms   1.50 MiB  (png.Decode, draw.Draw, bit loop, png.Encode)
//
// DefaultCompression is therefore png.NoCompression, 6× faster than the
// straightforward pipeline; what remains is mostly decoding the cover. It
// also makes Reveal of our output 7× faster (4.1 ms against 30 ms for a
// default-compressed one), since inflating stored blocks is a copy, and the
// cluster's client reveals every response. The price is size: the output is
// the raw pixel data, 3 bytes per pixel, twice a default-compressed photo.
// On loopback 3 MiB cost far less than 180 ms of CPU; set Config.Compression
// to png.BestSpeed where bytes matter more. png.Encoder's buffers (flate
// state) come from a sync.Pool: for a 128×128 request on both cores that cut
// allocation from 932 KiB to 175 KiB and time from 1.10 ms to 0.68 ms.
package stego
