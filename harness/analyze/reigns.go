package analyze

import (
	"cmp"
	"slices"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/internal/reqid"
)

// CoordinatorActions are the event types in which a node acts as coordinator
// (the event's Node is the actor, its Epoch the epoch it acts in). Phase 2's
// table operations belong here once nodes log them.
var CoordinatorActions = []cluster.EventType{cluster.EvAssign, cluster.EvReassign}

// MaxSamples is how many example request ids a finding keeps.
const MaxSamples = 5

// maxDoubles bounds the double assignments kept for matching against
// overlapping reigns; more are counted (Analysis.DoublesDropped), not kept.
const maxDoubles = 1 << 16

// Reign is one node acting as coordinator in one epoch: from its first to
// its last coordinator action (CoordinatorActions) in that epoch. A node that
// coordinates and logs nothing has no reign.
type Reign struct {
	Node    int
	Epoch   uint64
	First   time.Duration // from the load start
	Last    time.Duration
	Actions int
}

// Overlap is two reigns of different nodes that overlapped in time: both
// nodes acted as coordinator in [From, To] (To = From when one's last action
// was the other's first). See harness/doc.go, "Single coordinator".
type Overlap struct {
	A, B     Reign // A began first (on a tie, the lower epoch)
	From, To time.Duration
	// Both counts the requests that A and B each assigned with both
	// assignments inside [From, To]; Requests holds the first few.
	Both     int
	Requests []string
}

// Duration is how long the two reigns overlapped.
func (o Overlap) Duration() time.Duration { return o.To - o.From }

// reqState is what the analyzer keeps per request id.
type reqState struct {
	reign uint32 // 1 + index of the reign that assigned it last; 0: none yet
	at    int32  // when, in 100 µs from the load start (clamped)
	done  uint8  // completions without error, saturating at 255
}

const reqTick = 100 * time.Microsecond

// double is a request assigned by a reign and then by one of another node.
type double struct {
	id           string
	first, later int // reign indexes
	t1, t2       time.Duration
}

type reignKey struct {
	node  int
	epoch uint64
}

// reigns tracks every reign and the requests assigned by two nodes.
type reigns struct {
	list    []Reign
	index   map[reignKey]int
	doubles []double
	dropped int
}

func newReigns() reigns { return reigns{index: map[reignKey]int{}} }

// action records one coordinator action by node in epoch at t.
func (r *reigns) action(node int, epoch uint64, t time.Duration) int {
	k := reignKey{node, epoch}
	i, ok := r.index[k]
	if !ok {
		i = len(r.list)
		r.index[k] = i
		r.list = append(r.list, Reign{Node: node, Epoch: epoch, First: t})
	}
	g := &r.list[i]
	g.Last = max(g.Last, t)
	g.Actions++
	return i
}

// assigned notes that reign i assigned request id at t, keeping the pair when
// a reign of another node assigned it before.
func (r *reigns) assigned(reqs *reqid.Table[reqState], id string, i int, t time.Duration) {
	if id == "" {
		return
	}
	st := reqs.Slot(id)
	if prev := int(st.reign) - 1; prev >= 0 && r.list[prev].Node != r.list[i].Node {
		if len(r.doubles) < maxDoubles {
			r.doubles = append(r.doubles, double{id: id, first: prev, later: i, t1: time.Duration(st.at) * reqTick, t2: t})
		} else {
			r.dropped++
		}
	}
	st.reign, st.at = uint32(i+1), int32(max(min(t/reqTick, 1<<31-1), -1<<31))
}

// overlaps finds every pair of reigns of different nodes that overlapped,
// in order of their start, with the requests both assigned inside the
// overlap.
func (r *reigns) overlaps() []Overlap {
	order := make([]int, len(r.list))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := r.list[a], r.list[b]
		return cmp.Or(cmp.Compare(ra.First, rb.First), cmp.Compare(ra.Epoch, rb.Epoch))
	})
	type pair struct{ a, b int }
	found := map[pair]int{}
	var out []Overlap
	for x, i := range order {
		a := r.list[i]
		for _, j := range order[x+1:] {
			b := r.list[j]
			if b.First > a.Last {
				break
			}
			if a.Node == b.Node {
				continue
			}
			found[pair{min(i, j), max(i, j)}] = len(out)
			out = append(out, Overlap{A: a, B: b, From: b.First, To: min(a.Last, b.Last)})
		}
	}
	seen := map[pair]map[string]bool{}
	for _, d := range r.doubles {
		p := pair{min(d.first, d.later), max(d.first, d.later)}
		k, ok := found[p]
		if !ok {
			continue
		}
		o := &out[k]
		// t1 is kept at 100 µs resolution, truncated: give it that slack.
		if d.t1+reqTick < o.From || d.t1 > o.To || d.t2 < o.From || d.t2 > o.To {
			continue
		}
		if seen[p] == nil {
			seen[p] = map[string]bool{}
		}
		if seen[p][d.id] {
			continue
		}
		seen[p][d.id] = true
		o.Both++
		if len(o.Requests) < MaxSamples {
			o.Requests = append(o.Requests, d.id)
		}
	}
	return out
}

// coordinatorAction handles an assign or reassign event.
func (z *Analyzer) coordinatorAction(e *cluster.Event) {
	t := z.at(e.Time)
	i := z.reigns.action(e.Node, e.Epoch, t)
	z.reigns.assigned(z.reqs, e.Request, i, t)
}

// completed handles a complete event: a request served, or failed by the
// service when Reason is set.
func (z *Analyzer) completed(e *cluster.Event) {
	if e.Request == "" || e.Reason != "" {
		return
	}
	st := z.reqs.Slot(e.Request)
	if st.done < 255 {
		st.done++
	}
	if st.done == 2 {
		z.a.Duplicates.Requests++
		if len(z.a.Duplicates.IDs) < maxDuplicateIDs {
			z.a.Duplicates.IDs = append(z.a.Duplicates.IDs, e.Request)
		} else {
			z.a.Duplicates.Truncated = true
		}
	}
}

// maxDuplicateIDs bounds the ids of requests completed twice that are kept.
const maxDuplicateIDs = 1 << 17

// Duplicates is the nodes' account of duplicate service: requests whose
// complete events (without a service error) number two or more, by one node
// (a retry served again) or by two.
type Duplicates struct {
	Requests  int
	IDs       []string // the first maxDuplicateIDs
	Truncated bool
}
