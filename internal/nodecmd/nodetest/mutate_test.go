package nodetest

import (
	"context"
	"errors"
	"testing"

	"stegocloud/cluster"
	"stegocloud/stego"
)

type echo struct{}

// Serve returns the quota it was asked to hide, so the test sees what the
// inner service received.
func (echo) Serve(_ context.Context, _ []byte, m stego.Metadata) ([]byte, error) {
	return []byte{byte(m.Quota)}, nil
}

func TestParseMutation(t *testing.T) {
	m, err := ParseMutation("corrupt-every=3, fail-every=5,answer-twice,inflate-quota=2")
	if err != nil || m != (Mutation{CorruptEvery: 3, FailEvery: 5, AnswerTwice: true, InflateQuota: 2}) {
		t.Errorf("ParseMutation = %+v, %v", m, err)
	}
	for _, bad := range []string{"corrupt-every", "corrupt-every=0", "twice=1", "corrupt-every=x", "answer-twice=1", "inflate-quota=0"} {
		if _, err := ParseMutation(bad); err == nil {
			t.Errorf("ParseMutation(%q) accepted", bad)
		}
	}
}

func TestMutationCorruptsAndFailsEveryKth(t *testing.T) {
	svc := Mutation{CorruptEvery: 2, FailEvery: 3}.Wrap(echo{})
	var got []string
	for range 6 {
		img, err := svc.Serve(context.Background(), nil, stego.Metadata{Quota: 7})
		switch {
		case errors.Is(err, errMutated):
			got = append(got, "fail")
		case err != nil:
			t.Fatal(err)
		case img[0] == 7:
			got = append(got, "ok")
		default:
			got = append(got, "corrupt")
		}
	}
	want := []string{"ok", "corrupt", "fail", "corrupt", "ok", "fail"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("answers %v, want %v", got, want)
		}
	}
}

func TestIsResponseFrame(t *testing.T) {
	resp, _ := cluster.AppendFrame(nil, &cluster.Message{Type: cluster.MsgResponse, From: 1, ID: "x", Body: []byte("img")})
	hb, _ := cluster.AppendFrame(nil, &cluster.Message{Type: cluster.MsgHeartbeat, From: 1})
	for _, c := range []struct {
		b    []byte
		want bool
	}{{resp, true}, {hb, false}, {append(append([]byte{}, resp...), hb...), false}, {resp[:len(resp)-1], false}, {nil, false}} {
		if got := isResponseFrame(c.b); got != c.want {
			t.Errorf("isResponseFrame(%q) = %v, want %v", c.b, got, c.want)
		}
	}
}

// revealer reveals a fixed quota, as an image carrying it would.
type revealer struct{ echo }

func (revealer) Reveal(context.Context, []byte) (stego.Metadata, error) {
	return stego.Metadata{ID: "img", Usernames: []string{"alice"}, Quota: 2}, nil
}

func TestInflateQuotaRevealsMoreViews(t *testing.T) {
	for _, c := range []struct {
		m    Mutation
		want int
	}{{Mutation{}, 2}, {Mutation{InflateQuota: 3}, 5}} {
		r, ok := c.m.Wrap(revealer{}).(cluster.Revealer)
		if !ok {
			t.Fatal("the mutated service does not reveal")
		}
		m, err := r.Reveal(context.Background(), nil)
		if err != nil || m.Quota != c.want {
			t.Errorf("%+v: Reveal = %+v, %v; want quota %d", c.m, m, err, c.want)
		}
	}
}
