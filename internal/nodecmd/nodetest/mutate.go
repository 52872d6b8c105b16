package nodetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"stegocloud/cluster"
	"stegocloud/stego"
)

// Mutation is how a test node misbehaves: every CorruptEvery-th request it
// serves is answered with an image that carries other metadata than was
// sent (quota+1: a valid image, the wrong content), and every FailEvery-th
// with an "unavailable" error; with AnswerTwice every response frame is
// written twice (plaintext nodes only: with TLS the transport sees
// ciphertext). Zero turns a kind off; the counts are per process and shared
// by both kinds. InflateQuota adds to the quota of every image the node
// reveals for a view, so a table that first meets an image through it
// grants more views than the image allows (an over-grant).
type Mutation struct {
	CorruptEvery int
	FailEvery    int
	AnswerTwice  bool
	InflateQuota int
}

// errMutated is the error a FailEvery request gets.
var errMutated = errors.New("nodetest: failing this request on purpose")

// ParseMutation reads "corrupt-every=K", "fail-every=K", "inflate-quota=K"
// and "answer-twice", comma-separated.
func ParseMutation(spec string) (Mutation, error) {
	var m Mutation
	for item := range strings.SplitSeq(spec, ",") {
		if strings.TrimSpace(item) == "answer-twice" {
			m.AnswerTwice = true
			continue
		}
		name, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		k, err := strconv.Atoi(val)
		if !ok || err != nil || k < 1 {
			return Mutation{}, fmt.Errorf("mutation %q: want name=K with K ≥ 1", item)
		}
		switch name {
		case "corrupt-every":
			m.CorruptEvery = k
		case "fail-every":
			m.FailEvery = k
		case "inflate-quota":
			m.InflateQuota = k
		default:
			return Mutation{}, fmt.Errorf("mutation %q: unknown; want corrupt-every=K, fail-every=K, inflate-quota=K or answer-twice", item)
		}
	}
	return m, nil
}

// Wrap returns svc misbehaving as m says.
func (m Mutation) Wrap(svc cluster.Service) cluster.Service {
	return &mutated{Mutation: m, inner: svc}
}

type mutated struct {
	Mutation
	inner cluster.Service
	n     atomic.Int64
}

func (s *mutated) Serve(ctx context.Context, cover []byte, meta stego.Metadata) ([]byte, error) {
	n := s.n.Add(1)
	if s.FailEvery > 0 && n%int64(s.FailEvery) == 0 {
		return nil, errMutated
	}
	if s.CorruptEvery > 0 && n%int64(s.CorruptEvery) == 0 {
		meta.Quota++
	}
	return s.inner.Serve(ctx, cover, meta)
}

// Reveal passes views through, with InflateQuota added to the quota: the
// other mutations are about encrypt's answers.
func (s *mutated) Reveal(ctx context.Context, img []byte) (stego.Metadata, error) {
	r, ok := s.inner.(cluster.Revealer)
	if !ok {
		return stego.Metadata{}, fmt.Errorf("%w: the wrapped service cannot reveal", errMutated)
	}
	m, err := r.Reveal(ctx, img)
	if err == nil {
		m.Quota += s.InflateQuota
	}
	return m, err
}
