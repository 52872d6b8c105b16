package rundir

// TableSummary counts the operations a run made on the cluster's table
// (history.jsonl) and what checking them cost.
type TableSummary struct {
	Ops     int            `json:"ops"`                     // table operations recorded
	ByKind  map[string]int `json:"by_kind"`                 // view, register, unregister, online
	Outcome map[string]int `json:"outcome"`                 // ok, fail, unknown
	Images  int            `json:"images"`                  // distinct images viewed
	Granted int            `json:"granted"`                 // views answered granted
	Refused map[string]int `json:"refused"`                 // views answered refused, by reason
	Spent   int            `json:"exhausted_images"`        // images some view found with 0 left
	Invalid int            `json:"invalid,omitempty"`       // answers inconsistent with the image (responses_valid)
	History string         `json:"history"`                 // the file, FileHistory
	Visual  string         `json:"visualization,omitempty"` // FileLinearizableHTML when written
	// LinearizableMS and QuotaSafetyMS are the checks' wall time, ms:
	// porcupine's search (and the explanation of a failure), and the
	// quota check.
	LinearizableMS float64 `json:"linearizable_ms"`
	QuotaSafetyMS  float64 `json:"quota_safety_ms"`
	// Partitions and Undecided are porcupine's partitions and those it did
	// not decide within its timeout.
	Partitions int `json:"partitions"`
	Undecided  int `json:"undecided_partitions,omitempty"`
}
