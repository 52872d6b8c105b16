package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestNodeAndSendFlags(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantOut   []string // substrings of stdout
		wantError string   // substring of the printed error
	}{
		{"node help lists every flag", []string{"node", "--help"}, 0,
			[]string{"-id", "-peers", "-events", "-heartbeat", "-suspect-after", "-election-timeout", "-reelect-every",
				"-recovery-election", "-balancer", "-load-base", "-load-per-request", "-service-delay", "-sync-delay",
				"-max-concurrent", "-max-frame", "-start-recovering", "-key", "-seed", "-load-sample", "-log-level",
				"-tls", "-max-clients", "-max-control", "-client-idle"}, ""},
		{"node bad balancer", []string{"node", "--id", "1", "--peers", "1=127.0.0.1:1", "--balancer", "fastest"}, 2, nil, "balancer"},
		{"node unknown flag", []string{"node", "--colour"}, 2, nil, "colour"},
		{"node without an address", []string{"node", "--id", "2", "--peers", "1=127.0.0.1:1"}, 2, nil, "listen"},
		{"send help", []string{"send", "--help"}, 0, []string{"-cluster", "-in", "-out", "-users", "-quota", "-key", "-timeout", "-retries", "-tls"}, ""},
		{"send with a missing --tls directory", []string{"send", "--cluster", "1=127.0.0.1:1", "--gen", "8x8", "--tls", "/nonexistent", "--out", "o.png", "--users", "al"}, 1, nil, "--tls"},
		{"node with a missing --tls directory", []string{"node", "--id", "1", "--peers", "1=127.0.0.1:1", "--tls", "/nonexistent"}, 2, nil, "tls"},
		{"send without cluster", []string{"send", "--in", "a.png", "--out", "b.png", "--users", "al"}, 2, nil, "--cluster"},
		{"send bad cluster", []string{"send", "--cluster", "x"}, 2, nil, "cluster"},
		{"send missing cover", []string{"send", "--cluster", "1=127.0.0.1:1", "--in", "/nonexistent.png", "--out", "o.png", "--users", "al"}, 1, nil, "reading cover"},
		{"send with both --in and --gen", []string{"send", "--cluster", "1=127.0.0.1:1", "--in", "a.png", "--gen", "8x8", "--out", "o.png", "--users", "al"}, 2, nil, "--gen"},
		{"send bad --gen", []string{"send", "--cluster", "1=127.0.0.1:1", "--gen", "big", "--out", "o.png", "--users", "al"}, 2, nil, "WIDTHxHEIGHT"},
		{"send bad key", []string{"send", "--cluster", "1=127.0.0.1:1", "--gen", "8x8", "--key", "/nonexistent", "--out", "o.png", "--users", "al"}, 1, nil, "key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			if code := exitCode(err, &stderr); code != tc.wantCode {
				t.Fatalf("run(%q): exit %d (%v), want %d", tc.args, code, err, tc.wantCode)
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("run(%q): stdout lacks %q:\n%s", tc.args, w, stdout.String())
				}
			}
			if tc.wantError != "" && !strings.Contains(stderr.String(), tc.wantError) {
				t.Errorf("run(%q): stderr %q lacks %q", tc.args, stderr.String(), tc.wantError)
			}
		})
	}
}
