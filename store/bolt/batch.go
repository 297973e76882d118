package bolt

import (
	"context"

	bbolt "go.etcd.io/bbolt"

	"github.com/skillpass-nl/skillpass/store"
)

// Batch is Update with group commit: bbolt gathers the fn of concurrent
// callers (up to Options.MaxBatchSize, or for Options.MaxBatchDelay) into
// one read-write transaction and one fsync, so many small durable writes
// cost one disk flush between them.
//
// A group is all or nothing at the bbolt level, but one caller's failure
// does not fail the others: if an fn returns an error, bbolt rolls the group
// back, runs the remaining fns again as a group and the failed fn again on
// its own, whose error its caller gets. That is why fn may run more than
// once and must have no effect outside tx.
//
// A context cancelled before fn runs makes Batch return ctx.Err() with
// nothing written (each run of fn checks it first). Once fn has run in a
// group that then commits, the write is durable and Batch returns nil even
// if ctx was cancelled meanwhile: the caller must not be told a durable
// write failed. Versions are bumped after the group has committed.
func (s *Store) Batch(ctx context.Context, fn func(store.Tx) error) error {
	var written topicSet
	err := s.withDB(ctx, func(db *bbolt.DB) error {
		return db.Batch(func(btx *bbolt.Tx) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return runTx(btx, fn, &written)
		})
	})
	if err == nil {
		s.bump(written)
	}
	return err
}
