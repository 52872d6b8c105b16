package cluster

import "time"

// backoffCap is the configured cap of the election backoff.
func backoffCap(c Config) time.Duration { return c.ElectionBackoff }
