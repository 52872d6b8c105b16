package load

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"

	"stegocloud/harness/experiment"
	"stegocloud/harness/history"
)

// OpPicker draws each request's operation from a workload mix, seeded: the
// same (seed, seq) always picks the same operation, and Rand gives the
// request's own random numbers (which image, which user).
type OpPicker struct {
	mix  experiment.Mix
	seed uint64
}

// NewOpPicker picks from mix with the run's seed.
func NewOpPicker(mix experiment.Mix, seed int64) OpPicker {
	return OpPicker{mix: mix, seed: experiment.SubSeed(seed, "mix")}
}

// Rand is request seq's random source.
func (p OpPicker) Rand(seq uint64) *rand.Rand {
	return rand.New(rand.NewPCG(p.seed, seq))
}

// Pick is request seq's operation (experiment.OpEncrypt, OpView, …), drawn
// from r, which should be Rand(seq).
func (p OpPicker) Pick(r *rand.Rand) string { return p.mix.Pick(r.Float64()) }

// DiscoveryUsers is the pool of users register and unregister act on: small,
// so that the discovery table sees the same users come and go.
const DiscoveryUsers = 8

// DiscoveryUser is a random user of the pool.
func DiscoveryUser(r *rand.Rand) string { return "peer-" + strconv.Itoa(r.IntN(DiscoveryUsers)) }

// DiscoveryAddr is the address request seq registers: its own, never reused,
// so that an unanswered register can always be told apart (harness/history:
// an unknown register whose value recurs stays pending and costs the
// checker).
func DiscoveryAddr(seq uint64) string { return "peer.test:" + strconv.FormatUint(9000+seq, 10) }

// ViewImage is an image an encrypt of the run had answered: what a view
// sends, and what the client knows about it.
type ViewImage struct {
	ID    string   // the image's id (its name in the table)
	Image []byte   // the encrypted image as the cluster returned it; read only
	Users []string // the users its metadata authorizes
	Quota int      // its views
}

// Catalog holds the images that can be viewed. It is safe for concurrent
// use. It keeps at most MaxImages (later ones are not added: their bytes
// would only cost memory), and lets at most MaxInFlight views of one image
// be in flight at once — the linearizability checker's cost grows with
// that number, not with the history's length.
type Catalog struct {
	MaxImages   int // 0: DefaultMaxImages
	MaxInFlight int // 0: DefaultMaxInFlight

	mu   sync.Mutex
	all  []*catEntry
	live []*catEntry // not known to be exhausted
	byID map[string]*catEntry
}

// Catalog defaults.
const (
	DefaultMaxImages   = 4096
	DefaultMaxInFlight = 8
	// StaleShare is the share of views sent to any image, exhausted or not,
	// rather than to one with views left: those are refused, and a grant
	// among them is an over-grant.
	StaleShare = 0.1
)

type catEntry struct {
	img       ViewImage
	inFlight  int
	exhausted bool
}

// Add makes img viewable.
func (c *Catalog) Add(img ViewImage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[string]*catEntry{}
	}
	if _, dup := c.byID[img.ID]; dup || len(c.all) >= cmpOr(c.MaxImages, DefaultMaxImages) {
		return
	}
	e := &catEntry{img: img}
	c.all, c.live = append(c.all, e), append(c.live, e)
	c.byID[img.ID] = e
}

// Len is the number of viewable images.
func (c *Catalog) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.all)
}

// Acquire picks an image to view with r: one with views left, or (StaleShare
// of the time) any, never one with MaxInFlight views in flight. ok is false
// when no image qualifies. The caller must call Release once the view ends.
func (c *Catalog) Acquire(r *rand.Rand) (img ViewImage, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Float64() >= StaleShare {
		if e := c.pick(r, &c.live, true); e != nil {
			return e.img, true
		}
	}
	if e := c.pick(r, &c.all, false); e != nil {
		return e.img, true
	}
	return ViewImage{}, false
}

// pick takes an entry of pool with fewer than MaxInFlight views in flight,
// from a random place on; with drop, it drops the exhausted entries it meets
// from pool.
func (c *Catalog) pick(r *rand.Rand, pool *[]*catEntry, drop bool) *catEntry {
	limit := cmpOr(c.MaxInFlight, DefaultMaxInFlight)
	for n := len(*pool); n > 0; n = len(*pool) {
		start, dropped := r.IntN(n), false
		for k := 0; k < n && !dropped; k++ {
			i := (start + k) % n
			e := (*pool)[i]
			switch {
			case drop && e.exhausted:
				(*pool)[i] = (*pool)[n-1]
				*pool = (*pool)[:n-1]
				dropped = true // start over with the shorter list
			case e.inFlight < limit:
				e.inFlight++
				return e
			}
		}
		if !dropped {
			return nil
		}
	}
	return nil
}

// Release ends a view of id; answered with remaining 0, the image is known to
// be exhausted and gets only StaleShare of the views from then on.
func (c *Catalog) Release(id string, answered bool, remaining int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byID[id]
	if e == nil {
		return
	}
	e.inFlight--
	if answered && remaining == 0 {
		e.exhausted = true
	}
}

// ViewUser picks the user of a view of img: UnauthorizedShare of the time a
// user img does not authorize, otherwise one of its users.
func ViewUser(r *rand.Rand, img *ViewImage) (user string, authorized bool) {
	if r.Float64() < experiment.UnauthorizedShare || len(img.Users) == 0 {
		for {
			u := "intruder-" + strconv.Itoa(r.IntN(1000))
			if !slices.Contains(img.Users, u) {
				return u, false
			}
		}
	}
	return img.Users[r.IntN(len(img.Users))], true
}

// VerifyView checks a view's answer against what the client knows: the
// image's quota and whether user is authorized. The table checks
// authorization first, so a user it does not authorize is refused "not
// authorized" and one it does is granted (with fewer views left than the
// quota) or refused "quota exhausted" with 0 left.
func VerifyView(img *ViewImage, authorized, granted bool, remaining int, reason string) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: view of %s (quota %d): %s", ErrInconsistentAnswer, img.ID, img.Quota, fmt.Sprintf(format, a...))
	}
	switch {
	case remaining < 0 || remaining > img.Quota:
		return bad("%d views left", remaining)
	case granted && !authorized:
		return bad("granted to a user the image does not authorize")
	case granted && remaining >= img.Quota:
		return bad("granted with %d views left", remaining)
	case granted && reason != "":
		return bad("granted with reason %q", reason)
	case granted:
		return nil
	}
	switch reason {
	case history.ReasonNotAuthorized:
		if authorized {
			return bad("refused as not authorized to a user the image authorizes")
		}
	case history.ReasonQuotaExhausted:
		if !authorized {
			return bad("refused as quota exhausted to a user the image does not authorize (authorization comes first)")
		}
		if remaining != 0 {
			return bad("refused as quota exhausted with %d views left", remaining)
		}
	default:
		return bad("refused with reason %q", reason)
	}
	return nil
}

// VerifyOnline checks an online() answer's form: sorted by user, each user
// once, every address given.
func VerifyOnline(peers []history.Peer) error {
	for i, p := range peers {
		switch {
		case p.User == "" || p.Addr == "":
			return fmt.Errorf("%w: online() lists an entry without a user or address: %q@%q", ErrInconsistentAnswer, p.User, p.Addr)
		case i > 0 && peers[i-1].User >= p.User:
			return fmt.Errorf("%w: online() lists %q after %q (want each user once, sorted)", ErrInconsistentAnswer, p.User, peers[i-1].User)
		}
	}
	return nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
