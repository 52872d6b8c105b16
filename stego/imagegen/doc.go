// Package imagegen draws the synthetic cover images of the cloud: the
// experiment harness makes its request images with it, and `stegocloud send
// --gen` its cover when none is given.
//
// PhotoLike draws a deterministic, seeded, opaque picture with the statistics
// that matter to an LSB codec and to PNG: smooth gradients and shapes (which
// PNG's filters predict well), a little texture, and per-pixel noise (which
// they cannot), so it compresses like a photograph rather than like a flat
// fill. It uses integer arithmetic only, so a seed gives the same pixels on
// every platform and Go version; the harness relies on that to regenerate
// request images from an experiment's seed, and TestPhotoLikeStable pins the
// pixels of a few seeds.
//
// The package imports nothing of the module; test fixtures built on these
// pictures (every colour model, a PNG writer for the layouts Go cannot
// write) are in stego/stegotest, for tests only.
package imagegen
