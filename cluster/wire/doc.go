// Package wire is what travels between the cloud's processes and how: the
// message schema (Message, one flat JSON header for every type) and its
// validation, the frame codec (AppendFrame, FrameReader), pooled encoded
// frames shared by every connection they are queued on (Frame), the
// transports (TCP, and an in-memory network for tests) and persistent
// outgoing connections with bounded queues (Link).
//
// It knows nothing of elections, requests or tables: package cluster (the
// node) and package client (the client) both build on it, so that the
// client does not need the node and the node's package stays one room. The
// frame format, message types and their fields are documented in package
// cluster, which re-exports these names.
//
// Validate is the single gate between untrusted bytes and the node: every
// frame a FrameReader returns has passed it, and every parser here is
// fuzzed (FuzzReadFrame in package cluster, FuzzMessageFields here).
package wire
