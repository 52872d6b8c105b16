package record

import (
	"testing"

	"stegocloud/harness/internal/synth"
	"stegocloud/harness/rundir"
)

func FuzzDecodeHistogram(f *testing.F) {
	r, err := New(Config{Start: synth.T0, Nodes: 1})
	if err != nil {
		f.Fatal(err)
	}
	r.Add(synth.OK(0, 0, 1500, 1))
	if err := r.Close(); err != nil {
		f.Fatal(err)
	}
	var s rundir.Summary
	if err := r.Summarize(&s); err != nil {
		f.Fatal(err)
	}
	f.Add(s.Histograms["all"])
	f.Add("HISTFAAAAAAAAAA=")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		h, err := rundir.DecodeHistogram(in)
		if err == nil && h == nil {
			t.Errorf("DecodeHistogram(%q): nil histogram without an error", in)
		}
	})
}
