package design_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"stegocloud/harness/design"
)

func TestParseDesignSources(t *testing.T) {
	def := design.DefaultSources()
	tests := []struct {
		name    string
		text    string
		want    design.Sources
		exps    []string
		errText string // "" for success
	}{
		{"empty file: the defaults", "", def, []string{"stress10k", "failover", "openloop", "balancers", "scaling"}, ""},
		{"one section replaced", "stress: stress100k\n",
			design.Sources{Stress: "stress100k", Failover: "failover", OpenLoop: "openloop", Balancers: "balancers", Scaling: "scaling", Bench: design.BenchFile},
			[]string{"stress100k", "failover", "openloop", "balancers", "scaling"}, ""},
		{"sections left out", "failover: \"\"\nopenloop: \"\"\nscaling: \"\"\n",
			design.Sources{Stress: "stress10k", Balancers: "balancers", Bench: design.BenchFile},
			[]string{"stress10k", "balancers"}, ""},
		{"one experiment in two sections is run once", "stress: both\nfailover: both\n",
			design.Sources{Stress: "both", Failover: "both", OpenLoop: "openloop", Balancers: "balancers", Scaling: "scaling", Bench: design.BenchFile},
			[]string{"both", "openloop", "balancers", "scaling"}, ""},
		{"the Part 2 sections, one experiment in two", "partition: partition\ntls: tls-overhead\nquota: views\npartition_quota: views\n",
			design.Sources{Stress: "stress10k", Failover: "failover", OpenLoop: "openloop", Balancers: "balancers", Scaling: "scaling", Bench: design.BenchFile,
				Partition: "partition", TLS: "tls-overhead", Quota: "views", PartitionQuota: "views"},
			[]string{"stress10k", "failover", "openloop", "balancers", "scaling", "partition", "tls-overhead", "views"}, ""},
		{"a Part 2 path is not a name", "proxies: a/b\n", design.Sources{}, nil, `proxies: "a/b" is not an experiment name`},
		{"unknown key", "stres: stress10k\n", design.Sources{}, nil, "field stres not found"},
		{"a path is not a name", "stress: ../etc\n", design.Sources{}, nil, `stress: "../etc" is not an experiment name`},
		{"dot dot", "scaling: ..\n", design.Sources{}, nil, `scaling: ".." is not an experiment name`},
		{"bench outside the output", "bench: /tmp/bench.txt\n", design.Sources{}, nil, `bench: "/tmp/bench.txt" is not a path inside`},
		{"nothing declared", "stress: \"\"\nfailover: \"\"\nopenloop: \"\"\nbalancers: \"\"\nscaling: \"\"\n", design.Sources{}, nil, "no section names an experiment"},
		{"not a mapping", "- stress10k\n", design.Sources{}, nil, "cannot unmarshal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := design.ParseSources(strings.NewReader(tc.text))
			if tc.errText != "" {
				if !errors.Is(err, design.ErrDesignSources) || !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("ParseSources(%q) error = %v, want ErrDesignSources saying %q", tc.text, err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSources(%q): %v", tc.text, err)
			}
			if got != tc.want {
				t.Errorf("ParseSources(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
			if exps := got.Experiments(); !slices.Equal(exps, tc.exps) {
				t.Errorf("Experiments() of %q = %q, want %q", tc.text, exps, tc.exps)
			}
		})
	}
}

func TestLoadDesignSources(t *testing.T) {
	dir := t.TempDir()
	got, err := design.LoadSources(filepath.Join(dir, "none.yaml"))
	if err != nil || got != design.DefaultSources() {
		t.Errorf("LoadSources(missing file) = %+v, %v; want the defaults", got, err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("stress: a/b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := design.LoadSources(bad); !errors.Is(err, design.ErrDesignSources) || !strings.Contains(err.Error(), bad) {
		t.Errorf("LoadSources(%s) error = %v, want ErrDesignSources naming the file", bad, err)
	}
	// The shipped file is valid and declares the twelve sections.
	shipped, err := design.LoadSources(filepath.Join("..", "..", "reports", design.SourcesFile))
	if err != nil || len(shipped.Experiments()) != 12 {
		t.Errorf("reports/sources.yaml: %+v, %v; want twelve experiments", shipped, err)
	}
	for _, name := range shipped.Experiments() {
		if _, err := os.Stat(filepath.Join("..", "..", "experiments", name+".yaml")); err != nil {
			t.Errorf("reports/sources.yaml declares %s, but experiments/%s.yaml: %v", name, name, err)
		}
	}
}
