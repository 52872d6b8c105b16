package nonblock

import "errors"

// ErrTimeout means Flush or Close gave up waiting for the sink: queued
// bytes may not have been written.
var ErrTimeout = errors.New("sink did not take the queued bytes in time")
