// Package stegotest makes test fixtures for the stego codec, the way etcd's
// rafttest makes test clusters. It is for _test.go files only; production
// code draws its pictures with stego/imagegen.
//
// Models lists one picture (an imagegen.PhotoLike, say) in every colour model
// Go's decoders produce (8- and 16-bit grey, grey+alpha, RGB, RGBA, paletted
// with and without transparency, Adam7-interlaced variants, JPEG colour and
// grey). Go's PNG encoder writes neither grey+alpha nor interlaced files, so
// EncodePNG is a small independent PNG writer for those. Quantize and the
// Cube palettes make paletted images.
package stegotest
