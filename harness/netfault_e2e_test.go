package harness

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"stegocloud/cluster"
	"stegocloud/harness/rundir"
)

// TestRunPartitionThroughProxies runs three real node processes behind the
// fault proxies and isolates the coordinator from its peers for 2 s under
// light load (clients still reach every node): the log shows the partition
// with the coordinator resolved, the majority elects a new coordinator
// during it, and when the run ends every request is accounted for and no
// process is left behind.
func TestRunPartitionThroughProxies(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: starts node processes")
	}
	path := filepath.Join(t.TempDir(), "netpart.yaml")
	writeFile(t, path, `
name: netpart
cluster: {nodes: 3, service: {delay: 0s}}
faults:
  schedule:
    - {at: 1s, kind: partition, groups: [[coordinator], [others]], for: 2s}
workload: {clients: 4, rate: 20/s, duration: 5s, timeout: 2s, retries: 2, max_duration: 20s, image: {width: 32, height: 32}, images: 2}
`)
	opts := testRunOptions(t)
	opts.NoFigures = true
	began := time.Now()
	out, err := RunExperiment(context.Background(), path, opts)
	// The verdict is not this test's business (split brain may fail it);
	// the wiring is.
	if err != nil && !errors.Is(err, ErrVerdict) {
		t.Fatalf("RunExperiment: %v", err)
	}
	assertNoChildren(t)
	if d := time.Since(began); d > 40*time.Second {
		t.Errorf("the run took %v", d)
	}
	s := out.Runs[0].Summary
	if r := s.Requests; r.Total < 80 || r.Total != r.OK+r.Failed+r.TimedOut {
		t.Errorf("requests %+v: want ≥ 80, every one accounted", r)
	}
	for _, c := range s.Verdict.Checks {
		if (c.Name == "accounted" || c.Name == "load_complete") && !c.Pass {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
	}
	if s.Proxies == nil || s.Proxies.Links != 6 || s.Proxies.Accepted < 6 || s.Proxies.Bytes == 0 {
		t.Errorf("proxies = %+v; want the 6 peer links that carried the run (no fault places clients, so they dial the nodes)", s.Proxies)
	}

	var events []cluster.Event
	f, err := os.Open(filepath.Join(out.Runs[0].Dir, rundir.FileEvents))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := cluster.ReadEvents(f, func(e cluster.Event) error { events = append(events, e); return nil }); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(events, func(e cluster.Event) bool { return e.Type == cluster.EvNetFaultStart })
	j := slices.IndexFunc(events, func(e cluster.Event) bool { return e.Type == cluster.EvNetFaultEnd })
	if i < 0 || j < i {
		t.Fatalf("net_fault_start at %d, net_fault_end at %d: want both, in order", i, j)
	}
	start, end := events[i], events[j]
	if held := time.Duration(end.Time - start.Time); held < 1900*time.Millisecond || held > 4*time.Second {
		t.Errorf("partition held %v, want ≈ 2s", held)
	}
	// The coordinator the nodes followed when it began is the one isolated.
	old := 0
	for _, e := range events[:i] {
		if e.Type == cluster.EvCoordinator {
			old = e.Coordinator
		}
	}
	var others []int
	for id := 1; id <= 3; id++ {
		if id != old {
			others = append(others, id)
		}
	}
	if want := [][]int{{old}, others}; start.Net == nil || !reflect.DeepEqual(start.Net.Groups, want) || start.Kind != "partition" ||
		end.Net == nil || !reflect.DeepEqual(end.Net.Groups, want) {
		t.Fatalf("net fault events %+v / %+v, want partition groups %v (the coordinator, node %d, alone)", start, end, want, old)
	}
	// The majority elects one of its own while the partition lasts.
	follows := map[int]int{}
	for _, e := range events[i:j] {
		if e.Type == cluster.EvCoordinator && e.Node != old {
			follows[e.Node] = e.Coordinator
		}
	}
	if a, b := follows[others[0]], follows[others[1]]; a == 0 || a != b || a == old {
		t.Errorf("during the partition nodes %v followed %v; want both to follow the same new coordinator, not node %d", others, follows, old)
	}
	if n := len(s.Faults.Network); n != 1 || !reflect.DeepEqual(s.Faults.Network[0].Net.IDs(0), []int{old}) {
		t.Errorf("summary's network faults = %+v, want the one partition with node %d resolved", s.Faults.Network, old)
	}
}
