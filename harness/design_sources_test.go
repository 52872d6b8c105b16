package harness_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"stegocloud/harness"
)

func TestParseDesignSources(t *testing.T) {
	def := harness.DefaultDesignSources()
	tests := []struct {
		name    string
		text    string
		want    harness.DesignSources
		exps    []string
		errText string // "" for success
	}{
		{"empty file: the defaults", "", def, []string{"stress10k", "failover", "openloop", "balancers", "scaling"}, ""},
		{"one section replaced", "stress: stress100k\n",
			harness.DesignSources{Stress: "stress100k", Failover: "failover", OpenLoop: "openloop", Balancers: "balancers", Scaling: "scaling", Bench: harness.DesignBenchFile},
			[]string{"stress100k", "failover", "openloop", "balancers", "scaling"}, ""},
		{"sections left out", "failover: \"\"\nopenloop: \"\"\nscaling: \"\"\n",
			harness.DesignSources{Stress: "stress10k", Balancers: "balancers", Bench: harness.DesignBenchFile},
			[]string{"stress10k", "balancers"}, ""},
		{"one experiment in two sections is run once", "stress: both\nfailover: both\n",
			harness.DesignSources{Stress: "both", Failover: "both", OpenLoop: "openloop", Balancers: "balancers", Scaling: "scaling", Bench: harness.DesignBenchFile},
			[]string{"both", "openloop", "balancers", "scaling"}, ""},
		{"unknown key", "stres: stress10k\n", harness.DesignSources{}, nil, "field stres not found"},
		{"a path is not a name", "stress: ../etc\n", harness.DesignSources{}, nil, `stress: "../etc" is not an experiment name`},
		{"dot dot", "scaling: ..\n", harness.DesignSources{}, nil, `scaling: ".." is not an experiment name`},
		{"bench outside the output", "bench: /tmp/bench.txt\n", harness.DesignSources{}, nil, `bench: "/tmp/bench.txt" is not a path inside`},
		{"nothing declared", "stress: \"\"\nfailover: \"\"\nopenloop: \"\"\nbalancers: \"\"\nscaling: \"\"\n", harness.DesignSources{}, nil, "no section names an experiment"},
		{"not a mapping", "- stress10k\n", harness.DesignSources{}, nil, "cannot unmarshal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := harness.ParseDesignSources(strings.NewReader(tc.text))
			if tc.errText != "" {
				if !errors.Is(err, harness.ErrDesignSources) || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("ParseDesignSources(%q) error = %v, want ErrDesignSources saying %q", tc.text, err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDesignSources(%q): %v", tc.text, err)
			}
			if got != tc.want {
				t.Errorf("ParseDesignSources(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
			if exps := got.Experiments(); !slices.Equal(exps, tc.exps) {
				t.Errorf("Experiments() of %q = %q, want %q", tc.text, exps, tc.exps)
			}
		})
	}
}

func TestLoadDesignSources(t *testing.T) {
	dir := t.TempDir()
	got, err := harness.LoadDesignSources(filepath.Join(dir, "none.yaml"))
	if err != nil || got != harness.DefaultDesignSources() {
		t.Errorf("LoadDesignSources(missing file) = %+v, %v; want the defaults", got, err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("stress: a/b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := harness.LoadDesignSources(bad); !errors.Is(err, harness.ErrDesignSources) || !strings.Contains(err.Error(), bad) {
		t.Errorf("LoadDesignSources(%s) error = %v, want ErrDesignSources naming the file", bad, err)
	}
	// The shipped file is valid and declares the five sections.
	shipped, err := harness.LoadDesignSources(filepath.Join("..", "reports", harness.DesignSourcesFile))
	if err != nil || len(shipped.Experiments()) != 5 {
		t.Errorf("reports/sources.yaml: %+v, %v; want five experiments", shipped, err)
	}
	for _, name := range shipped.Experiments() {
		if _, err := os.Stat(filepath.Join("..", "experiments", name+".yaml")); err != nil {
			t.Errorf("reports/sources.yaml declares %s, but experiments/%s.yaml: %v", name, name, err)
		}
	}
}
