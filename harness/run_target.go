package harness

import (
	"context"
	"errors"
	"fmt"

	"stegocloud/cluster"
	"stegocloud/harness/load"
)

// clusterTarget hands each request to the cluster client that owns the
// request's client slot: with one cluster.Client per simulated client, each
// client has its own connections to every node, as in the seed.
type clusterTarget struct {
	clients []*cluster.Client
	late    *load.LateLedger // answers that came after their call ended, per request
}

// newClusterTarget dials n clients, client i to the node map nodes(i).
func newClusterTarget(n int, cfg cluster.ClientConfig, nodes func(i int) (cluster.Peers, error)) (*clusterTarget, error) {
	t := &clusterTarget{late: load.NewLateLedger()}
	cfg.OnLate = t.late.Late
	for i := range n {
		c := cfg
		c.Name = fmt.Sprintf("c%d", i)
		var err error
		if c.Nodes, err = nodes(i); err != nil {
			t.Close()
			return nil, err
		}
		cl, err := cluster.NewClient(c)
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("creating client %d: %w", i, err)
		}
		t.clients = append(t.clients, cl)
	}
	return t, nil
}

// Do sends one request through its slot's client and maps the client's
// verdict onto an Outcome. The client verified the reply (its hidden
// metadata equals req.Meta) before accepting it.
func (t *clusterTarget) Do(ctx context.Context, req *load.Request) load.Response {
	cl := t.clients[req.Client%len(t.clients)]
	rep, err := cl.Encrypt(ctx, req.Image, req.Meta)
	return t.response(rep, err)
}

// response maps an Encrypt's reply and error onto a load.Response.
func (t *clusterTarget) response(rep cluster.Reply, err error) load.Response {
	resp := load.Response{ID: rep.ID, Node: rep.Node, Attempts: rep.Attempts, Invalid: rep.Invalid,
		InvalidFrom: rep.InvalidFrom, BytesOut: rep.BytesOut, BytesIn: rep.BytesIn}
	if err == nil {
		t.late.EndedOK(rep.ID)
		resp.Outcome, resp.Verified = load.OK, true
		return resp
	}
	var re *cluster.RequestError
	if errors.As(err, &re) {
		resp.ID, resp.Attempts = re.ID, re.Attempts
	}
	resp.Reason = err.Error()
	switch {
	case errors.Is(err, cluster.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		resp.Outcome = load.TimedOut
	default:
		resp.Outcome = load.Failed
	}
	return resp
}

// Stats sums the clients' counters.
func (t *clusterTarget) Stats() cluster.ClientStats {
	var s cluster.ClientStats
	for _, c := range t.clients {
		cs := c.Stats()
		s.Requests += cs.Requests
		s.OK += cs.OK
		s.Failed += cs.Failed
		s.Retries += cs.Retries
		s.Invalid += cs.Invalid
		s.Unavailable += cs.Unavailable
		s.LateDuplicates += cs.LateDuplicates
	}
	return s
}

// Close closes every client.
func (t *clusterTarget) Close() {
	for _, c := range t.clients {
		c.Close()
	}
}
