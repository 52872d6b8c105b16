package experiment

import (
	"maps"
	"math"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"stegocloud/stego"
)

// Limits that keep a typo from starting something absurd. They are far above
// anything this project runs on one machine.
const (
	maxNodes       = 64
	maxClients     = 10_000
	maxRepeat      = 1_000
	maxVariants    = 1_000
	maxImageSide   = 8_192
	maxImages      = 10_000
	maxUsernames   = 1_000
	maxRetries     = 100
	maxTotalClosed = 100_000_000
)

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate checks every field and returns all problems found, joined; each is
// a *FieldError naming the field path and wrapping ErrInvalidExperiment. It
// does not fill defaults: start from DefaultExperiment.
func (e *Experiment) Validate() error { return e.validate().join() }

func (e *Experiment) validate() fieldErrors {
	var fe fieldErrors
	if !namePattern.MatchString(e.Name) {
		fe.addf("name", "must be 1–64 letters, digits, '.', '_' or '-' (it names the results directory), got %q", e.Name)
	}
	if e.Repeat < 1 || e.Repeat > maxRepeat {
		fe.addf("repeat", "must be in 1..%d, got %d", maxRepeat, e.Repeat)
	}
	e.Cluster.validate(&fe)
	if n := len(e.Cluster.Load.Bases); n == 0 || n == e.Cluster.Nodes {
		e.validateNodes(&fe) // a node of a bases list of the wrong length has no base
	}
	e.Faults.validate(&fe, e.Cluster.Nodes)
	for i := range e.Faults.Schedule {
		if s := &e.Faults.Schedule[i]; IsNetworkKind(s.Kind) {
			e.validateNetworkEntry(&fe, "faults.schedule["+strconv.Itoa(i)+"]", s)
		}
	}
	e.validateNetworkModel(&fe)
	e.validateProxies(&fe)
	e.validateLaunchFaults(&fe)
	e.Workload.validate(&fe)
	if _, errs := e.Expect.thresholds(); len(errs) > 0 {
		fe = append(fe, errs...)
	}
	e.Expect.validateAnomalies(&fe, e.Cluster.Launch, e.Workload.Mix)
	e.validateAnomaliesWhen(&fe)
	e.Workload.validateMix(&fe, e.Cluster.Launch)
	if len(fe) == 0 {
		// Matrix values are checked against a valid base only, so that a
		// base error is reported once, not once per value.
		e.validateMatrix(&fe)
	}
	return fe
}

func (c *Cluster) validate(fe *fieldErrors) {
	if c.Nodes < 1 || c.Nodes > maxNodes {
		fe.addf("cluster.nodes", "must be in 1..%d, got %d", maxNodes, c.Nodes)
	}
	switch c.Launch {
	case LaunchLocal:
		if len(c.Addrs) > 0 {
			fe.addf("cluster.addrs", "only used with launch: external (local nodes get free ports)")
		}
	case LaunchExternal:
		validateAddrs(fe, c.Addrs, c.Nodes)
	case LaunchNoop:
		if len(c.Addrs) > 0 {
			fe.addf("cluster.addrs", "only used with launch: external (launch: noop runs no nodes)")
		}
	default:
		fe.addf("cluster.launch", "must be %s, %s or %s, got %q", LaunchLocal, LaunchExternal, LaunchNoop, c.Launch)
	}
	c.validateTLS(fe)
	// The node parameters (heartbeat … service) are checked by the node's
	// own rules, in Experiment.validateNodes.
	if n := len(c.Load.Bases); n > 0 && n != c.Nodes {
		fe.addf("cluster.load.bases", "has %d entries for %d nodes; give one per node or none", n, c.Nodes)
	}
}

// validateTLS: TLS needs nodes, and nodes the harness did not start need
// credentials the user made for them.
func (c *Cluster) validateTLS(fe *fieldErrors) {
	switch {
	case c.TLS && c.Launch == LaunchNoop:
		fe.addf("cluster.tls", "launch: noop runs no nodes, so there is no connection to secure; remove tls or launch nodes")
	case c.TLSDir != "" && c.Launch != LaunchExternal:
		fe.addf("cluster.tls_dir", "only used with launch: external; for launch: %s the harness makes fresh certificates per run", c.Launch)
	case c.TLSDir != "" && !c.TLS:
		fe.addf("cluster.tls_dir", "given without tls: true; set cluster.tls: true to connect with these credentials")
	case c.TLS && c.Launch == LaunchExternal && c.TLSDir == "":
		fe.addf("cluster.tls_dir", "launch: external with tls needs the running nodes' credentials: the directory made by `stegocloud certs` (ca.pem, client.pem, control.pem and their keys)")
	}
}

// validateAddrs accepts loopback addresses only: experiments never send
// traffic off the machine.
func validateAddrs(fe *fieldErrors, addrs []string, nodes int) {
	if len(addrs) != nodes {
		fe.addf("cluster.addrs", "launch: external needs one address per node: %d nodes, %d addresses", nodes, len(addrs))
	}
	seen := map[string]bool{}
	for i, a := range addrs {
		path := "cluster.addrs[" + strconv.Itoa(i) + "]"
		host, port, err := net.SplitHostPort(a)
		p, perr := strconv.Atoi(port)
		switch {
		case err != nil || perr != nil || p < 1 || p > 65535:
			fe.addf(path, "want host:port, got %q", a)
		case host != "127.0.0.1" && host != "localhost" && host != "::1":
			fe.addf(path, "must be a loopback address (127.0.0.1, ::1, localhost), got %q", a)
		case seen[a]:
			fe.addf(path, "%q is listed twice", a)
		}
		seen[a] = true
	}
}

// validateLaunchFaults rejects faults the launch mode cannot inject: the
// harness can only kill or pause processes it started, and a noop run has no
// nodes at all.
func (e *Experiment) validateLaunchFaults(fe *fieldErrors) {
	f := &e.Faults
	kinds := map[string]string{}
	if len(f.Schedule) == 0 && f.Kind != FaultNone && f.Probability > 0 {
		kinds["faults.kind"] = f.Kind
	}
	if len(f.Schedule) == 0 && f.Network.Kinds.Total() > 0 {
		kinds["faults.network.kinds"] = "network faults"
	}
	for i, s := range f.Schedule {
		k := s.Kind
		if k == "" {
			k = f.Kind
		}
		kinds["faults.schedule["+strconv.Itoa(i)+"].kind"] = k
	}
	for _, path := range slices.Sorted(maps.Keys(kinds)) {
		switch k := kinds[path]; {
		case e.Cluster.Launch == LaunchNoop:
			fe.addf(path, "launch: noop runs no nodes, so it takes no faults; got %s", k)
		case e.Cluster.Launch == LaunchExternal && k != FaultSilent:
			fe.addf(path, "launch: external nodes are not the harness's processes: only silent faults can be injected, got %s", k)
		}
	}
}

func (f *Faults) validate(fe *fieldErrors, nodes int) {
	oneOf(fe, "faults.kind", f.Kind, FaultNone, FaultSilent, FaultCrash, FaultPause)
	positive(fe, "faults.every", f.Every)
	if !(f.Probability >= 0 && f.Probability <= 1) {
		fe.addf("faults.probability", "must be in 0..1, got %v", f.Probability)
	}
	switch {
	case f.Down.Min <= 0:
		fe.addf("faults.down", "min must be > 0, got %v", f.Down.Min)
	case f.Down.Max < f.Down.Min:
		fe.addf("faults.down", "min %v is longer than max %v", f.Down.Min, f.Down.Max)
	}
	if f.MinAlive < 0 || f.MinAlive > nodes {
		fe.addf("faults.min_alive", "must be in 0..cluster.nodes (%d), got %d", nodes, f.MinAlive)
	}
	for i := range f.Schedule {
		s := &f.Schedule[i]
		if IsNetworkKind(s.Kind) {
			continue // Experiment.validateNetworkEntry
		}
		path := "faults.schedule[" + strconv.Itoa(i) + "]"
		nonNegative(fe, path+".at", s.At)
		if s.For == 0 {
			fe.addf(path+".for", "required: how long the node stays down, e.g. for: 2s")
		} else {
			positive(fe, path+".for", s.For)
		}
		switch {
		case s.Node == 0:
			fe.addf(path+".node", "required: a node id or %q", CoordinatorName)
		case s.Node == SelectOthers:
			fe.addf(path+".node", "%s names several nodes; a node fault takes one node id or %q", OthersName, CoordinatorName)
		case s.Node != SelectCoordinator && (s.Node < 1 || int(s.Node) > nodes):
			fe.addf(path+".node", "must be a node id in 1..%d or %q, got %d", nodes, CoordinatorName, int(s.Node))
		}
		kind := s.Kind
		switch {
		case s.Kind == "" && f.Kind == FaultNone:
			fe.addf(path+".kind", "required when faults.kind is none: silent, crash or pause, or a network kind (%s)", strings.Join(NetworkKinds, ", "))
		case s.Kind != "":
			oneOf(fe, path+".kind", s.Kind, append([]string{FaultSilent, FaultCrash, FaultPause}, NetworkKinds...)...)
		default:
			kind = f.Kind
		}
		rejectForeignFields(fe, path, kind, s)
	}
}

func (w *Workload) validate(fe *fieldErrors) {
	if w.Clients < 1 || w.Clients > maxClients {
		fe.addf("workload.clients", "must be in 1..%d, got %d", maxClients, w.Clients)
	}
	w.validateMode(fe)
	positive(fe, "workload.timeout", w.Timeout)
	if w.Retries < 0 || w.Retries > maxRetries {
		fe.addf("workload.retries", "must be in 0..%d, got %d", maxRetries, w.Retries)
	}
	nonNegative(fe, "workload.backoff", w.Backoff)
	positive(fe, "workload.max_duration", w.MaxDuration)
	if w.Image.Dir == "" {
		for _, s := range []struct {
			path string
			v    int
		}{{"workload.image.width", w.Image.Width}, {"workload.image.height", w.Image.Height}} {
			if s.v < 1 || s.v > maxImageSide {
				fe.addf(s.path, "must be in 1..%d pixels, got %d", maxImageSide, s.v)
			}
		}
	}
	if w.Images < 1 || w.Images > maxImages {
		fe.addf("workload.images", "must be in 1..%d, got %d", maxImages, w.Images)
	}
	if w.Usernames < 1 || w.Usernames > maxUsernames {
		fe.addf("workload.usernames", "must be in 1..%d, got %d", maxUsernames, w.Usernames)
	}
	if w.Quota < 0 || int64(w.Quota) > stego.MaxQuota {
		fe.addf("workload.quota", "must be in 0..%d, got %d", int64(stego.MaxQuota), w.Quota)
	}
	w.validateCapacity(fe)
}

// validateMix needs the launch mode, which Workload.validate does not see.
func (w *Workload) validateMix(fe *fieldErrors, launch string) { w.Mix.validate(fe, launch) }

func (w *Workload) validateMode(fe *fieldErrors) {
	modes := 0
	for _, set := range []bool{w.RequestsPerClient != 0, !w.Rate.IsZero(), w.Pacer.Kind != ""} {
		if set {
			modes++
		}
	}
	switch {
	case modes == 0:
		fe.addf("workload", "choose a load: requests_per_client (closed loop), or rate or pacer with duration (open loop)")
		return
	case modes > 1:
		fe.addf("workload", "set only one of requests_per_client (closed loop), rate or pacer (open loop)")
		return
	}
	if w.Mode() == ModeClosed {
		if w.RequestsPerClient < 0 {
			fe.addf("workload.requests_per_client", "must be ≥ 1, got %d", w.RequestsPerClient)
		} else if w.TotalRequests() > maxTotalClosed {
			fe.addf("workload.requests_per_client", "clients × requests_per_client = %d, more than %d", w.TotalRequests(), maxTotalClosed)
		}
		if w.Duration != 0 {
			fe.addf("workload.duration", "is for open loop only; a closed loop stops after requests_per_client")
		}
		return
	}
	if w.Duration <= 0 {
		fe.addf("workload.duration", "open loop needs a duration > 0, got %v", w.Duration)
	} else if w.MaxDuration > 0 && w.MaxDuration < w.Duration {
		fe.addf("workload.max_duration", "%v is shorter than workload.duration %v", w.MaxDuration, w.Duration)
	}
	if w.Pacer.Kind != "" {
		w.Pacer.validate(fe, w.Duration)
	}
}

func (p *PacerSpec) validate(fe *fieldErrors, duration time.Duration) {
	oneOf(fe, "workload.pacer.kind", p.Kind, PacerConstant, PacerLinear, PacerSine)
	if p.Rate.IsZero() {
		fe.addf("workload.pacer.rate", "required, e.g. \"100/s\"")
	}
	if p.Kind != PacerLinear && p.Slope != 0 {
		fe.addf("workload.pacer.slope", "only applies to kind: linear")
	}
	if p.Kind != PacerSine && (!p.Amp.IsZero() || p.Period != 0 || p.StartAt != "") {
		fe.addf("workload.pacer", "amp, period and start_at only apply to kind: sine")
	}
	switch p.Kind {
	case PacerLinear:
		if end := p.Rate.PerSecond() + p.Slope*duration.Seconds(); !(end > 0) || math.IsInf(p.Slope, 0) {
			fe.addf("workload.pacer.slope", "the rate would fall to %.3g/s by the end of the run; it must stay > 0", end)
		}
	case PacerSine:
		positive(fe, "workload.pacer.period", p.Period)
		if p.Amp.IsZero() || p.Amp.PerSecond() >= p.Rate.PerSecond() {
			fe.addf("workload.pacer.amp", "must be set and below the mean rate %s, got %q", p.Rate, p.Amp.String())
		}
		if _, ok := sineOffsets[p.StartAt]; !ok && p.StartAt != "" {
			fe.addf("workload.pacer.start_at", "must be one of mean-up, peak, mean-down, trough; got %q", p.StartAt)
		}
	}
}

// validateCapacity refuses images too small to carry the metadata, which
// would fail every request the same way. Every request's frame has the same
// size (generated names differ only in their hex digits), so the check is
// exact: the frame of request 0, sealed if a key is set.
func (w *Workload) validateCapacity(fe *fieldErrors) {
	if w.Image.Dir != "" || w.Image.Width < 1 || w.Image.Height < 1 || w.Usernames < 1 || w.Usernames > maxUsernames {
		return
	}
	meta := stego.Metadata{Usernames: make([]string, w.Usernames), Quota: w.Quota}
	for i := range meta.Usernames {
		meta.Usernames[i] = Username(0, 0, i)
	}
	var key []byte
	if w.Key != "" {
		key = make([]byte, stego.KeySize) // any key: sealing adds the same bytes
	}
	frame, err := stego.MarshalFrame(meta, key, strings.NewReader(strings.Repeat("\x00", 64)))
	if err != nil {
		fe.addf("workload", "the generated metadata is not valid: %v", err)
		return
	}
	if capacity := stego.Capacity(w.Image.Width, w.Image.Height); len(frame) > capacity {
		fe.addf("workload.image", "a %d×%d image hides %d bytes, the metadata of %d usernames needs %d",
			w.Image.Width, w.Image.Height, capacity, w.Usernames, len(frame))
	}
}

func positive(fe *fieldErrors, path string, d time.Duration) {
	if d <= 0 {
		fe.addf(path, "must be > 0, got %v", d)
	}
}

func nonNegative(fe *fieldErrors, path string, d time.Duration) {
	if d < 0 {
		fe.addf(path, "must be ≥ 0, got %v", d)
	}
}

func oneOf(fe *fieldErrors, path, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		fe.addf(path, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
	}
}
