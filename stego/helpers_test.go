package stego

import (
	"encoding/json"
	"testing"
)

func jsonLen(tb testing.TB, m Metadata) int {
	tb.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return len(b)
}
