package client

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"time"

	"stegocloud/cluster/wire"
	"stegocloud/stego"
)

// Reply is Encrypt's accepted answer.
type Reply struct {
	ID       string         // request id on the wire
	Node     int            // node that served it
	Image    []byte         // the image with the metadata hidden in it (PNG)
	Meta     stego.Metadata // the metadata it carries, exactly as sent (with the id drawn when none was given)
	Attempts int            // sends under this id: 1 + retries
	Invalid  int            // responses rejected by verification before this one
	Latency  time.Duration  // from the call to the accepted response
	BytesOut int            // request bytes queued for all nodes and attempts
	BytesIn  int            // body bytes of the accepted response

	// InvalidFrom is the node of each response rejected by verification
	// (Invalid of them), in arrival order.
	InvalidFrom []int
}

// Encrypt asks the cluster to hide m in cover and returns the first response
// that really carries m: the same id, usernames and quota. An m without an
// id gets one drawn (stego.NewID), returned in Reply.Meta: it is the image's
// name for View. Encrypt retries with backoff under the same request id
// until the retries are spent; a rejection ends it at once. cover is copied
// before Encrypt returns and never modified.
func (c *Client) Encrypt(ctx context.Context, cover []byte, m stego.Metadata) (Reply, error) {
	if m.ID == "" {
		id, err := stego.NewID(rand.Reader)
		if err != nil {
			return c.encryptFailed(err)
		}
		m.ID = id
	}
	x, err := c.do(ctx, wire.Message{Meta: &m, Body: cover}, func(resp *wire.Message) error {
		return c.verify(resp.Body, m)
	})
	r := Reply{ID: x.ID, Node: x.Node, Meta: m, Attempts: x.Attempts, Invalid: x.Invalid, InvalidFrom: x.InvalidFrom,
		Latency: x.Latency, BytesOut: x.BytesOut}
	if err == nil {
		r.Image, r.BytesIn = x.Answer.Body, len(x.Answer.Body)
	}
	return r, err
}

func (c *Client) encryptFailed(err error) (Reply, error) {
	c.requests.Add(1)
	c.failed.Add(1)
	return Reply{}, &RequestError{Err: fmt.Errorf("drawing an image id: %w", err)}
}

// verify checks that img carries exactly m.
func (c *Client) verify(img []byte, m stego.Metadata) error {
	got, err := c.cfg.Codec.Reveal(img, c.cfg.Key)
	if err != nil {
		return fmt.Errorf("revealing metadata: %w", err)
	}
	if got.ID != m.ID || got.Quota != m.Quota || !slices.Equal(got.Usernames, m.Usernames) {
		return fmt.Errorf("metadata %+v, sent %+v: %w", got, m, ErrInvalidResponse)
	}
	return nil
}
