package table

import (
	"fmt"
	"slices"
	"strings"
)

// View refusal reasons, as ViewResult.Reason carries them.
const (
	ReasonNotAuthorized = "not authorized"
	ReasonExhausted     = "quota exhausted"
)

// Result is what applying an op returned. Exactly the field of the op's kind
// is meaningful: View for view, Changed for register and unregister, Peers
// for online (empty when nobody is online). Error is set, and nothing
// changed, when the op was invalid or reused another op's request id.
type Result struct {
	View    *ViewResult `json:"view,omitempty"`
	Changed bool        `json:"changed,omitempty"`
	Peers   []Peer      `json:"peers,omitempty"`
	Error   string      `json:"error,omitempty"`
}

// ViewResult is a view's answer, as the client prints it.
type ViewResult struct {
	Granted   bool   `json:"granted"`
	Remaining int    `json:"remaining"`
	Reason    string `json:"reason,omitempty"`
}

// Peer is one online user.
type Peer struct {
	User string `json:"user"`
	Addr string `json:"addr"`
}

// clone returns a Result that shares no memory with r.
func (r Result) clone() Result {
	if r.View != nil {
		v := *r.View
		r.View = &v
	}
	r.Peers = slices.Clone(r.Peers)
	return r
}

// validate checks r the way DecodeResult and Restore need: known reasons,
// remaining in range, peers sorted and valid.
func (r Result) validate() error {
	if v := r.View; v != nil {
		if v.Remaining < 0 || v.Remaining > MaxQuota {
			return fmt.Errorf("view.remaining %d not in [0, %d]", v.Remaining, MaxQuota)
		}
		switch {
		case v.Granted && v.Reason != "":
			return fmt.Errorf("granted view with reason %q", v.Reason)
		case !v.Granted && v.Reason != ReasonNotAuthorized && v.Reason != ReasonExhausted:
			return fmt.Errorf("refused view with unknown reason %q", v.Reason)
		}
	}
	if err := checkPeers(r.Peers); err != nil {
		return err
	}
	if len(r.Error) > 1024 {
		return fmt.Errorf("error text has %d bytes", len(r.Error))
	}
	return nil
}

// checkPeers accepts valid peers sorted strictly by user.
func checkPeers(ps []Peer) error {
	for i, p := range ps {
		if err := checkString("peer.user", p.User, MaxNameLen); err != nil {
			return err
		}
		if err := checkString("peer.addr", p.Addr, MaxAddrLen); err != nil {
			return err
		}
		if i > 0 && strings.Compare(ps[i-1].User, p.User) >= 0 {
			return fmt.Errorf("peers not sorted by user at %q", p.User)
		}
	}
	return nil
}

// DecodeResult parses one Result from b (strict JSON, validated).
func DecodeResult(b []byte) (Result, error) {
	var r Result
	if err := decodeStrict(b, &r); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrInvalidResult, err)
	}
	if err := r.validate(); err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrInvalidResult, err)
	}
	return r, nil
}
