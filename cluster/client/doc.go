// Package client is the cloud's client: it keeps one connection per node,
// multicasts each request to every node, takes the first valid answer, and
// retries with backoff under the same request id. The harness and the
// stegocloud commands use it; package cluster re-exports its names
// (cluster.Client, cluster.NewClient, …).
//
// # Calls
//
//	Encrypt(ctx, cover, meta)  → Reply: the image with meta hidden in it, verified by revealing it
//	View(ctx, image, user)     → ViewResult {granted, remaining, reason}: spends one view of the image
//	Register(ctx, user, addr)  → ChangeResult: user online at addr
//	Unregister(ctx, user)      → ChangeResult: user offline
//	Online(ctx)                → OnlineResult: every online user, sorted
//
// Encrypt accepts only a response whose revealed metadata equals what was
// sent — id, usernames and quota (an empty id is drawn first and returned in
// Reply.Meta: it is the image's name in the table). The table ops accept an
// answer that carries a result of the op's kind, the node that applied it
// (the coordinator) and its position; Outcome reports them with the node
// that answered. Retries reuse the request id, which is also the op's id in
// the table, so a retried view is spent once.
//
// # Errors
//
// Every error is a *RequestError unwrapping to ErrTimeout, ErrNoNode,
// ErrInvalidResponse, ErrRejected, ErrClosed or a context error. For a table
// op, ErrRejected (a node could not read the image's metadata, or the table
// refused the op) and ErrNoNode (nothing was ever sent) mean the op was
// certainly not applied (NotApplied); every other error, ErrTimeout above
// all, leaves the outcome unknown: the op may have been applied and its
// answer lost.
//
// # Cost
//
// Calls are safe for concurrent use and cost no goroutines of their own: a
// request is encoded once into a pooled, reference-counted frame queued on
// every node's link. With Config.TLS the client speaks mutual TLS and checks
// each node's identity.
package client
