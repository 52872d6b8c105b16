package nodetest

import (
	"context"
	"errors"
	"testing"

	"stegocloud/stego"
)

type echo struct{}

// Serve returns the quota it was asked to hide, so the test sees what the
// inner service received.
func (echo) Serve(_ context.Context, _ []byte, m stego.Metadata) ([]byte, error) {
	return []byte{byte(m.Quota)}, nil
}

func TestParseMutation(t *testing.T) {
	m, err := ParseMutation("corrupt-every=3, fail-every=5")
	if err != nil || m != (Mutation{CorruptEvery: 3, FailEvery: 5}) {
		t.Errorf("ParseMutation = %+v, %v", m, err)
	}
	for _, bad := range []string{"corrupt-every", "corrupt-every=0", "twice=1", "corrupt-every=x"} {
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
