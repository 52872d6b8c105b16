// Package netfault puts a fault proxy on every link between the processes of
// a cluster, so a harness can partition, bridge, cut one way, slow down and
// reset the network without root: userspace TCP proxies in the harness's own
// process, on loopback.
//
// # Wiring
//
// New(Config{Nodes: id → real address, Clients: K}) opens one listener per
// directed link: node i ⇢ node j for every i ≠ j, and client c ⇢ node j for
// every client 1..K. Node i is started with PeerAddrs(i) as its --peers (its
// own entry is its real address, every other entry the proxy of i ⇢ j);
// client c uses ClientAddrs(c) as its node map. Each proxy forwards what it
// accepts to the real address of its node. Node ids like "coordinator" or
// "others" are resolved by the caller: this package only sees numbers.
//
// Clients: 0 is allowed: the clients then dial the nodes directly and only
// the peer links have proxies. The harness does that unless a partition
// places clients on its sides — the only fault that acts on client links —
// a deliberate departure from DESIGN §8 ("every client → node link"): a
// proxy adds two socket hops to every message (BenchmarkRoundTrip: 18–39
// µs more per 64-byte round trip on the 2-core dev machine, proxy/direct
// 1.9–2.5; ~90 % of its CPU profile is system calls), and on the client
// links of the closed-loop `throughput` configuration that cost 21.5 % of
// its requests per second (proxy-overhead: 4821 vs 3785 req/s, p = 0.026),
// against the 10 % budget; the peer links carry far fewer messages and cost
// no measurable throughput (p = 0.59, 0.22, 0.85 in three sweeps of 6–10
// runs per variant). No buffer size or goroutine layout removes the hops
// themselves: each direction already delivers straight from its reader
// while nothing is queued.
//
// # Faults
//
// A Fault describes; Compute(topology, faults…) turns the active set into a
// Plan — a Gate for every Flow (one direction of traffic between two
// endpoints) and the endpoint pairs whose new connections are refused. It is
// pure and composes overlapping faults: a flow is held if any fault holds it
// (held wins over delay while it lasts), delays and jitters take the larger,
// bandwidths the smaller. Network.Apply adds a fault, Remove ends it, Heal
// ends all; the Plan is installed on the proxies at once.
//
//   - Partition{Groups, Clients}: flows between nodes of different groups are
//     held both ways; Clients[k] puts clients on the side of Groups[k]. Nodes
//     in no group and clients on no side reach everybody (Jepsen's grudge).
//   - Bridge{A, B, Via}: A and B are cut from each other both ways; Via, on
//     neither side, reaches both.
//   - OneWay{From, To}: From → To is held, To → From flows. Because both
//     nodes of a pair dial each other, To's bytes to From travel on two
//     connections (To's link to From, and as answers on From's link to To);
//     a Gate belongs to a flow, not a connection, so each proxy of the pair
//     gates the right direction: Up on From ⇢ To, Down on To ⇢ From.
//   - Latency{Delay, Jitter, Bandwidth, Flows}: every chunk waits Delay ±
//     Jitter (uniform, seeded by Config.Seed), never reordered; Bandwidth
//     paces bytes per second per connection. No Flows: all peer flows. A
//     chunk keeps the delay it was read under, also if the fault ends.
//   - Reset{Flows}: every connection between the ends of each flow (both
//     proxies of a pair) is reset at once with SetLinger(0) + Close, idle
//     ones included, so both sides see ECONNRESET; while the fault is active
//     new connections on those links are reset on arrival. Remove it at once
//     for a one-shot reset. No Flows: all peer links.
//
// # What "held" means
//
// A held direction is not dropped: the proxy stops reading it, so the bytes
// stay in the sender's socket buffers and, once those fill, the sender's
// writes block — real TCP backpressure. What the proxy had already read stays
// in its bounded queue (at most 1 MiB plus one 32 KiB read per direction of a
// connection). When the hold ends everything flows, late and in order, as TCP
// retransmission would deliver it: a length-prefixed stream is never
// corrupted, never shortened. End-of-stream (FIN) is held like data. Only a
// Reset (or Close) loses bytes, and then the connection is reset, never
// silently truncated.
//
// A connection that arrives while its Up direction is held is accepted and
// held ("accept and hold"): the dialer's connect succeeds and its bytes stay
// unread, but the proxy dials the node only when Up opens, so no sign of the
// connection crosses the partition. A dialer that gives up and closes such a
// connection has its bytes (and FIN) delivered at heal, as a connection
// established just before the partition would.
//
// # Why not toxiproxy
//
// github.com/Shopify/toxiproxy/v2 (v2.12.0) was measured as a library
// (shared/LIBRARIES.md) and does not fit: its timeout toxic drops bytes and
// closes every stream when removed; a custom hold toxic can queue and flush
// in order, but its queue is unbounded and the sender feels no backpressure;
// reset_peer fires only when the next chunk arrives, so idle connections
// survive a reset; it dials the upstream on accept (a connect crosses a
// partition) and Stop closes with FIN, not RST; toxics are configured as JSON
// per proxy; and it adds ~50 modules (HTTP API, prometheus, zerolog). The
// proxy here is ~1100 lines of code (a third of it the pure plan and its
// validation), with per-direction gates and no new dependency.
//
// # Who owns what
//
// The Network owns its listeners, connections and goroutines: per link an
// accept loop; per connection, per direction a reader and a writer joined by
// a bounded queue. Close resets every connection, closes every listener and
// returns when every goroutine has ended. Stats counts, per link and
// direction, bytes and chunks delivered, bytes buffered now and at most,
// chunks delayed by a hold, and connections accepted, open, refused and reset.
package netfault
