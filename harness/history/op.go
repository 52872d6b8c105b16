package history

import (
	"fmt"
	"strings"
	"time"
)

// Kind names a table operation.
type Kind string

// The table's operations.
const (
	View       Kind = "view"       // view(image, user): spend one of the image's views
	Register   Kind = "register"   // register(user, addr)
	Unregister Kind = "unregister" // unregister(user)
	Online     Kind = "online"     // online(): every registered user with its address
)

// Outcome is what the client learned about an operation.
type Outcome string

// The outcomes, after Jepsen's :ok, :fail and :info.
const (
	// OK: the client got the cluster's answer; Output holds it.
	OK Outcome = "ok"
	// Fail: the operation certainly did not take effect (the request never
	// left the client, or a node refused it before touching the table). The
	// checks leave it out; labelling a request Fail that may have reached the
	// table hides anomalies, so when in doubt record Unknown.
	Fail Outcome = "fail"
	// Unknown: no answer (timed out, connection lost after sending). The
	// operation may or may not have taken effect, at any time from its call
	// on; it has no return time.
	Unknown Outcome = "unknown"
)

// The reasons a view is refused, as the cluster words them.
const (
	ReasonNotAuthorized  = "not authorized"
	ReasonQuotaExhausted = "quota exhausted"
)

// Auth is what the client knows about a user's right to view an image.
type Auth uint8

// The three states of that knowledge.
const (
	AuthUnknown Auth = iota // the client does not know: both answers are legal
	AuthAllowed             // the user is in the image's authorized list
	AuthDenied              // the user is not
)

// Peer is one entry of online()'s answer.
type Peer struct {
	User string `json:"user"`
	Addr string `json:"addr"`
}

// Input is what the client asked. Which fields a kind uses is fixed: View
// uses Image, User, Quota and Authorized; Register uses User and Addr;
// Unregister uses User; Online none. The others must be zero.
type Input struct {
	Image      string // image id (from the image's metadata)
	User       string
	Quota      int  // the image's quota, as the harness wrote it into the image
	Authorized Auth // whether User is among the image's authorized users
	Addr       string
}

// Output is what the cluster answered, meaningful only when the outcome is
// OK. View uses Granted, Remaining and Reason; Online uses Online; Register
// and Unregister answer nothing.
type Output struct {
	Granted   bool
	Remaining int    // views left after this one (before it, when refused)
	Reason    string // why a view was refused; empty when granted
	Online    []Peer // sorted by user, as the cluster returns it
}

// Op is one table operation as the harness saw it: one line of
// history.jsonl. Times are on the harness's monotonic clock, relative to the
// start of the load.
type Op struct {
	Client  int    // load client (worker slot) that issued it, from 0
	Kind    Kind   //
	Request string // request id on the wire, if any
	Input   Input
	Outcome Outcome
	Output  Output        // only when Outcome is OK
	Call    time.Duration // when the client sent it
	Return  time.Duration // when the client got the answer; 0 when Outcome is Unknown
	Node    int           // node that answered, from 1; 0 if not known
	Error   string        // the client's error text, if any

	// Applier is the node whose table applied the op (the coordinator that
	// granted a view), from 1, and Epoch its coordinator epoch then; 0 if not
	// known (only an answered op knows them).
	Applier int
	Epoch   uint64
}

// Validate reports the first problem with op alone, wrapping ErrInvalidOp.
func (op *Op) Validate() error {
	if err := op.validate(); err != nil {
		return fmt.Errorf("%w: %s", ErrInvalidOp, err)
	}
	return nil
}

func (op *Op) validate() error {
	switch {
	case op.Client < 0:
		return fmt.Errorf("client %d is negative", op.Client)
	case op.Node < 0:
		return fmt.Errorf("node %d is negative", op.Node)
	case op.Applier < 0:
		return fmt.Errorf("applier %d is negative", op.Applier)
	case op.Outcome != OK && (op.Applier != 0 || op.Epoch != 0):
		return fmt.Errorf("outcome %q with an applier or epoch (only an answer names them)", op.Outcome)
	case op.Call < 0:
		return fmt.Errorf("call time %d ns is before the load started", op.Call)
	}
	switch op.Outcome {
	case OK, Fail:
		if op.Return < op.Call {
			return fmt.Errorf("returned at %d ns, before its call at %d ns", op.Return, op.Call)
		}
	case Unknown:
		if op.Return != 0 {
			return fmt.Errorf("unknown outcome with a return time (%d ns)", op.Return)
		}
	default:
		return fmt.Errorf("outcome %q is not ok, fail or unknown", op.Outcome)
	}
	if op.Outcome != OK && !op.Output.zero() {
		return fmt.Errorf("outcome %s with an output", op.Outcome)
	}
	return op.validateKind()
}

// validateKind checks that op carries exactly the fields of its kind.
func (op *Op) validateKind() error {
	in, out := op.Input, op.Output
	switch op.Kind {
	case View:
		switch {
		case in.Image == "" || in.User == "":
			return fmt.Errorf("view without image or user")
		case in.Quota < 0:
			return fmt.Errorf("view with negative quota %d", in.Quota)
		case in.Authorized > AuthDenied:
			return fmt.Errorf("view with authorized = %d", in.Authorized)
		case in.Addr != "":
			return fmt.Errorf("view with an addr")
		case out.Remaining < 0:
			return fmt.Errorf("view answered negative remaining %d", out.Remaining)
		case out.Online != nil:
			return fmt.Errorf("view answered an online list")
		}
		return nil
	case Register, Unregister, Online:
		if in.Image != "" || in.Quota != 0 || in.Authorized != AuthUnknown {
			return fmt.Errorf("%s with an image, quota or authorized", op.Kind)
		}
		if out.Granted || out.Remaining != 0 || out.Reason != "" {
			return fmt.Errorf("%s answered a view's output", op.Kind)
		}
	default:
		return fmt.Errorf("kind %q is not view, register, unregister or online", op.Kind)
	}
	switch {
	case op.Kind == Online && (in.User != "" || in.Addr != ""):
		return fmt.Errorf("online with a user or addr")
	case op.Kind != Online && in.User == "":
		return fmt.Errorf("%s without a user", op.Kind)
	case op.Kind == Register && in.Addr == "":
		return fmt.Errorf("register without an addr")
	case op.Kind == Unregister && in.Addr != "":
		return fmt.Errorf("unregister with an addr")
	case op.Kind != Online && out.Online != nil:
		return fmt.Errorf("%s answered an online list", op.Kind)
	}
	for i, p := range out.Online {
		if p.User == "" {
			return fmt.Errorf("online answer %d has no user", i)
		}
	}
	return nil
}

func (o *Output) zero() bool {
	return !o.Granted && o.Remaining == 0 && o.Reason == "" && o.Online == nil
}

// Validate checks every operation and what they must agree on: each image
// has one quota. Problems with one op wrap ErrInvalidOp and name its index;
// disagreements wrap ErrInconsistent.
func Validate(ops []Op) error {
	quota := make(map[string]int)
	first := make(map[string]int)
	for i := range ops {
		op := &ops[i]
		if err := op.Validate(); err != nil {
			return fmt.Errorf("op %d: %w", i, err)
		}
		if op.Kind != View {
			continue
		}
		q, seen := quota[op.Input.Image]
		if !seen {
			quota[op.Input.Image], first[op.Input.Image] = op.Input.Quota, i
		} else if q != op.Input.Quota {
			return fmt.Errorf("%w: image %s has quota %d at op %d and %d at op %d",
				ErrInconsistent, op.Input.Image, q, first[op.Input.Image], op.Input.Quota, i)
		}
	}
	return nil
}

// String describes op in words for a report, e.g.
// "view(img-7, alice) by client 3 via node 2 [1.2031s–1.3102s] → granted, 1 left".
func (op Op) String() string {
	var b strings.Builder
	b.WriteString(op.call())
	fmt.Fprintf(&b, " by client %d", op.Client)
	if op.Node > 0 {
		fmt.Fprintf(&b, " via node %d", op.Node)
	}
	if op.Applier > 0 {
		fmt.Fprintf(&b, ", applied by node %d", op.Applier)
		if op.Epoch > 0 {
			fmt.Fprintf(&b, " in epoch %d", op.Epoch)
		}
	}
	if op.Request != "" {
		fmt.Fprintf(&b, " (request %s)", op.Request)
	}
	if op.Outcome == Unknown {
		fmt.Fprintf(&b, " [%s–?]", fmtTime(op.Call))
	} else {
		fmt.Fprintf(&b, " [%s–%s]", fmtTime(op.Call), fmtTime(op.Return))
	}
	b.WriteString(" → ")
	b.WriteString(op.result())
	return b.String()
}

// call is the operation as a call: "view(img-7, alice)".
func (op *Op) call() string {
	switch op.Kind {
	case View:
		return fmt.Sprintf("view(%s, %s)", op.Input.Image, op.Input.User)
	case Register:
		return fmt.Sprintf("register(%s, %s)", op.Input.User, op.Input.Addr)
	case Unregister:
		return fmt.Sprintf("unregister(%s)", op.Input.User)
	case Online:
		return "online()"
	}
	return string(op.Kind) + "(?)"
}

// result is what came back, in words.
func (op *Op) result() string {
	switch {
	case op.Outcome == Unknown:
		return "unknown" + errSuffix(op.Error)
	case op.Outcome == Fail:
		return "failed" + errSuffix(op.Error)
	case op.Kind == View && op.Output.Granted:
		return fmt.Sprintf("granted, %d left", op.Output.Remaining)
	case op.Kind == View:
		return fmt.Sprintf("refused (%s), %d left", op.Output.Reason, op.Output.Remaining)
	case op.Kind == Online:
		return peersString(op.Output.Online)
	}
	return "ok"
}

func errSuffix(e string) string {
	if e == "" {
		return ""
	}
	return " (" + e + ")"
}

func peersString(ps []Peer) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.User + "@" + p.Addr
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// fmtTime prints a time since the load started with a precision that suits
// a report: 1.2031s, 12.5ms.
func fmtTime(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.String()
	case d < time.Second:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(100 * time.Microsecond).String()
}
