package cluster_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/internal/nodecmd/nodetest"
)

// TestE2EMisbehavingNodesAreNoticed starts real nodes that corrupt every
// second answer and write every answer twice (nodetest.MutateEnv): the
// client must reject the corrupt ones, retry, and count the duplicates, and
// say per request which nodes sent the rejected answers (Reply.InvalidFrom)
// and which answers came late (ClientConfig.OnLate).
func TestE2EMisbehavingNodesAreNoticed(t *testing.T) {
	pc := newProcCluster(t, 3, nil)
	pc.env = []string{nodetest.MutateEnv + "=corrupt-every=2,answer-twice"}
	pc.startAll()
	pc.waitAgree(10 * time.Second)
	var mu sync.Mutex
	late := map[string]int{}
	onLate := func(id string, node int, served bool) {
		mu.Lock()
		defer mu.Unlock()
		if node >= 1 && node <= 3 && served {
			late[id]++
		}
	}
	cl := pc.client(cluster.ClientConfig{Timeout: 300 * time.Millisecond, Retries: 3, Backoff: time.Millisecond, OnLate: onLate})
	ids := map[string]bool{}
	invalidFrom := 0
	for i := range 10 {
		rep, err := cl.Encrypt(context.Background(), e2eCover(i), cluster.TestMeta)
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
		ids[rep.ID] = true
		if len(rep.InvalidFrom) != rep.Invalid {
			t.Errorf("request %d: %d invalid answers but InvalidFrom %v", i, rep.Invalid, rep.InvalidFrom)
		}
		for _, n := range rep.InvalidFrom {
			if n < 1 || n > 3 {
				t.Errorf("request %d: InvalidFrom %v names no node", i, rep.InvalidFrom)
			}
		}
		invalidFrom += len(rep.InvalidFrom)
	}
	time.Sleep(200 * time.Millisecond) // the last duplicates arrive
	st := cl.Stats()
	mu.Lock()
	heard := 0
	for id, n := range late {
		heard += n
		if !ids[id] {
			t.Errorf("a late answer for %q, which no call sent", id)
		}
	}
	mu.Unlock()
	if int64(heard) != st.LateDuplicates || int64(invalidFrom) != st.Invalid {
		t.Errorf("OnLate heard %d served late answers and replies named %d invalid ones; stats %+v", heard, invalidFrom, st)
	}
	t.Logf("client stats with misbehaving nodes: %+v", st)
	if st.Invalid == 0 || st.Retries == 0 {
		t.Errorf("no invalid answers or retries counted (%+v): the corrupt answers went unnoticed", st)
	}
	if st.LateDuplicates == 0 {
		t.Errorf("no duplicate answers counted (%+v)", st)
	}
}
