package stego

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	names := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("u%d", i)
		}
		return out
	}
	long := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%0*d", MaxUsernameBytes, i)
		}
		return out
	}
	tests := []struct {
		name    string
		m       Metadata
		wantMsg string // a fragment the error must contain; "" means valid
	}{
		{"seed example", Metadata{Usernames: []string{"alice", "bob", "charlie"}, Quota: 5}, ""},
		{"zero quota", Metadata{Usernames: []string{"a"}, Quota: 0}, ""},
		{"max quota", Metadata{Usernames: []string{"a"}, Quota: MaxQuota}, ""},
		{"unicode name", Metadata{Usernames: []string{"zoë", "李"}}, ""},
		{"name at limit", Metadata{Usernames: []string{strings.Repeat("x", MaxUsernameBytes)}}, ""},
		{"max usernames short", Metadata{Usernames: names(MaxUsernames)}, ""},
		{"nil usernames", Metadata{Quota: 1}, "at least one username"},
		{"too many usernames", Metadata{Usernames: names(MaxUsernames + 1)}, "at most 1024 usernames allowed, got 1025"},
		{"empty name", Metadata{Usernames: []string{"a", ""}}, `username 1 "" is empty`},
		{"name too long", Metadata{Usernames: []string{strings.Repeat("x", MaxUsernameBytes+1)}}, "is 65 bytes long, at most 64"},
		{"invalid utf-8", Metadata{Usernames: []string{"a\xffb"}}, "not valid UTF-8"},
		{"control char", Metadata{Usernames: []string{"a\nb"}}, "control character U+000A"},
		{"duplicate", Metadata{Usernames: []string{"a", "b", "a"}}, `username 2 "a" repeats username 0`},
		{"negative quota", Metadata{Usernames: []string{"a"}, Quota: -1}, "quota must be in [0, 4294967295], got -1"},
		{"quota over u32", Metadata{Usernames: []string{"a"}, Quota: MaxQuota + 1}, "got 4294967296"},
		{"json too large", Metadata{Usernames: long(MaxUsernames)}, "json encoding is"},
		{"id, every allowed byte", Metadata{ID: "AZaz09._-", Usernames: []string{"a"}}, ""},
		{"id at limit", Metadata{ID: strings.Repeat("i", MaxIDBytes), Usernames: []string{"a"}}, ""},
		{"id of a version-1 frame", Metadata{ID: "v1-27303e1b473edff2792b789a3bfa1c26", Usernames: []string{"a"}}, ""},
		{"id too long", Metadata{ID: strings.Repeat("i", MaxIDBytes+1), Usernames: []string{"a"}}, "is 65 bytes long, at most 64 allowed"},
		{"id with a space", Metadata{ID: "a b", Usernames: []string{"a"}}, `id "a b" has ' ' at byte 1; only A-Z, a-z, 0-9, '.', '_' and '-' are allowed`},
		{"id with a slash", Metadata{ID: "a/b", Usernames: []string{"a"}}, `has '/' at byte 1`},
		{"id with a quote", Metadata{ID: `a"`, Usernames: []string{"a"}}, `has '"' at byte 1`},
		{"id with unicode", Metadata{ID: "ü", Usernames: []string{"a"}}, `has 0xc3 at byte 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Validate()
			switch {
			case tt.wantMsg == "" && err != nil:
				t.Errorf("Validate(%.60v) = %v, want nil", tt.m, err)
			case tt.wantMsg != "" && (!errors.Is(err, ErrInvalidMetadata) || !strings.Contains(err.Error(), tt.wantMsg)):
				t.Errorf("Validate(%.60v) = %v, want ErrInvalidMetadata containing %q", tt.m, err, tt.wantMsg)
			}
		})
	}
}
