package experiment

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestMixParses(t *testing.T) {
	e, err := Parse("x.yaml", []byte("workload:\n  rate: 10/s\n  duration: 5s\n  mix: {encrypt: 0.2, view: 0.7, register: 0.05, online: 0.05}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Mix{Encrypt: 0.2, View: 0.7, Register: 0.05, Online: 0.05}
	if e.Workload.Mix != want || !e.Workload.Mix.TableOps() {
		t.Errorf("mix = %+v, want %+v with table operations", e.Workload.Mix, want)
	}
	y, err := e.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("experiment.yaml", y)
	if err != nil || !reflect.DeepEqual(back, e) {
		t.Errorf("the resolved experiment does not read back the same: %v\n%s", err, y)
	}
	// No mix: encrypt only, and the resolved file does not mention it
	// (experiment.yaml of today's runs stays as it was).
	e, err = Parse("x.yaml", []byte("workload: {requests_per_client: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	y, _ = e.YAML()
	if !e.Workload.Mix.IsZero() || e.Workload.Mix.TableOps() || strings.Contains(string(y), "mix") {
		t.Errorf("default mix %+v; resolved file mentions mix: %v", e.Workload.Mix, strings.Contains(string(y), "mix"))
	}
}

func TestMixPick(t *testing.T) {
	m := Mix{Encrypt: 0.2, View: 0.7, Online: 0.1}
	for _, c := range []struct {
		u    float64
		want string
	}{{0, OpEncrypt}, {0.19, OpEncrypt}, {0.2, OpView}, {0.89, OpView}, {0.9, OpOnline}, {0.999999, OpOnline}} {
		if got := m.Pick(c.u); got != c.want {
			t.Errorf("Pick(%v) = %s, want %s", c.u, got, c.want)
		}
	}
	if got := (Mix{}).Pick(0.5); got != OpEncrypt {
		t.Errorf("zero mix picks %s, want encrypt", got)
	}
	if got := (Mix{Encrypt: 0.5, View: 0.5 - 1e-9}).Pick(0.9999999999); got != OpView {
		t.Errorf("rounding: picked %s, want the last op with a share", got)
	}
}

func TestMixErrors(t *testing.T) {
	base := "workload:\n  requests_per_client: 1\n  mix: "
	for _, c := range []struct{ src, want string }{
		{base + "{encrypt: 0.5, view: 0.6}\n", "x.yaml:3: workload.mix: the shares add up to 1.1; they must add up to 1"},
		{base + "{encrypt: 1.5, view: -0.5}\n", "workload.mix.encrypt: must be in 0..1, got 1.5"},
		{base + "{view: 1}\n", "workload.mix.view: views need images encrypted in the same run"},
		{base + "{encrypt: 0.5, views: 0.5}\n", `workload.mix.views: unknown field`},
		{"cluster: {launch: noop}\n" + base + "{encrypt: 0.5, online: 0.5}\n", "workload.mix: view, register, unregister and online need a cluster"},
		{"workload: {requests_per_client: 1}\nexpect: {anomalies: [quota_safety]}\n", `expect.anomalies: "quota_safety" is checked only when workload.mix has view`},
	} {
		_, err := Parse("x.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalidExperiment) {
			t.Errorf("Parse(%q) = %v, want an ErrInvalidExperiment containing %q", c.src, err, c.want)
		}
	}
}
