package issuer

import (
	"context"
	"sync"

	"github.com/skillpass-nl/skillpass/model"
)

const (
	// MaxBatch bounds the items of one IssueBatch call.
	MaxBatch = 500
	// batchWorkers is how many items of one batch are in flight at once:
	// enough that their commits meet in one group commit, few enough that
	// one large batch does not starve other callers of CPU for signing.
	batchWorkers = 64
)

// IssueBatch issues many credentials, each judged on its own: one bad item
// never fails the others. Items run concurrently through the same pipeline
// as Issue, so their records are committed together by the store's group
// commit. The call itself fails only for a batch that is empty or larger
// than MaxBatch; every other outcome is in the item's BatchResult.
func (s *Service) IssueBatch(ctx context.Context, actor model.Principal, reqs []IssueRequest) ([]BatchResult, error) {
	switch {
	case len(reqs) == 0:
		return nil, model.Invalid("requests", "needs at least one item")
	case len(reqs) > MaxBatch:
		return nil, refuse(ErrBatchTooLarge, "requests", "has %d items, at most %d are allowed", len(reqs), MaxBatch)
	}
	out := make([]BatchResult, len(reqs))
	sem := make(chan struct{}, batchWorkers)
	var wg sync.WaitGroup
	for i, req := range reqs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			issued, err := s.Issue(ctx, actor, req)
			out[i] = BatchResult{Issued: issued, Err: err}
		})
	}
	wg.Wait()
	return out, nil
}
