package design

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"

	"stegocloud/harness/compare"
)

// BenchSet is Go benchmark output (the standard format `go test -bench`
// writes) read into samples: every value of every benchmark and unit, one
// per -count run, in units tidied by benchfmt ("sec/op", "B/s", …).
type BenchSet struct {
	// Config holds the file configuration lines (goos, goarch, pkg, cpu, and
	// any "key: value" line the output carries, such as commit), last wins.
	Config map[string]string
	Names  []string                        // benchmark names in order of first appearance
	values map[string]map[string][]float64 // name → unit → values
}

// BenchName is a benchmark's name as BenchSet keys it: without the
// "Benchmark" prefix and the GOMAXPROCS suffix ("Embed/payload=1KiB").
func BenchName(n benchfmt.Name) string {
	base, parts := n.Parts()
	var b strings.Builder
	b.WriteString(strings.TrimPrefix(string(base), "Benchmark"))
	for _, p := range parts {
		if len(p) > 0 && p[0] == '-' {
			continue
		}
		b.Write(p)
	}
	return b.String()
}

// ParseBench reads benchmark output. A malformed line is an error naming the
// file and line (benchfmt's syntax error); output without any benchmark is
// an error too, since a report made of it would silently lack the codec.
func ParseBench(r io.Reader, fileName string) (*BenchSet, error) {
	set := &BenchSet{Config: map[string]string{}, values: map[string]map[string][]float64{}}
	rd := benchfmt.NewReader(r, fileName)
	for rd.Scan() {
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, fmt.Errorf("%w: %v", ErrBenchOutput, rec)
		case *benchfmt.Result:
			set.add(rec)
		}
	}
	if err := rd.Err(); err != nil {
		return nil, fmt.Errorf("%w: reading %s: %v", ErrBenchOutput, fileName, err)
	}
	if len(set.Names) == 0 {
		return nil, fmt.Errorf("%w: %s holds no benchmark results", ErrBenchOutput, fileName)
	}
	return set, nil
}

func (s *BenchSet) add(r *benchfmt.Result) {
	for _, c := range r.Config {
		if c.File {
			s.Config[c.Key] = string(c.Value)
		}
	}
	name := BenchName(r.Name)
	units := s.values[name]
	if units == nil {
		units = map[string][]float64{}
		s.values[name] = units
		s.Names = append(s.Names, name)
	}
	for _, v := range r.Values {
		units[v.Unit] = append(units[v.Unit], v.Value)
	}
}

// Values is the sample of one benchmark in one unit (nil when absent).
func (s *BenchSet) Values(name, unit string) []float64 {
	return s.values[name][unit]
}

// Stat summarises one benchmark in one unit as benchstat does: the median
// and its 95% confidence interval; ok is false when it was not measured.
func (s *BenchSet) Stat(name, unit string) (compare.MetricStat, bool) {
	vs := s.Values(name, unit)
	if len(vs) == 0 {
		return compare.MetricStat{}, false
	}
	return compare.Summarise(vs), true
}

// BenchCompare is the Mann-Whitney U test of two samples, benchstat's test:
// its p-value, or NaN when a side has fewer than MinRuns values.
func BenchCompare(a, b []float64) float64 {
	if len(a) < compare.MinRuns || len(b) < compare.MinRuns {
		return math.NaN()
	}
	th := benchmath.DefaultThresholds
	th.CompareAlpha = compare.Alpha
	c := benchmath.AssumeNothing.Compare(benchmath.NewSample(slices.Clone(a), &th), benchmath.NewSample(slices.Clone(b), &th))
	return c.P
}

// Sub lists the names of the sub-benchmarks of base, in order ("Embed" →
// "Embed/payload=1KiB", "Embed/payload=384KiB").
func (s *BenchSet) Sub(base string) []string {
	var out []string
	for _, n := range s.Names {
		if strings.HasPrefix(n, base+"/") {
			out = append(out, n)
		}
	}
	return out
}
