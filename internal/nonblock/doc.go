// Package nonblock is a writer that never makes its caller wait: whole
// writes are queued, up to a byte budget, and written by a goroutine that
// runs while there is something to write; a write that does not fit is
// dropped whole and counted.
//
// A node's loop logs and records events while it runs the protocol. If those
// writes went straight to stderr or a file, an unread pipe or a slow disk
// would stall the loop and with it the heartbeats, and the peers would
// declare a live node failed. With a Writer in between, the loop only copies
// bytes; the cost of a wedged sink is lost lines, which Dropped reports, never
// a stalled node. Every Write is kept or dropped whole, and the goroutine
// writes only whole Writes, so a sink that receives one line per Write never
// receives a torn line.
package nonblock
