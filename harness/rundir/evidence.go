package rundir

// Evidence is one finding of a failed check, structured so that the report
// can say it in words and the timeline can mark it. Times are seconds from
// the load start; an instant has FromS = ToS. Which fields are set depends on
// Kind (below); the rest are zero.
type Evidence struct {
	Kind     string   `json:"kind"`
	FromS    float64  `json:"from_s"`
	ToS      float64  `json:"to_s"`
	Nodes    []int    `json:"nodes,omitempty"`
	Epochs   []uint64 `json:"epochs,omitempty"`
	Count    int      `json:"count,omitempty"`
	Requests []string `json:"requests,omitempty"` // a few request ids
	Outcome  string   `json:"outcome,omitempty"`
	Limit    float64  `json:"limit,omitempty"` // the bound that was exceeded, in the kind's unit

	// Text says the finding in words when the kind's fields cannot
	// (EvidenceTable); File is a file of the run directory that shows it.
	Text string `json:"text,omitempty"`
	File string `json:"file,omitempty"`
}

// Evidence kinds.
const (
	// EvidenceInvalid: one request that received responses carrying other
	// metadata than was sent. Requests: its id; Nodes: the node of each
	// rejected response; Count: how many; Outcome: how the request ended
	// (ok: a retry was answered validly); From–To: its flight.
	EvidenceInvalid = "invalid_response"
	// EvidenceOverlap: two nodes acted as coordinator at the same time.
	// Nodes and Epochs: the reign that began first (whose epoch is usually
	// the lower, superseded one), then the other; From–To: the overlap;
	// Count: requests assigned by both while both acted; Requests: a few of
	// them; Limit: the handover tolerance in seconds.
	EvidenceOverlap = "coordinator_overlap"
	// EvidenceEpochConflict: one epoch with two coordinators. Epochs: the
	// epoch; Nodes: the coordinators named; From: when the second was named.
	EvidenceEpochConflict = "epoch_conflict"
	// EvidenceNoAgreement: the live nodes never followed one live
	// coordinator after the last fault healed. From: the heal; To: the end
	// of the observed period; Nodes: the live nodes; Limit: the agreement
	// bound in seconds.
	EvidenceNoAgreement = "no_agreement"
	// EvidenceSlowAgreement: they agreed, but later than the bound. From:
	// the heal; To: agreement; Nodes: the coordinator; Limit: the bound (s).
	EvidenceSlowAgreement = "slow_agreement"
	// EvidenceFlipFlop: elections kept starting after the cluster had
	// agreed. From–To: the settled period; Count: elections in it; Limit:
	// the most the periodic elections explain.
	EvidenceFlipFlop = "flip_flop"
	// EvidenceNoCompletions: no node completed a request for longer than
	// the bound while a majority was live and connected and load was
	// offered. From–To: the longest such window; Limit: the bound (s).
	EvidenceNoCompletions = "no_completions"
	// EvidenceTable: an anomaly of the table operations (linearizable,
	// quota_safety). Text: what is wrong — the image or user, the
	// operations and the nodes that answered and applied them; Nodes: the
	// nodes that applied (granted) them; Requests: their request ids;
	// From–To: from the first call to the last return; Count: the
	// operations; File: porcupine's visualization, if one was written.
	EvidenceTable = "table_anomaly"
)
