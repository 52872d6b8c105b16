package main

import (
	"fmt"
	"os"

	"stegocloud/stego"
)

// The files of the stego commands: images read with the codec's limits,
// outputs written whole or not at all.

// stegoReadImage reads an image file with codec.ReadImage (stego.ReadImage
// for a nil codec), which checks the signature and the header first and
// reads no more than the image needs, so a wrong path cannot make us read
// gigabytes.
func stegoReadImage(path string, codec *stego.Codec) ([]byte, error) {
	read := stego.ReadImage
	if codec != nil {
		read = codec.ReadImage
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}
