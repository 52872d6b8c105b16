package compare

import "errors"

// The sentinel errors of package compare. Each is wrapped with what was being
// done (fmt.Errorf("…: %w", Err…)); test for them with errors.Is.
var (
	// ErrNotRunSet reports a directory that holds neither summary.json (a
	// single run) nor rep-*/summary.json (a repeat set), nor a latest link to
	// one of those.
	ErrNotRunSet = errors.New("not a run set")

	// ErrMixedRunSet reports a directory whose runs do not form one sample:
	// summary.json next to rep-* directories, rep-* directories without
	// summary.json or with gaps in their numbering, or reps that belong to
	// different experiments or load modes.
	ErrMixedRunSet = errors.New("mixed run set")

	// ErrRunSetFile reports a summary.json or run.json that cannot be parsed.
	ErrRunSetFile = errors.New("unreadable run file")

	// ErrRunSetHistogram reports an HDR histogram in summary.json that is
	// missing or cannot be decoded.
	ErrRunSetHistogram = errors.New("bad latency histogram")
)
