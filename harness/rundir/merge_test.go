package rundir_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"stegocloud/cluster"
	"stegocloud/harness/rundir"
)

func TestMergeEventFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile := func(t *testing.T, path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, b, h := filepath.Join(dir, "1.jsonl"), filepath.Join(dir, "2.jsonl"), filepath.Join(dir, "h.jsonl")
	writeFile(t, a, `{"t":10,"node":1,"type":"start"}
{"t":30,"node":1,"type":"state"}
{"t":50,"node":1,"type":"stop"}
`)
	// Node 2 was killed mid-write: its last line is torn.
	writeFile(t, b, `{"t":20,"node":2,"type":"start"}
{"t":30,"node":2,"type":"state"}
{"t":40,"node":2,"ty`)
	writeFile(t, h, `{"t":30,"node":0,"type":"load_start"}
`)
	var out bytes.Buffer
	n, torn, err := rundir.MergeEvents(&out, []string{a, b, h, filepath.Join(dir, "missing.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 || torn != 1 {
		t.Errorf("merged %d events with %d torn, want 6 and 1", n, torn)
	}
	var got []string
	_, err = cluster.ReadEvents(&out, func(e cluster.Event) error {
		got = append(got, fmt.Sprintf("%d/%d/%s", e.Time, e.Node, e.Type))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Time order; equal times keep the order of the file list.
	want := []string{"10/1/start", "20/2/start", "30/1/state", "30/2/state", "30/0/load_start", "50/1/stop"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged order:\n got %v\nwant %v", got, want)
	}

	// A bad line that is not the last one is an error naming file and line.
	bad := filepath.Join(dir, "bad.jsonl")
	writeFile(t, bad, "{\"t\":1,\"node\":1,\"type\":\"start\"}\nnot json\n{\"t\":2,\"node\":1,\"type\":\"stop\"}\n")
	if _, _, err := rundir.MergeEvents(&bytes.Buffer{}, []string{bad}); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2") {
		t.Errorf("bad middle line: error = %v, want one naming bad.jsonl:2", err)
	}
}
