package bolt

import (
	"context"
	"fmt"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/skillpass-nl/skillpass/store"
)

// Batch is Update with group commit: the fn of concurrent callers are run
// in one read-write transaction with one fsync between them, so many small
// durable writes cost one disk flush.
//
// Groups form on their own (groupCommit): while one group commits, new
// callers queue, and the next group is everyone who queued meanwhile. The
// slower the commit, the larger the next group, so throughput grows with
// load instead of being capped by the fsync rate, and a lone caller is
// committed at once instead of waiting out a timer. Options.MaxBatchSize
// caps a group; Options.MaxBatchDelay, if set, makes a group wait that
// long for more callers.
//
// A group is all or nothing at the bbolt level, but one caller's failure
// does not fail the others: if an fn returns an error, the group is rolled
// back and run again without it, and the failed fn then runs again on its
// own, whose error its caller gets (it may have failed only because of
// another caller's write in the same group). That is why fn may run more
// than once and must have no effect outside tx.
//
// A context cancelled before fn runs makes Batch return ctx.Err() with
// nothing written (each run of fn checks it first). Once fn has run in a
// group that then commits, the write is durable and Batch returns nil even
// if ctx was cancelled meanwhile: the caller must not be told a durable
// write failed. Versions are bumped after the group has committed.
func (s *Store) Batch(ctx context.Context, fn func(store.Tx) error) error {
	var written topicSet
	err := s.withDB(ctx, func(db *bbolt.DB) error {
		return s.group.do(db, s.opts, func(btx *bbolt.Tx) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return s.runTx(btx, fn, &written)
		})
	})
	if err == nil {
		s.bump(written)
	}
	return err
}

const defaultMaxBatchSize = 1000

// batchSize is the largest group; 0 or less means 1000.
func (o Options) batchSize() int {
	if o.MaxBatchSize <= 0 {
		return defaultMaxBatchSize
	}
	return o.MaxBatchSize
}

// batchDelay is how long a group waits for more callers; 0 or less means
// not at all.
func (o Options) batchDelay() time.Duration { return max(o.MaxBatchDelay, 0) }

// groupCommit queues Batch calls for one committer goroutine, which runs
// while there is work and exits when the queue is empty. Callers hold the
// store's lock shared while they wait (Store.withDB), so the database
// cannot be closed or swapped while any call is queued, and every call in
// the queue carries the same *bbolt.DB.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*batchCall
	running bool          // a committer goroutine is alive
	full    chan struct{} // wakes a waiting committer when a group is full
}

type batchCall struct {
	db     *bbolt.DB
	fn     func(*bbolt.Tx) error
	joined time.Time
	done   chan error
}

// do queues fn and waits for the outcome of its group.
func (g *groupCommit) do(db *bbolt.DB, opts Options, fn func(*bbolt.Tx) error) error {
	c := &batchCall{db: db, fn: fn, done: make(chan error, 1)}
	if opts.batchDelay() > 0 {
		c.joined = time.Now()
	}
	g.mu.Lock()
	if g.full == nil {
		g.full = make(chan struct{}, 1)
	}
	g.queue = append(g.queue, c)
	if len(g.queue) >= opts.batchSize() {
		select {
		case g.full <- struct{}{}:
		default:
		}
	}
	if !g.running {
		g.running = true
		go g.commitLoop(opts)
	}
	g.mu.Unlock()
	return <-c.done
}

// commitLoop commits groups until the queue is empty.
func (g *groupCommit) commitLoop(opts Options) {
	for {
		calls := g.next(opts)
		if calls == nil {
			return
		}
		runGroup(calls)
	}
}

// next takes the next group off the queue, after waiting up to the batch
// delay for it to fill; nil (and the loop ends) if there is none.
func (g *groupCommit) next(opts Options) []*batchCall {
	size, delay := opts.batchSize(), opts.batchDelay()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.running = false
		return nil
	}
	if wait := delay - time.Since(g.queue[0].joined); delay > 0 && wait > 0 && len(g.queue) < size {
		g.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-g.full:
		case <-t.C:
		}
		t.Stop()
		g.mu.Lock()
	}
	n := min(len(g.queue), size)
	calls := g.queue[:n:n]
	g.queue = append([]*batchCall(nil), g.queue[n:]...)
	// A signal sent for the group just taken must not cut the next one
	// short.
	select {
	case <-g.full:
	default:
	}
	return calls
}

// runGroup commits calls in one transaction. A failing fn is taken out and
// the rest run again; it then runs alone, so its caller's error is its own.
func runGroup(calls []*batchCall) {
	db := calls[0].db
	var failed []*batchCall
	for len(calls) > 0 {
		failIdx := -1
		err := db.Update(func(btx *bbolt.Tx) error {
			for i, c := range calls {
				if err := callSafely(c.fn, btx); err != nil {
					failIdx = i
					return err
				}
			}
			return nil
		})
		if failIdx >= 0 && len(calls) > 1 {
			failed = append(failed, calls[failIdx])
			calls = append(calls[:failIdx:failIdx], calls[failIdx+1:]...)
			continue
		}
		// Success, a lone caller's own error, or a bbolt error (commit,
		// fsync), which every caller of the group must see.
		for _, c := range calls {
			c.done <- err
		}
		break
	}
	for _, c := range failed {
		c.done <- db.Update(func(btx *bbolt.Tx) error { return callSafely(c.fn, btx) })
	}
}

// callSafely turns a panic in fn into an error, as bbolt's own Batch does:
// the committer serves every caller and must not die with one.
func callSafely(fn func(*bbolt.Tx) error, btx *bbolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("bolt: batch function panicked: %v", p)
		}
	}()
	return fn(btx)
}
