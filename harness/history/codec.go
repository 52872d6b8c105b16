package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// wireOp is one line of history.jsonl. Pointers tell an absent field from a
// zero one where the difference matters (remaining 0, quota 0, an empty
// online list, authorized false).
type wireOp struct {
	Client  int         `json:"client"`
	Kind    Kind        `json:"kind"`
	Request string      `json:"request,omitempty"`
	Input   wireInput   `json:"input"`
	Outcome Outcome     `json:"outcome"`
	Output  *wireOutput `json:"output,omitempty"`
	Call    int64       `json:"call_ns"`
	Return  *int64      `json:"return_ns,omitempty"`
	Node    int         `json:"node,omitempty"`
	Error   string      `json:"error,omitempty"`
	Applier int         `json:"applier,omitempty"`
	Epoch   uint64      `json:"epoch,omitempty"`
}

type wireInput struct {
	Image      string `json:"image,omitempty"`
	User       string `json:"user,omitempty"`
	Quota      *int   `json:"quota,omitempty"`
	Authorized *bool  `json:"authorized,omitempty"`
	Addr       string `json:"addr,omitempty"`
}

type wireOutput struct {
	Granted   *bool   `json:"granted,omitempty"`
	Remaining *int    `json:"remaining,omitempty"`
	Reason    string  `json:"reason,omitempty"`
	Online    *[]Peer `json:"online,omitempty"`
}

// MarshalJSON writes op as one history.jsonl object (without the newline).
func (op Op) MarshalJSON() ([]byte, error) {
	return json.Marshal(toWire(&op))
}

// UnmarshalJSON reads one history.jsonl object strictly: unknown fields,
// fields its kind does not have, and missing ones are errors.
func (op *Op) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var w wireOp
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidOp, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: data after the object", ErrInvalidOp)
	}
	got, err := fromWire(&w)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidOp, err)
	}
	if err := got.Validate(); err != nil {
		return err
	}
	*op = got
	return nil
}

func toWire(op *Op) wireOp {
	w := wireOp{
		Client: op.Client, Kind: op.Kind, Request: op.Request, Outcome: op.Outcome,
		Call: int64(op.Call), Node: op.Node, Error: op.Error, Applier: op.Applier, Epoch: op.Epoch,
		Input: wireInput{Image: op.Input.Image, User: op.Input.User, Addr: op.Input.Addr},
	}
	if op.Kind == View {
		w.Input.Quota = ptr(op.Input.Quota)
		if op.Input.Authorized != AuthUnknown {
			w.Input.Authorized = ptr(op.Input.Authorized == AuthAllowed)
		}
	}
	if op.Outcome != Unknown {
		w.Return = ptr(int64(op.Return))
	}
	if op.Outcome != OK {
		return w
	}
	switch op.Kind {
	case View:
		w.Output = &wireOutput{Granted: ptr(op.Output.Granted), Remaining: ptr(op.Output.Remaining), Reason: op.Output.Reason}
	case Online:
		online := op.Output.Online
		if online == nil {
			online = []Peer{}
		}
		w.Output = &wireOutput{Online: &online}
	}
	return w
}

// fromWire checks the presence rules the Go type cannot express (a view has
// a quota; a known view answer has granted and remaining; an answered
// online() has its list; an unknown op has no return) and converts.
func fromWire(w *wireOp) (Op, error) {
	op := Op{
		Client: w.Client, Kind: w.Kind, Request: w.Request, Outcome: w.Outcome,
		Call: time.Duration(w.Call), Node: w.Node, Error: w.Error, Applier: w.Applier, Epoch: w.Epoch,
		Input: Input{Image: w.Input.Image, User: w.Input.User, Addr: w.Input.Addr},
	}
	switch {
	case w.Kind == View && w.Input.Quota == nil:
		return op, fmt.Errorf("view without a quota")
	case w.Kind != View && (w.Input.Quota != nil || w.Input.Authorized != nil):
		return op, fmt.Errorf("%s with a quota or authorized", w.Kind)
	case w.Outcome == Unknown && w.Return != nil:
		return op, fmt.Errorf("unknown outcome with return_ns")
	case w.Outcome != Unknown && w.Return == nil:
		return op, fmt.Errorf("outcome %q without return_ns", w.Outcome)
	case w.Outcome != OK && w.Output != nil:
		return op, fmt.Errorf("outcome %q with an output", w.Outcome)
	}
	if q := w.Input.Quota; q != nil {
		op.Input.Quota = *q
	}
	if a := w.Input.Authorized; a != nil {
		op.Input.Authorized = AuthDenied
		if *a {
			op.Input.Authorized = AuthAllowed
		}
	}
	if w.Return != nil {
		op.Return = time.Duration(*w.Return)
	}
	if w.Outcome != OK {
		return op, nil
	}
	return op, outputFromWire(&op, w.Output)
}

func outputFromWire(op *Op, o *wireOutput) error {
	if o == nil {
		o = &wireOutput{}
	}
	switch op.Kind {
	case View:
		if o.Granted == nil || o.Remaining == nil {
			return fmt.Errorf("view answer without granted or remaining")
		}
		if o.Online != nil {
			return fmt.Errorf("view answered an online list")
		}
		op.Output = Output{Granted: *o.Granted, Remaining: *o.Remaining, Reason: o.Reason}
	case Online:
		if o.Online == nil {
			return fmt.Errorf("online answer without its list")
		}
		if o.Granted != nil || o.Remaining != nil || o.Reason != "" {
			return fmt.Errorf("online answered a view's output")
		}
		op.Output = Output{Online: *o.Online}
		if op.Output.Online == nil { // "online": null
			op.Output.Online = []Peer{}
		}
	default:
		if o.Granted != nil || o.Remaining != nil || o.Reason != "" || o.Online != nil {
			return fmt.Errorf("%s answered an output", op.Kind)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
