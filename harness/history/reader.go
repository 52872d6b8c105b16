package history

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLineBytes bounds one line of history.jsonl (an online() answer with
// many users is the longest).
const MaxLineBytes = 16 << 20

// Reader reads history.jsonl, the format Writer writes, validating each
// line; it is the format's only reader.
type Reader struct {
	sc   *bufio.Scanner
	line int
	err  error
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes)
	return &Reader{sc: sc}
}

// Next returns the next operation, io.EOF after the last, or an error
// wrapping ErrBadHistory that names the line. After an error it returns the
// same error again.
func (r *Reader) Next() (Op, error) {
	if r.err != nil {
		return Op{}, r.err
	}
	if !r.sc.Scan() {
		r.err = io.EOF
		if err := r.sc.Err(); errors.Is(err, bufio.ErrTooLong) {
			r.err = r.fail(r.line+1, fmt.Errorf("longer than %d bytes", MaxLineBytes))
		} else if err != nil {
			r.err = r.fail(r.line+1, err)
		}
		return Op{}, r.err
	}
	r.line++
	b := r.sc.Bytes()
	if len(bytes.TrimSpace(b)) == 0 {
		r.err = r.fail(r.line, errors.New("empty line"))
		return Op{}, r.err
	}
	var op Op
	if err := op.UnmarshalJSON(b); err != nil {
		r.err = r.fail(r.line, err)
		return Op{}, r.err
	}
	return op, nil
}

func (r *Reader) fail(line int, err error) error {
	return fmt.Errorf("%w: line %d: %w", ErrBadHistory, line, err)
}

// ReadAll reads every operation of a history.jsonl stream, in file order:
// ops[i] is line i+1. The first bad line ends it with an error naming it.
func ReadAll(r io.Reader) ([]Op, error) {
	rd := NewReader(r)
	var ops []Op
	for {
		op, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return ops, nil
		}
		if err != nil {
			return ops, err
		}
		ops = append(ops, op)
	}
}
