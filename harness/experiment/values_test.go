package experiment

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	cases := []struct {
		in     string
		want   Rate
		perSec float64
		text   string
		err    string
	}{
		{in: "150/s", want: Rate{150, time.Second}, perSec: 150, text: "150/s"},
		{in: " 10 / 100ms ", want: Rate{10, 100 * time.Millisecond}, perSec: 100, text: "10/100ms"},
		{in: "1/2s", want: Rate{1, 2 * time.Second}, perSec: 0.5, text: "1/2s"},
		{in: "30/m", want: Rate{30, time.Minute}, perSec: 0.5, text: "30/m"},
		{in: "7/1m30s", want: Rate{7, 90 * time.Second}, perSec: 7.0 / 90, text: "7/1m30s"},
		{in: "150", err: "N/unit"},
		{in: "0.5/s", err: "whole number"},
		{in: "10/parsec", err: "time unit"},
		{in: "0/s", err: "positive"},
		{in: "-3/s", err: "positive"},
	}
	for _, tc := range cases {
		got, err := ParseRate(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrBadValue) {
				t.Errorf("ParseRate(%q) = %v, %v; want an ErrBadValue containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want || got.String() != tc.text || got.PerSecond() != tc.perSec {
			t.Errorf("ParseRate(%q) = %+v (%q, %v/s), %v; want %+v (%q, %v/s)", tc.in, got, got.String(), got.PerSecond(), err, tc.want, tc.text, tc.perSec)
		}
	}
}

func TestThresholds(t *testing.T) {
	x := Expect{SuccessRate: ">= 99.9%", Throughput: ">= 98/s", BoundAchieved: "> 95%", P99: "< 550ms",
		Max: "<= 2s", Lost: "== 0", FailoverP50: "<= 150ms", Mean: "<1.5s"}
	got, err := x.Thresholds()
	if err != nil {
		t.Fatal(err)
	}
	want := []Threshold{
		{Metric: "success_rate", Op: ">=", Value: 0.999, Raw: ">= 99.9%"},
		{Metric: "throughput", Op: ">=", Value: 98, Raw: ">= 98/s"},
		{Metric: "bound_achieved", Op: ">", Value: 0.95, Raw: "> 95%"},
		{Metric: "mean", Op: "<", Value: 1500, Raw: "<1.5s"},
		{Metric: "p99", Op: "<", Value: 550, Raw: "< 550ms"},
		{Metric: "max", Op: "<=", Value: 2000, Raw: "<= 2s"},
		{Metric: "lost", Op: "==", Value: 0, Raw: "== 0"},
		{Metric: "failover_p50", Op: "<=", Value: 150, Raw: "<= 150ms"},
	}
	if len(got) != len(want) {
		t.Fatalf("Thresholds(%+v) = %+v, want %+v", x, got, want)
	}
	for i := range want {
		if g, w := got[i], want[i]; g.Metric != w.Metric || g.Op != w.Op || g.Raw != w.Raw || !closeTo(g.Value, w.Value) {
			t.Errorf("threshold %d = %+v, want %+v", i, g, w)
		}
	}
	rate, err := (&Expect{Throughput: ">= 30/m"}).Thresholds()
	if err != nil || !closeTo(rate[0].Value, 0.5) {
		t.Errorf("throughput >= 30/m = %+v, %v; want 0.5 req/s", rate, err)
	}
}

func closeTo(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestThresholdErrors(t *testing.T) {
	cases := []struct {
		x    Expect
		want string
	}{
		{Expect{P99: "1s"}, "expect.p99: \"1s\": start with one of"},
		{Expect{P99: "< 1"}, "duration with a unit"},
		{Expect{SuccessRate: ">= 101%"}, "percentage in 0%..100%"},
		{Expect{SuccessRate: ">= 99"}, "percentage"},
		{Expect{Throughput: ">= 98"}, "rate such as 98/s"},
		{Expect{Lost: "== -1"}, "whole number ≥ 0"},
		{Expect{Lost: "=< 1"}, "start with one of"},
	}
	for _, tc := range cases {
		_, err := tc.x.Thresholds()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalidExperiment) {
			t.Errorf("Thresholds(%+v) error = %v, want one containing %q", tc.x, err, tc.want)
		}
	}
}

// Every metric Threshold documents (expect.go) is an Expect field and
// the other way round; the last two fields, anomalies and anomalies_when,
// name checks, not metrics.
func TestExpectCoversEveryMetric(t *testing.T) {
	src, err := os.ReadFile("expect.go")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, line := range strings.Split(string(src), "\n") {
		if _, comment, ok := strings.Cut(line, "Metric string"); ok {
			_, list, _ := strings.Cut(comment, "// ")
			documented = strings.Split(strings.TrimSpace(list), " | ")
		}
	}
	names := yamlFieldNames(reflect.TypeFor[Expect]())
	if n := len(names); n < 2 || names[n-2] != "anomalies" || names[n-1] != "anomalies_when" {
		t.Fatalf("Expect fields %v: want anomalies and anomalies_when last", names)
	}
	names = names[:len(names)-2]
	if !reflect.DeepEqual(names, documented) {
		t.Errorf("Expect fields %v, want the metrics of Threshold %v", names, documented)
	}
	if len(expectMetrics) != len(names) {
		t.Fatalf("expectMetrics has %d entries for %d Expect fields", len(expectMetrics), len(names))
	}
	for i, m := range expectMetrics {
		x := Expect{}
		reflect.ValueOf(&x).Elem().Field(i).SetString("== 1")
		if m.metric != names[i] || m.get(&x) != "== 1" {
			t.Errorf("expectMetrics[%d] = %q reads another field than %q", i, m.metric, names[i])
		}
	}
}

func TestNodeSelectorAndSpanYAML(t *testing.T) {
	src := minimal + "faults:\n  down: 5s\n  schedule:\n    - {at: 0s, node: coordinator, kind: crash, for: 1s}\n    - {at: 1s, node: 2, kind: silent, for: 1s}\n"
	e, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if e.Faults.Down != (Span{5 * time.Second, 5 * time.Second}) {
		t.Errorf("down: 5s = %v, want [5s, 5s]", e.Faults.Down)
	}
	if s := e.Faults.Schedule; s[0].Node != SelectCoordinator || s[1].Node != 2 || s[0].Node.String() != "coordinator" || s[1].Node.String() != "2" {
		t.Errorf("schedule nodes = %v, %v; want coordinator, 2", s[0].Node, s[1].Node)
	}
}

func TestRequestBudget(t *testing.T) {
	cases := []struct {
		w    Workload
		want time.Duration
	}{
		{Workload{Timeout: 3 * time.Second, Retries: 3, Backoff: 100 * time.Millisecond}, 12*time.Second + 700*time.Millisecond},
		{Workload{Timeout: time.Second, Retries: 0, Backoff: time.Second}, time.Second},
		{Workload{Timeout: time.Second, Retries: 2, Backoff: 0}, 3 * time.Second},
	}
	for _, tc := range cases {
		if got := tc.w.RequestBudget(); got != tc.want {
			t.Errorf("RequestBudget(timeout %v, retries %d, backoff %v) = %v, want %v", tc.w.Timeout, tc.w.Retries, tc.w.Backoff, got, tc.want)
		}
	}
}

// Every field of the experiment file has a documentation entry, and every
// entry names a real field: the reference printed by `run --help` cannot drift.
func TestFieldDocsCoverEveryField(t *testing.T) {
	docs := FieldDocs()
	paths := map[string]bool{}
	for _, d := range docs {
		paths[d.Path] = true
		if strings.TrimSpace(d.Doc) == "" {
			t.Errorf("field %s (%s) has no documentation in fieldDocText", d.Path, d.Type)
		}
		if d.Type == "" {
			t.Errorf("field %s has no type name", d.Path)
		}
	}
	var walk func(rt reflect.Type, prefix string)
	walk = func(rt reflect.Type, prefix string) {
		for i := range rt.NumField() {
			name := tagName(rt.Field(i))
			if name == "" {
				continue
			}
			p := joinPath(prefix, name)
			if !paths[p] {
				t.Errorf("yaml field %s is missing from FieldDocs", p)
			}
			ft := rt.Field(i).Type
			if _, custom := fieldTypeNames[ft]; custom {
				continue
			}
			switch {
			case ft.Kind() == reflect.Struct:
				walk(ft, p)
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				walk(ft.Elem(), p+"[]")
			}
		}
	}
	walk(experimentType, "")
	for p := range fieldDocText {
		if !paths[p] {
			t.Errorf("fieldDocText documents %q, which is not a field", p)
		}
	}
	help := HelpText()
	for _, d := range docs {
		if !strings.Contains(help, "\n"+d.Path+"  ") {
			t.Errorf("HelpText lacks %s", d.Path)
		}
	}
	for _, want := range []string{"cluster.heartbeat  duration  = 50ms", "faults.down  [min, max]  = [10s, 20s]", "workload.rate  rate\n"} {
		if !strings.Contains(help, want) {
			t.Errorf("HelpText lacks %q", want)
		}
	}
}

func TestEditDistanceAndSuggest(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "abc", 0}, {"clientz", "clients", 1}, {"balancr", "balancer", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}}
	for _, tc := range cases {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := suggest("zzzzzz", []string{"nodes", "launch"}); got != "" {
		t.Errorf("suggest(far miss) = %q, want nothing", got)
	}
}

// The capacity check is exact: the smallest square image that carries the
// plain metadata is accepted, one pixel less is refused, and sealing (which
// adds bytes) can refuse it again.
func TestImageCapacityIsExact(t *testing.T) {
	src := func(side int, key string) string {
		return fmt.Sprintf("workload: {requests_per_client: 1, usernames: 3, image: {width: %d, height: %d}%s}\n", side, side, key)
	}
	side := 1
	for ; side < 100; side++ {
		if _, err := Parse("x.yaml", []byte(src(side, ""))); err == nil {
			break
		}
	}
	_, err := Parse("x.yaml", []byte(src(side-1, "")))
	if side == 1 || side == 100 || err == nil || !strings.Contains(err.Error(), "workload.image:") {
		t.Fatalf("smallest accepted side %d; side %d gives %v, want a capacity error", side, side-1, err)
	}
	for ; side < 100; side++ {
		if _, err := Parse("x.yaml", []byte(src(side, ", key: k"))); err == nil {
			break
		}
		if _, err := Parse("x.yaml", []byte(src(side, ""))); err != nil {
			t.Fatalf("side %d fits plain metadata but not sealed — or neither: %v", side, err)
		}
	}
	if _, err := Parse("x.yaml", []byte(src(side-1, ", key: k"))); err == nil || !strings.Contains(err.Error(), "needs") {
		t.Errorf("sealed metadata on %d×%d: %v, want a capacity error", side-1, side-1, err)
	}
	if _, err := Parse("x.yaml", []byte("workload: {requests_per_client: 1, quota: 5000000000}\n")); err == nil || !strings.Contains(err.Error(), "workload.quota: must be in 0..4294967295") {
		t.Errorf("quota above the seed's u32: %v, want a range error", err)
	}
}
