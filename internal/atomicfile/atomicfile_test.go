package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestReplaceWritesWholeOrKeepsTheOld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.txt")
	if n, err := Replace(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "first"); return err }); err != nil || n != 5 {
		t.Fatalf("Replace: %d, %v; want 5, nil", n, err)
	}
	boom := errors.New("boom")
	if _, err := Replace(path, 0o644, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("failed write: %v, want boom", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "first" {
		t.Errorf("after a failed write the file holds %q, want the old %q", got, "first")
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestCreateRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := Create(path, 0o600, []byte("secret")); err != nil {
		t.Fatal(err)
	}
	if err := Create(path, 0o600, []byte("other")); !errors.Is(err, ErrExist) {
		t.Fatalf("second Create: %v, want ErrExist", err)
	}
	got, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "secret" || st.Mode().Perm() != 0o600 {
		t.Errorf("file %q mode %v, want %q 0600", got, st.Mode().Perm(), "secret")
	}
}
