package experiment

import (
	"fmt"
	"math"
)

// Mix is the share of each operation in the workload (workload.mix): every
// request draws its operation from it, seeded by (seed, request number).
// All zero — the field absent — means every request is an encrypt, as in
// the seed's stress test. Views pick an image that an encrypt of the same
// run had answered, and a user that is authorized or not (UnauthorizedShare);
// register, unregister and online() act on the discovery table.
type Mix struct {
	Encrypt    float64 `yaml:"encrypt"`
	View       float64 `yaml:"view"`
	Register   float64 `yaml:"register"`
	Unregister float64 `yaml:"unregister"`
	Online     float64 `yaml:"online"`
}

// The operations of a mix, as load.Request and history.jsonl name them.
const (
	OpEncrypt    = "encrypt"
	OpView       = "view"
	OpRegister   = "register"
	OpUnregister = "unregister"
	OpOnline     = "online"
)

// MixOps lists the operations in the order Pick draws them.
var MixOps = []string{OpEncrypt, OpView, OpRegister, OpUnregister, OpOnline}

// UnauthorizedShare is the share of views made as a user the image does not
// authorize (one in eight): those must be refused with "not authorized".
const UnauthorizedShare = 0.125

// Of is op's share; 0 for an unknown op.
func (m Mix) Of(op string) float64 {
	switch op {
	case OpEncrypt:
		return m.Encrypt
	case OpView:
		return m.View
	case OpRegister:
		return m.Register
	case OpUnregister:
		return m.Unregister
	case OpOnline:
		return m.Online
	}
	return 0
}

// IsZero reports whether no share is set: the encrypt-only workload.
func (m Mix) IsZero() bool { return m == Mix{} }

// Total is the sum of the shares.
func (m Mix) Total() float64 {
	t := 0.0
	for _, op := range MixOps {
		t += m.Of(op)
	}
	return t
}

// TableOps reports whether the mix has operations on the cluster's table
// (view, register, unregister, online).
func (m Mix) TableOps() bool { return m.Total()-m.Encrypt > 0 }

// Pick maps u, uniform in [0, 1), to an operation by the shares (which add
// up to 1); a zero mix picks encrypt.
func (m Mix) Pick(u float64) string {
	if m.IsZero() {
		return OpEncrypt
	}
	acc := 0.0
	last := OpEncrypt
	for _, op := range MixOps {
		p := m.Of(op)
		if p <= 0 {
			continue
		}
		acc += p
		last = op
		if u < acc {
			return op
		}
	}
	return last // rounding: u just below 1 and shares adding to 1 − ε
}

func (m Mix) validate(fe *fieldErrors, launch string) {
	if m.IsZero() {
		return
	}
	for _, op := range MixOps {
		if p := m.Of(op); !(p >= 0 && p <= 1) {
			fe.addf("workload.mix."+op, "must be in 0..1, got %v", p)
		}
	}
	if t := m.Total(); math.Abs(t-1) > 1e-6 {
		fe.addf("workload.mix", "the shares add up to %v; they must add up to 1 (e.g. {encrypt: 0.2, view: 0.7, register: 0.05, online: 0.05})", roundShare(t))
	}
	if m.View > 0 && m.Encrypt <= 0 {
		fe.addf("workload.mix.view", "views need images encrypted in the same run; give encrypt a share > 0")
	}
	if m.TableOps() && launch == LaunchNoop {
		fe.addf("workload.mix", "view, register, unregister and online need a cluster; launch: noop runs none (use encrypt: 1 or remove mix)")
	}
}

func roundShare(v float64) string { return fmt.Sprintf("%.6g", v) }
