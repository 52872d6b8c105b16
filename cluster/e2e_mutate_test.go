package cluster_test

import (
	"context"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/internal/nodecmd/nodetest"
)

// TestE2EMisbehavingNodesAreNoticed starts real nodes that corrupt every
// second answer and write every answer twice (nodetest.MutateEnv): the
// client must reject the corrupt ones, retry, and count the duplicates.
func TestE2EMisbehavingNodesAreNoticed(t *testing.T) {
	pc := newProcCluster(t, 3, nil)
	pc.env = []string{nodetest.MutateEnv + "=corrupt-every=2,answer-twice"}
	pc.startAll()
	pc.waitAgree(10 * time.Second)
	cl := pc.client(cluster.ClientConfig{Timeout: 300 * time.Millisecond, Retries: 3, Backoff: time.Millisecond})
	for i := range 10 {
		if _, err := cl.Encrypt(context.Background(), e2eCover(i), cluster.TestMeta); err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	time.Sleep(200 * time.Millisecond) // the last duplicates arrive
	st := cl.Stats()
	t.Logf("client stats with misbehaving nodes: %+v", st)
	if st.Invalid == 0 || st.Retries == 0 {
		t.Errorf("no invalid answers or retries counted (%+v): the corrupt answers went unnoticed", st)
	}
	if st.LateDuplicates == 0 {
		t.Errorf("no duplicate answers counted (%+v)", st)
	}
}
