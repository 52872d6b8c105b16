// Package reqid keeps a small value per request id, in memory that grows with
// the number of requests and not with the length of their ids. The checks
// that need something per request (who assigned it last, how often it was
// completed, whether it ended ok) use it instead of a map keyed by id.
//
// The cluster client names its requests PREFIX-N: one prefix per client and a
// counter from 1. A Table stores such ids in one slice per prefix, indexed by
// N, as long as N stays near the end of the slice (at most MaxGap beyond it)
// and below MaxDense; any other id, and an N that would stretch a slice
// with nothing in between, goes to a map. So a well-formed run costs the size
// of T per request, and a malformed or hostile id costs a map entry, never a
// huge slice.
package reqid
