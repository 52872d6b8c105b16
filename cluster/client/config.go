package client

import (
	"fmt"
	"time"

	"stegocloud/cluster/wire"
	"stegocloud/internal/pki"
	"stegocloud/stego"
)

// Config configures a Client.
type Config struct {
	Nodes      wire.Peers    // every node by id
	Timeout    time.Duration // per attempt; 0: 3s
	Retries    int           // attempts after the first, under the same id
	Backoff    time.Duration // pause before the first retry, doubled each time; 0: 50ms
	MaxBackoff time.Duration // cap of the pause; 0: 1s
	Key        []byte        // seal key the nodes use; nil: unsealed
	Codec      Revealer      // verifies Encrypt's responses; nil: the stego package
	Name       string        // readable request-id prefix ("c17"); a random part is always added
	Transport  wire.Transport
	MaxFrame   int // largest response accepted in bytes; 0: 64 MiB
	// TLS are the client's credentials (a client identity; see
	// pki.LoadClient): every connection is then mutual TLS, and each node must
	// prove it is the node of that id. nil: plaintext.
	TLS *pki.Credentials
	// OnLate, if set, hears of every response that arrives after its call
	// ended (counted in Stats.LateDuplicates): the request id, the node
	// that sent it, and whether it carried a result (false: an error
	// answer). It is called from the client's reader goroutines and must
	// be quick.
	OnLate func(id string, node int, served bool)
}

// Revealer reads the metadata hidden in an image; the client checks every
// Encrypt response with it. cluster.Codec is one.
type Revealer interface {
	Reveal(img []byte, key []byte) (stego.Metadata, error)
}

// stegoRevealer is the default Revealer: the stego package.
type stegoRevealer struct{}

func (stegoRevealer) Reveal(img, key []byte) (stego.Metadata, error) { return stego.Reveal(img, key) }

// maxName keeps request ids (name, '.', 12 hex digits, '-', a sequence
// number of up to 20 digits) within the nodes' id limit.
const maxName = wire.MaxIDLen - 1 - 12 - 1 - 20

// withDefaults validates c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	if len(c.Nodes) == 0 {
		return c, fmt.Errorf("%w: client nodes: none given", ErrConfig)
	}
	if _, err := wire.ParsePeers(c.Nodes.String()); err != nil {
		return c, fmt.Errorf("%w: client nodes: %v", ErrConfig, err)
	}
	if c.Timeout < 0 || c.Retries < 0 || c.Backoff < 0 || c.MaxBackoff < 0 || c.MaxFrame < 0 {
		return c, fmt.Errorf("%w: client timeout, retries, backoff and max frame must not be negative", ErrConfig)
	}
	if len(c.Name) > maxName {
		return c, fmt.Errorf("%w: client name of %d bytes, limit %d (request ids carry it and nodes refuse ids over %d bytes)",
			ErrConfig, len(c.Name), maxName, wire.MaxIDLen)
	}
	if c.TLS != nil && c.TLS.Identity.Role != pki.RoleClient {
		return c, fmt.Errorf("%w: client TLS credentials are %s, want a client identity", ErrConfig, c.TLS.Identity)
	}
	c.Timeout = cmp0(c.Timeout, 3*time.Second)
	c.Backoff = cmp0(c.Backoff, 50*time.Millisecond)
	c.MaxBackoff = cmp0(c.MaxBackoff, time.Second)
	c.MaxFrame = cmp0(c.MaxFrame, 64<<20)
	if c.Transport == nil {
		c.Transport = wire.TCPTransport{}
	}
	if c.Codec == nil {
		c.Codec = stegoRevealer{}
	}
	return c, nil
}

func cmp0[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
