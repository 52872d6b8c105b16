package netfault

// FlowStats counts one direction of one link, over all its connections.
type FlowStats struct {
	Gate        Gate  // in force now
	Bytes       int64 // delivered
	Chunks      int64 // delivered reads (a chunk is what one read returned)
	Buffered    int64 // bytes read from the sender and not yet delivered, now
	MaxBuffered int64 // the most Buffered has been
	HeldChunks  int64 // chunks that waited for a hold to end
}

// LinkStats counts one proxy.
type LinkStats struct {
	Link         Link
	Addr         string // the proxy's listen address
	Accepted     int64  // connections accepted
	Open         int    // connections open now (including held ones)
	Refused      int64  // connections reset on arrival during a Reset
	Resets       int64  // open connections reset by a Reset
	DialFailures int64  // connections reset because the node could not be dialled
	Up, Down     FlowStats
}

func (p *proxy) stats() LinkStats {
	return LinkStats{
		Link: p.link, Addr: p.addr(),
		Accepted: p.accepted.Load(), Open: p.open(),
		Refused: p.refusedConns.Load(), Resets: p.resets.Load(), DialFailures: p.dialFailures.Load(),
		Up: p.dirs[Up].stats(), Down: p.dirs[Down].stats(),
	}
}
