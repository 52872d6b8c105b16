package analyze

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"stegocloud/cluster"
	"stegocloud/harness/internal/synth"
)

// TestAnalyzeFromEventsJSONL: the analyzer reads events.jsonl as written by
// cluster.EventLog, streaming through cluster.ReadEvents, and finds what it
// finds in the same events in memory.
func TestAnalyzeFromEventsJSONL(t *testing.T) {
	faults, _, events := synth.Run()
	var buf bytes.Buffer
	log := cluster.NewEventLog(&buf, nil)
	for _, e := range events {
		log.Emit(e)
	}
	if err := log.Flush(); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Start: synth.T0, Nodes: 3, Faults: faults}
	z, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	skipped, err := cluster.ReadEvents(&buf, z.Add)
	if err != nil || skipped != 0 {
		t.Fatalf("ReadEvents: %d skipped, error %v", skipped, err)
	}
	fromFile := z.Close()
	inMemory, err := Events(cfg, slices.Values(events))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFile, inMemory) {
		t.Errorf("analysis of events.jsonl differs from the in-memory one:\n%+v\n%+v", fromFile, inMemory)
	}
	assigns := 0
	for _, e := range events {
		if e.Type == cluster.EvAssign {
			assigns++
		}
	}
	if fromFile.Events != len(events) || fromFile.Log.Events != len(events) || fromFile.Log.AssignTotal != assigns {
		t.Errorf("read %d events (digest %d, %d assignments), want %d events and %d assignments",
			fromFile.Events, fromFile.Log.Events, fromFile.Log.AssignTotal, len(events), assigns)
	}
}

func BenchmarkAnalyzerAdd(b *testing.B) {
	faults, _, events := synth.Run()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		z, err := New(Config{Start: synth.T0, Nodes: 3, Faults: faults})
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range events {
			if err := z.Add(e); err != nil {
				b.Fatal(err)
			}
		}
		z.Close()
		n += len(events)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
}
