// Package stegotest makes test images for the stego codec and for the
// experiment harness, the way etcd's rafttest makes test clusters.
//
// PhotoLike draws a deterministic, seeded, opaque picture with the statistics
// that matter to an LSB codec and to PNG: smooth gradients and shapes (which
// PNG's filters predict well), a little texture, and per-pixel noise (which
// they cannot), so it compresses like a photograph rather than like a flat
// fill. It uses integer arithmetic only, so a seed gives the same pixels on
// every platform and Go version; the harness relies on that to regenerate
// request images from an experiment's seed.
//
// Models lists the same picture in every colour model Go's decoders produce
// (8- and 16-bit grey, grey+alpha, RGB, RGBA, paletted with and without
// transparency, Adam7-interlaced variants, JPEG colour and grey). Go's PNG
// encoder writes neither grey+alpha nor interlaced files, so EncodePNG is a
// small independent PNG writer for those.
package stegotest
