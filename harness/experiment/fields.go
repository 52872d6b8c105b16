package experiment

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// FieldDoc documents one field of the experiment file.
type FieldDoc struct {
	Path    string // "workload.clients"; list elements are written "faults.schedule[].at"
	Type    string // "int", "duration", "rate", "section", …
	Default string // as it would be written in the file; "" when there is none
	Doc     string // meaning, unit and allowed values
}

// fieldDocText is the meaning of every field, by path. A test walks the
// Experiment type and fails on any field missing here (or any entry here that
// names no field), so the reference cannot drift from the code.
var fieldDocText = map[string]string{
	"name":        "Experiment name: letters, digits, '.', '_', '-'. Names the results directory results/NAME/. Default: the file name.",
	"description": "One or two sentences on what the experiment shows; copied into the report.",
	"seed":        "Fixes everything random: fault schedule, request images, usernames. Repeat r > 1 uses a seed derived from it.",
	"repeat":      "Independent runs of every variant (each with its own derived seed); > 1 gives confidence intervals in compare.",

	"cluster":                        "The system under study.",
	"cluster.nodes":                  "Number of cloud nodes (ids 1..nodes), 1..64.",
	"cluster.launch":                 "local: the harness starts the nodes on 127.0.0.1. external: they already run at cluster.addrs (silent faults only). noop: no cluster; a no-op target answers every request at once, so the run measures the harness itself.",
	"cluster.addrs":                  "launch: external only: host:port of node 1, 2, … (loopback addresses only).",
	"cluster.heartbeat":              "How often each node sends a heartbeat to every peer.",
	"cluster.suspect_after":          "A peer silent this long is suspected failed. Must exceed heartbeat.",
	"cluster.election_timeout":       "How long an election's initiator waits for OK + load replies before deciding.",
	"cluster.reelect_every":          "Periodic re-election (the seed's 15 s); 0s turns it off.",
	"cluster.recovery_election":      "Whether a node that finishes recovering starts an election (the seed does; a fresh node has the lowest load and wins).",
	"cluster.election_margin":        "Hysteresis: a challenger takes over from the sitting coordinator only if its load is lower by more than this (in load units: per_request × requests). 0 = the seed's rule, the lowest load wins.",
	"cluster.election_backoff":       "Cap of the randomised backoff before a node re-elects against a decision naming a coordinator it cannot hear (partial connectivity); 0s = at once.",
	"cluster.balancer":               "How the coordinator picks the serving node: lowest-load (per request), round-robin, random, coordinator (serves everything itself).",
	"cluster.load":                   "The seed's load metric: base + per_request × outstanding requests.",
	"cluster.load.base":              "Base load of every node.",
	"cluster.load.per_request":       "Load added per outstanding request.",
	"cluster.load.bases":             "Per-node base loads, one per node (node 1 first); overrides base.",
	"cluster.service":                "Work per request on top of the real steganography.",
	"cluster.service.delay":          "Simulated processing time per request (the seed's 500ms).",
	"cluster.service.max_concurrent": "Requests a node serves at once; more wait. 0 = unlimited.",
	"cluster.proxies":                "Fault proxies on the links (harness/netfault, in the harness's process): every node → node link, and the client → node links only when a partition places clients (clients:), the one fault that acts on them; elsewhere the clients dial the nodes directly, since a proxy on each client link costs ~20 % of a closed loop's throughput. true, false, or auto = on when the experiment has a network fault. true without faults measures what the proxies cost. launch: local only.",
	"cluster.tls":                    "Mutual TLS 1.3 on every connection (nodes, the load's clients, the harness's control calls). launch: local makes fresh certificates per run in the run's tls/ directory; launch: external needs tls_dir; launch: noop refuses it.",
	"cluster.tls_dir":                "launch: external with tls only: the directory made by `stegocloud certs` for the running nodes (ca.pem, client.pem, control.pem and their keys), relative to the working directory.",
	"cluster.election":               "Who coordinates: bully (the seed's load-based Bully election, no quorum) or raft (the etcd-io/raft leader with PreVote and CheckQuorum; the table goes through its log, fsynced in each node's state directory; the minority side of a partition serves no table op). Sweep it to compare both under the same faults.",

	"faults":                         "Injected failures: the random models (kind, every, probability, down for node faults; network for network faults) or an explicit schedule.",
	"faults.kind":                    "none | silent (node drops all traffic, stays up) | crash (SIGKILL, restart after the down time) | pause (SIGSTOP/SIGCONT). With a schedule: the default kind of its entries.",
	"faults.every":                   "Periodic model: a fault round at every, 2×every, … from load start.",
	"faults.probability":             "Periodic model: chance, 0..1, that each up node fails in a round.",
	"faults.down":                    "Periodic model: down time drawn uniformly from [min, max]; one duration means exactly that.",
	"faults.sync_delay":              "Time a recovering node spends syncing state before it is Active again (seed: 500ms).",
	"faults.min_alive":               "Never take down so many nodes that fewer than this stay up; such faults are recorded as suppressed. 0..nodes.",
	"faults.network":                 "Random model of network faults: at every `every` from load start, one draw starts at most one network fault (of a kind chosen by kinds) lasting a time drawn from for; rounds while one is active are skipped. Seeded, computed up front, written to schedule.json. Off with an explicit schedule.",
	"faults.network.every":           "A round every this long from load start.",
	"faults.network.kinds":           "Each network kind's chance per round, 0..1, adding up to ≤ 1; all 0 (the default) turns the model off.",
	"faults.network.kinds.partition": "Chance of a partition: a random minority of the nodes (1..⌊n/2⌋) cut from the rest.",
	"faults.network.kinds.bridge":    "Chance of a bridge: a random node reaches two halves of the others that are cut from each other (needs 3 nodes).",
	"faults.network.kinds.one-way":   "Chance of a one-way cut: a random node's traffic to every other node is held, theirs to it flows.",
	"faults.network.kinds.latency":   "Chance of latency on every peer link (delay ± jitter).",
	"faults.network.kinds.reset":     "Chance of resetting every peer connection at once (instantaneous).",
	"faults.network.for":             "How long a drawn fault lasts, drawn uniformly from [min, max].",
	"faults.network.delay":           "Delay of a drawn latency fault.",
	"faults.network.jitter":          "Jitter of a drawn latency fault: each chunk waits delay ± jitter (uniform); at most delay.",
	"faults.schedule":                "Explicit faults instead of the random models, e.g. [{at: 5s, node: 2, kind: crash, for: 3s}, {at: 9s, kind: partition, groups: [[coordinator], [others]], for: 4s}]. Network kinds turn on cluster.proxies.",
	"faults.schedule[].at":           "When the fault starts, from load start.",
	"faults.schedule[].node":         "Node faults: node id, or coordinator: whichever node coordinates when the fault is due (resolved then, and recorded).",
	"faults.schedule[].kind":         "Node faults: silent | crash | pause (default faults.kind). Network faults: partition | bridge | one-way | latency | reset.",
	"faults.schedule[].for":          "How long the fault lasts (a node fault: how long the node stays down). Required, but for reset, where 0s (the default) resets the connections once and longer also resets every new connection on the links until it ends.",
	"faults.schedule[].groups":       "partition: the sides, e.g. [[coordinator], [others]] or [[1, 2], [3]]: traffic between nodes of different groups is held both ways (delivered late at the end, never lost). Members: node ids, coordinator (resolved when the fault is due), others (alone in its group: every node the other groups do not name). Nodes in no group reach everybody.",
	"faults.schedule[].clients":      "partition: client groups placed on the sides, e.g. [[1], [2]] puts client group 1 with groups[0] and 2 with groups[1] (see workload.client_groups); a placed client reaches only its side's nodes, clients placed nowhere reach all.",
	"faults.schedule[].nodes":        "bridge: the two nodes cut from each other, e.g. [1, 2]; node ids or coordinator.",
	"faults.schedule[].via":          "bridge: the node that still reaches both (node id or coordinator).",
	"faults.schedule[].from":         "one-way: the node whose traffic to `to` is held (node id, coordinator or others).",
	"faults.schedule[].to":           "one-way: the node that stops hearing `from`, while `from` still hears it (node id, coordinator or others).",
	"faults.schedule[].delay":        "latency: how long each chunk of bytes waits, e.g. 100ms.",
	"faults.schedule[].jitter":       "latency: ± uniform spread around delay (chunks are never reordered); at most delay.",
	"faults.schedule[].bandwidth":    "latency: optional cap per connection and direction, e.g. 1MB/s (B, KB, MB, KiB, MiB per second).",
	"faults.schedule[].links":        "latency, reset: the peer links, all (the default) or a list such as [1-2, coordinator-3]; a link is both directions between its two nodes.",

	"workload":                     "The load. Closed loop: requests_per_client. Open loop: rate or pacer, with duration.",
	"workload.clients":             "Closed loop: concurrent clients, each waiting for its answer before the next request. Open loop: most requests in flight.",
	"workload.requests_per_client": "Closed loop: requests each client sends; the run sends exactly clients × this.",
	"workload.rate":                "Open loop at a constant rate, e.g. 150/s (vegeta's constant pacer). Latency counts from each request's scheduled time.",
	"workload.pacer":               "Open loop with a vegeta pacer; the general form of rate.",
	"workload.pacer.kind":          "constant | linear | sine.",
	"workload.pacer.rate":          "constant: the rate; linear: the rate at the start; sine: the mean rate.",
	"workload.pacer.slope":         "linear: requests/s added per second (negative slows down; the rate must stay > 0).",
	"workload.pacer.amp":           "sine: amplitude as a rate, below the mean.",
	"workload.pacer.period":        "sine: period of the wave.",
	"workload.pacer.start_at":      "sine: where the wave starts: mean-up (default), peak, mean-down, trough.",
	"workload.duration":            "Open loop: how long requests keep being scheduled.",
	"workload.timeout":             "Per-attempt timeout of a request.",
	"workload.retries":             "Retries after a failed or timed-out attempt, under the same request id.",
	"workload.backoff":             "Wait before the first retry; doubles before each further one.",
	"workload.max_duration":        "Hard stop for the whole load, requests in flight included.",
	"workload.image":               "Cover images: generated width × height photo-like PNGs from the seed, or the files in dir.",
	"workload.image.width":         "Generated image width in pixels.",
	"workload.image.height":        "Generated image height in pixels.",
	"workload.image.dir":           "Directory of .png/.jpg cover images, relative to the working directory, used in name order; width and height are then ignored.",
	"workload.images":              "Distinct images in the pool; request n uses image n mod images.",
	"workload.usernames":           "Usernames hidden per request (generated, distinct per request).",
	"workload.quota":               "View quota hidden per request.",
	"workload.key":                 "Path of a key file (relative to the working directory): metadata is sealed with AES-256-GCM before hiding. Empty: not sealed.",
	"workload.mix":                 "Each operation's share of the requests, adding up to 1, e.g. {encrypt: 0.2, view: 0.7, register: 0.05, online: 0.05}; drawn per request from the seed. Absent (the default): every request is an encrypt. With view, register, unregister or online the run records history.jsonl and is checked for linearizable and quota_safety.",
	"workload.mix.encrypt":         "Share of encrypts (send an image with usernames and quota): needed > 0 when views are, since a view picks an image an encrypt of this run had answered.",
	"workload.mix.view":            "Share of views: spend one view of an image encrypted earlier in the run (fewer than 8 views of one image in flight), as one of its users or, one view in eight, as a user it does not authorize. Answers are verified against the image's users and quota. Small workload.quota values make images run out during the run.",
	"workload.mix.register":        "Share of register(user, addr): a user of a small pool comes online at an address of its own (never reused).",
	"workload.mix.unregister":      "Share of unregister(user): a user of the pool goes offline.",
	"workload.mix.online":          "Share of online(): list every online user (the answer must be sorted, each user once).",
	"workload.client_groups":       "Splits the clients round-robin into groups 1..K (client i, from 0, is in group i mod K + 1): the ids a partition's clients: places on its sides. With proxies each group reaches the nodes through its own proxies. 1..clients.",

	"expect":                "Thresholds the run must meet, each \"<op> <value>\" with op one of < <= > >= ==; a missed one fails the run.",
	"expect.success_rate":   "Share of requests answered correctly, e.g. \">= 99.9%\".",
	"expect.throughput":     "Successful requests per second, e.g. \">= 98/s\".",
	"expect.bound_achieved": "Throughput as a share of the configuration's physical bound, e.g. \">= 98%\".",
	"expect.mean":           "Mean latency, e.g. \"< 600ms\".",
	"expect.p50":            "Median latency.",
	"expect.p90":            "90th percentile latency.",
	"expect.p95":            "95th percentile latency.",
	"expect.p99":            "99th percentile latency, e.g. \"< 1s\".",
	"expect.p999":           "99.9th percentile latency.",
	"expect.max":            "Largest latency.",
	"expect.lost":           "Requests that never got a valid answer, e.g. \"== 0\".",
	"expect.failover_p50":   "Median failover time (coordinator lost → all live nodes follow a new one), e.g. \"<= 150ms\".",
	"expect.failover_max":   "Longest failover time.",
	"expect.anomalies": "Checks this experiment is expected to fail, for a known-bad baseline, e.g. [single_coordinator]: the run passes only when exactly these fail " +
		"(each one is reported as \"expected anomaly found\") and every other check passes; an expected anomaly that is not found fails the run. " +
		"Any of responses_valid, single_coordinator, election_safety, liveness, and with table operations in workload.mix linearizable and quota_safety; launch: local only.",
	"expect.anomalies_when": "In a sweep: more expected anomalies for the variants whose matrix sets a field to a value, e.g. {cluster.election=bully: [single_coordinator]} — " +
		"the seed's election is expected to split its brain, raft is not. Keys are field=value of a matrix axis; each variant expects expect.anomalies plus the lists its values select.",

	"matrix": "A sweep: field path → values, e.g. {cluster.balancer: [lowest-load, round-robin], cluster.nodes: [3, 5]}; every combination runs (× repeat). Scalar fields only.",
}

// fieldTypeNames names the custom types in the reference.
var fieldTypeNames = map[reflect.Type]string{
	durationType:                    "duration",
	reflect.TypeFor[Rate]():         "rate",
	reflect.TypeFor[Span]():         "[min, max]",
	reflect.TypeFor[NodeSelector](): "node",
	reflect.TypeFor[Toggle]():       "auto | bool",
	reflect.TypeFor[Links]():        "links",
	reflect.TypeFor[Bandwidth]():    "bandwidth",
	matrixType:                      "map",
}

// FieldDocs is the reference of every experiment field, in file order, with
// its type, its default and its meaning.
func FieldDocs() []FieldDoc {
	var out []FieldDoc
	walkFieldDocs(reflect.ValueOf(DefaultExperiment()).Elem(), "", &out)
	return out
}

func walkFieldDocs(v reflect.Value, prefix string, out *[]FieldDoc) {
	t := v.Type()
	for i := range t.NumField() {
		name := tagName(t.Field(i))
		if name == "" {
			continue
		}
		path := joinPath(prefix, name)
		fv := v.Field(i)
		doc := FieldDoc{Path: path, Type: typeName(fv.Type()), Doc: fieldDocText[path]}
		// Optional fields (omitempty) and list elements have no default: their
		// zero means "not set".
		if _, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); opts != "omitempty" && !strings.Contains(prefix, "[]") {
			doc.Default = defaultText(fv)
		}
		*out = append(*out, doc)
		switch ft := fv.Type(); {
		case fieldTypeNames[ft] != "":
		case ft.Kind() == reflect.Struct:
			walkFieldDocs(fv, path, out)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			walkFieldDocs(reflect.New(ft.Elem()).Elem(), path+"[]", out)
		}
	}
}

func typeName(t reflect.Type) string {
	if n, ok := fieldTypeNames[t]; ok {
		return n
	}
	switch t.Kind() {
	case reflect.Struct:
		return "section"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "list of sections"
		}
		return "list of " + typeName(t.Elem())
	case reflect.Map:
		return "map of " + typeName(t.Key()) + " to " + typeName(t.Elem())
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return t.Kind().String()
}

// defaultText writes a default the way the file would; zero values that mean
// "unset" (empty strings and lists, zero rates) have no default to show.
func defaultText(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case time.Duration:
		return x.String()
	case Rate:
		return x.String()
	case Span:
		return x.String()
	case NodeSelector, Matrix, Links, Bandwidth:
		return ""
	case Toggle:
		return x.String()
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int, int64:
		return fmt.Sprint(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return ""
}

// HelpText is the experiment file reference printed by `stegocloud run
// --help`.
func HelpText() string {
	var b strings.Builder
	b.WriteString(`Experiment files (experiments/NAME.yaml) are strict YAML: unknown keys, wrong types and
out-of-range values are errors that name the file, line and field. Durations need a unit
("500ms", "3s", "1m30s"); rates are N/unit ("150/s", "1/2s"). Absent keys take the default.

`)
	for _, d := range FieldDocs() {
		head := d.Path + "  " + d.Type
		if d.Default != "" && d.Type != "section" {
			head += "  = " + d.Default
		}
		b.WriteString(head + "\n")
		for _, line := range wrapText(d.Doc, 88) {
			b.WriteString("      " + line + "\n")
		}
	}
	return b.String()
}

// wrapText breaks s into lines of at most width runes where it can.
func wrapText(s string, width int) []string {
	var lines []string
	var cur []string
	n := 0
	for _, w := range strings.Fields(s) {
		wl := len([]rune(w))
		if n > 0 && n+1+wl > width {
			lines = append(lines, strings.Join(cur, " "))
			cur, n = nil, 0
		}
		if n > 0 {
			n++
		}
		cur, n = append(cur, w), n+wl
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}
