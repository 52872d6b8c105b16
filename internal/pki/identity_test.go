package pki

import (
	"errors"
	"testing"
)

func TestParseIdentity(t *testing.T) {
	good := []struct {
		in   string
		want Identity
	}{
		{"spiffe://stegocloud/node/1", Node(1)},
		{"spiffe://stegocloud/node/255", Node(255)},
		{"spiffe://stegocloud/client/default", Client("default")},
		{"spiffe://stegocloud/control/harness-run_1.2", Control("harness-run_1.2")},
	}
	for _, c := range good {
		got, err := ParseIdentity(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseIdentity(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
		if got.String() != c.in {
			t.Errorf("ParseIdentity(%q).String() = %q", c.in, got.String())
		}
		if u := got.URI().String(); u != c.in {
			t.Errorf("%+v.URI() = %q, want %q", got, u, c.in)
		}
	}
	bad := []string{
		"", "spiffe://stegocloud/", "spiffe://stegocloud/node", "spiffe://stegocloud/node/",
		"spiffe://stegocloud/node/0", "spiffe://stegocloud/node/256", "spiffe://stegocloud/node/01",
		"spiffe://stegocloud/node/+1", "spiffe://stegocloud/node/1/x", "spiffe://stegocloud/admin/x",
		"spiffe://STEGOCLOUD/node/1", "SPIFFE://stegocloud/node/1", "spiffe://other/node/1",
		"spiffe://stegocloud/client/a%2Fb", "spiffe://stegocloud/client/a?b", "spiffe://stegocloud/client/é",
		"spiffe://stegocloud/client/" + string(make([]byte, 65)),
	}
	for _, in := range bad {
		if got, err := ParseIdentity(in); !errors.Is(err, ErrIdentity) {
			t.Errorf("ParseIdentity(%q) = %+v, %v; want ErrIdentity", in, got, err)
		}
	}
}

func TestNodeID(t *testing.T) {
	if id, ok := Node(7).NodeID(); !ok || id != 7 {
		t.Errorf("Node(7).NodeID() = %d, %v", id, ok)
	}
	if _, ok := Client("7").NodeID(); ok {
		t.Errorf("a client identity gave a node id")
	}
}

// FuzzParseIdentity: no input panics, and whatever parses has exactly one
// spelling: its String is the input, and its URI reads back the same way.
func FuzzParseIdentity(f *testing.F) {
	for _, s := range []string{"spiffe://stegocloud/node/3", "spiffe://stegocloud/client/default",
		"spiffe://stegocloud/control/x", "spiffe://stegocloud/node/03", "spiffe://stegocloud//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIdentity(s)
		if err != nil {
			if !errors.Is(err, ErrIdentity) {
				t.Fatalf("ParseIdentity(%q) error %v does not wrap ErrIdentity", s, err)
			}
			return
		}
		if id.String() != s {
			t.Fatalf("ParseIdentity(%q) = %+v, whose String is %q", s, id, id.String())
		}
		again, err := ParseIdentity(id.URI().String())
		if err != nil || again != id {
			t.Fatalf("%+v: URI %q reads back as %+v, %v", id, id.URI(), again, err)
		}
	})
}
