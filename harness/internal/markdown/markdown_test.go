package markdown

import (
	"io"
	"strings"
	"testing"
)

func TestCellEscapes(t *testing.T) {
	if got, want := Cell("a|b\nc"), `a\|b c`; got != want {
		t.Errorf("Cell = %q, want %q", got, want)
	}
}

// A table escapes every cell, header included, and aligns the columns it is
// told to; the report's sections and compare's tables all come through it.
func TestAlignedTable(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b)
	w.AlignedTable([]string{"a|b", "n"}, []string{"", "--:"}, [][]string{{"x\ny", "1"}, {"", "22"}})
	want := "| a\\|b | n |\n|---|--:|\n| x y | 1 |\n|  | 22 |\n\n"
	if b.String() != want || w.Err() != nil {
		t.Errorf("table = %q (error %v), want %q", b.String(), w.Err(), want)
	}
}

type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.ErrShortWrite
	}
	f.n--
	return len(p), nil
}

// The first write error sticks and nothing is written after it.
func TestWriterKeepsFirstError(t *testing.T) {
	f := &failAfter{n: 1}
	w := NewWriter(f)
	w.Line("one")
	w.Line("two")
	w.Table([]string{"h"}, nil)
	if err := w.Err(); err != io.ErrShortWrite {
		t.Errorf("firstErr = %v, want %v", err, io.ErrShortWrite)
	}
}
