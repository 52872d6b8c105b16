package table

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"unicode/utf8"
)

// Limits on op fields. They bound the table, the log entries and the
// snapshot, and make a garbage op an error rather than an allocation.
const (
	MaxIDLen   = 128     // bytes of a client request id
	MaxNameLen = 256     // bytes of an image id or a user name
	MaxAddrLen = 256     // bytes of a registered address
	MaxQuota   = 1 << 30 // an image's initial views
	MaxOpBytes = 4096    // bytes of an encoded op (DecodeOp)
)

// Op kinds, as Kind returns them.
const (
	KindView       = "view"
	KindRegister   = "register"
	KindUnregister = "unregister"
	KindOnline     = "online"
)

// Op is one table operation: exactly one of the kind fields is set. ID is the
// client's request id (see the package doc on retries); empty means the op is
// applied every time it is applied.
type Op struct {
	ID         string      `json:"id,omitempty"`
	View       *View       `json:"view,omitempty"`
	Register   *Register   `json:"register,omitempty"`
	Unregister *Unregister `json:"unregister,omitempty"`
	Online     *Online     `json:"online,omitempty"`
}

// View spends one view of Image for User. Quota is the image's initial views
// and Authorized whether User may view it, both read by the node from the
// image's metadata.
type View struct {
	Image      string `json:"image"`
	User       string `json:"user"`
	Quota      int    `json:"quota"`
	Authorized bool   `json:"authorized"`
}

// Register puts User online at Addr.
type Register struct {
	User string `json:"user"`
	Addr string `json:"addr"`
}

// Unregister takes User offline.
type Unregister struct {
	User string `json:"user"`
}

// Online lists the online users.
type Online struct{}

// Kind names the op's kind ("view", "register", "unregister", "online"), or
// "" when no kind or more than one is set.
func (op Op) Kind() string {
	kind, n := "", 0
	if op.View != nil {
		kind, n = KindView, n+1
	}
	if op.Register != nil {
		kind, n = KindRegister, n+1
	}
	if op.Unregister != nil {
		kind, n = KindUnregister, n+1
	}
	if op.Online != nil {
		kind, n = KindOnline, n+1
	}
	if n != 1 {
		return ""
	}
	return kind
}

// ReadOnly says whether the op never changes the table (online).
func (op Op) ReadOnly() bool { return op.Kind() == KindOnline }

// Validate reports why op is not a valid op, wrapping ErrInvalidOp.
func (op Op) Validate() error {
	if op.ID != "" {
		if err := checkString("id", op.ID, MaxIDLen); err != nil {
			return err
		}
	}
	switch op.Kind() {
	case KindView:
		v := op.View
		if err := checkString("view.image", v.Image, MaxNameLen); err != nil {
			return err
		}
		if err := checkString("view.user", v.User, MaxNameLen); err != nil {
			return err
		}
		if v.Quota < 0 || v.Quota > MaxQuota {
			return fmt.Errorf("%w: view.quota %d not in [0, %d]", ErrInvalidOp, v.Quota, MaxQuota)
		}
	case KindRegister:
		if err := checkString("register.user", op.Register.User, MaxNameLen); err != nil {
			return err
		}
		if err := checkString("register.addr", op.Register.Addr, MaxAddrLen); err != nil {
			return err
		}
	case KindUnregister:
		if err := checkString("unregister.user", op.Unregister.User, MaxNameLen); err != nil {
			return err
		}
	case KindOnline:
	default:
		return fmt.Errorf("%w: want exactly one of view, register, unregister, online", ErrInvalidOp)
	}
	return nil
}

// checkString accepts a non-empty valid UTF-8 string of at most max bytes
// without control characters (so it survives JSON and log lines unchanged).
func checkString(field, s string, max int) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: %s is empty", ErrInvalidOp, field)
	case len(s) > max:
		return fmt.Errorf("%w: %s has %d bytes, more than %d", ErrInvalidOp, field, len(s), max)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidOp, field)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: %s contains control character %U", ErrInvalidOp, field, r)
		}
	}
	return nil
}

// EncodeOp returns op's JSON encoding, after validating it.
func EncodeOp(op Op) ([]byte, error) {
	if err := op.Validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(op)
	if err != nil {
		return nil, fmt.Errorf("%w: encoding: %v", ErrInvalidOp, err)
	}
	return b, nil
}

// DecodeOp parses one op from b: strict JSON (unknown fields and trailing
// data refused, at most MaxOpBytes), then Validate.
func DecodeOp(b []byte) (Op, error) {
	var op Op
	if len(b) > MaxOpBytes {
		return Op{}, fmt.Errorf("%w: %d bytes, more than %d", ErrInvalidOp, len(b), MaxOpBytes)
	}
	if err := decodeStrict(b, &op); err != nil {
		return Op{}, fmt.Errorf("%w: %v", ErrInvalidOp, err)
	}
	if err := op.Validate(); err != nil {
		return Op{}, err
	}
	return op, nil
}

// decodeStrict decodes exactly one JSON value into v, refusing unknown fields
// and anything after the value.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

// fingerprint identifies what op does, without its ID, so that a reused ID
// on a different op is caught. Validated ops marshal deterministically.
func (op Op) fingerprint() uint64 {
	op.ID = ""
	b, _ := json.Marshal(op) // cannot fail: plain strings, ints and bools
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}
