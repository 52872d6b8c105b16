package history

import "errors"

// The package's sentinel errors, wrapped with what was being done; test for
// them with errors.Is.
var (
	// ErrInvalidOp is wrapped by every problem found in one operation: a
	// missing or out-of-range field, a field that its kind does not have, an
	// output on an operation whose outcome is not known. Writer.Add and
	// Validate return it; the Reader wraps it in ErrBadHistory.
	ErrInvalidOp = errors.New("invalid operation")

	// ErrBadHistory is wrapped by every problem the Reader finds in a
	// history.jsonl stream; the message names the line.
	ErrBadHistory = errors.New("malformed history")

	// ErrInconsistent is returned by Validate for a history whose operations
	// contradict each other on what the harness itself decided, such as two
	// quotas for one image: no check can judge the cluster from it.
	ErrInconsistent = errors.New("inconsistent history")

	// ErrWriterClosed is returned by Writer.Add after Close.
	ErrWriterClosed = errors.New("history writer closed")
)
