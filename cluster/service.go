package cluster

import (
	"context"
	"fmt"
	"time"

	"stegocloud/stego"
)

// Service is what serving a request means on a node. It must honour ctx: a
// node that fails or stops cancels it and drops the result.
type Service interface {
	Serve(ctx context.Context, cover []byte, m stego.Metadata) ([]byte, error)
}

// Codec hides metadata in an image and reveals it again. The stego package is
// the real one; tests may use a cheaper fake.
type Codec interface {
	Hide(cover []byte, m stego.Metadata, key []byte) ([]byte, error)
	Reveal(img []byte, key []byte) (stego.Metadata, error)
}

// CodecService is the node's service: Codec.Hide (Reveal for a view), then
// the simulated delay.
// Every error from Hide is about the request itself (not an image, too
// small, bad metadata), so it is wrapped in ErrRejected: retrying elsewhere
// cannot help.
type CodecService struct {
	Codec Codec
	Key   []byte        // seal key; nil for unsealed metadata
	Delay time.Duration // simulated processing time on top of the real work
}

// Serve implements Service.
func (s CodecService) Serve(ctx context.Context, cover []byte, m stego.Metadata) ([]byte, error) {
	img, err := s.Codec.Hide(cover, m, s.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: hiding metadata: %w", ErrRejected, err)
	}
	if err := s.delay(ctx); err != nil {
		return nil, err
	}
	return img, nil
}

// Revealer is implemented by a Service that can read the metadata hidden in
// an image: what a view asks of its assignee. A node whose service is not
// one answers views with "unavailable", and another node takes them.
type Revealer interface {
	Reveal(ctx context.Context, img []byte) (stego.Metadata, error)
}

// Reveal implements Revealer: Codec.Reveal with the node's key, then the
// simulated delay. Every error is about the image (not one, no metadata,
// sealed with another key), so it is wrapped in ErrRejected.
func (s CodecService) Reveal(ctx context.Context, img []byte) (stego.Metadata, error) {
	m, err := s.Codec.Reveal(img, s.Key)
	if err != nil {
		return stego.Metadata{}, fmt.Errorf("%w: revealing the image's metadata: %w", ErrRejected, err)
	}
	if err := s.delay(ctx); err != nil {
		return stego.Metadata{}, err
	}
	return m, nil
}

// delay waits the simulated processing time, or until ctx ends.
func (s CodecService) delay(ctx context.Context) error {
	if s.Delay <= 0 {
		return nil
	}
	t := time.NewTimer(s.Delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("serving: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

// Bounder is implemented by a Service that can tell, from a cover's header
// alone, that its answer could exceed limit bytes. A node asks before a
// request enters the protocol and refuses such a request at once with the
// error (which should wrap ErrRejected), instead of serving it and losing the
// answer to the client's frame limit. nil means it fits, or that the service
// cannot tell (a cover that is not an image is rejected when served).
type Bounder interface {
	CheckFits(cover []byte, limit int64) error
}

// CheckFits implements Bounder when the codec does.
func (s CodecService) CheckFits(cover []byte, limit int64) error {
	if b, ok := s.Codec.(Bounder); ok {
		return b.CheckFits(cover, limit)
	}
	return nil
}
