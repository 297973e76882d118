// Package bolt is the embedded Skillpass store: one bbolt file, one writer
// process. Records are protobuf (gen/skillpass/storage/v1) under keys built
// in keys.go; the layout, its version and its migrations are in schema.go.
//
// Every Update is one bbolt read-write transaction, fsynced on commit with
// bbolt's default durability: what Update acknowledged survives a crash or
// kill -9. Batch gives the same guarantee to many concurrent callers with
// one commit between them (batch.go). Secondary indexes are written in the
// transaction of their record. Change counters for read-path caches are
// kept in memory and bumped after each commit (versions.go).
//
// Ids that become keys may not be empty or contain a NUL byte (the key
// separator); such ids get a *model.ValidationError naming the field.
// Transactions must not be nested: a View or Update inside another one can
// deadlock against a waiting Restore.
package bolt

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/skillpass-nl/skillpass/store"
)

// Options configures Open.
type Options struct {
	// Timeout bounds the wait for the file lock that keeps a second process
	// out of the database; 0 means 5s.
	Timeout time.Duration
	// MaxBatchDelay is how long a Batch group waits for more callers
	// before committing; 0 means it does not wait. Groups need no timer to
	// form: callers that arrive while a commit is running make up the
	// next group (batch.go). A delay only adds latency, and saves commits
	// only when callers arrive in sparse bursts.
	MaxBatchDelay time.Duration
	// MaxBatchSize caps the callers of one group; 0 means 1000.
	MaxBatchSize int
}

const defaultLockTimeout = 5 * time.Second

func (o Options) lockTimeout() time.Duration {
	if o.Timeout <= 0 {
		return defaultLockTimeout
	}
	return o.Timeout
}

// Store is a Skillpass database in one bbolt file.
type Store struct {
	path string
	opts Options

	// mu guards db. View, Update, Backup and Check hold it shared; Restore
	// and Close hold it exclusively, so they wait for in-flight
	// transactions and no transaction sees a closed or swapped file.
	mu sync.RWMutex
	db *bbolt.DB // nil once closed, or if a failed Restore could not reopen

	versions versions
	keySets  keySetCache
	group    groupCommit // Batch's queue and committer
}

var _ store.Store = (*Store)(nil)

var errClosed = errors.New("bolt: store is closed")

// Open opens the database at path, creating the file (mode 0600) and its
// buckets if it does not exist and migrating an older layout. It fails if
// another process holds the file for longer than opts.Timeout, or if the
// file was written by a newer Skillpass.
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("bolt: database path is empty")
	}
	db, err := openDB(path, opts)
	if err != nil {
		return nil, err
	}
	return &Store{path: path, opts: opts, db: db}, nil
}

// openDB opens and migrates one bbolt file.
func openDB(path string, opts Options) (*bbolt.DB, error) {
	timeout := opts.lockTimeout()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout: timeout,
		// Throughput of durable issuance, measured with skillpass-load
		// (64 clients, 20 s): +4 to 10%. The free list is not written at
		// every commit but rebuilt by a scan when the file is opened (as
		// etcd does); committed data is as durable as before, and the
		// SIGKILL test in e2e/ still holds. The map free list allocates in
		// constant time in a large file, and a 1 GiB initial mapping
		// (address space, not memory) spares the writer the remaps that
		// block all readers while the file grows.
		NoFreelistSync:  true,
		FreelistType:    bbolt.FreelistMapType,
		InitialMmapSize: 1 << 30,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("open database %s: still locked by another process after %s (is another skillpassd running on this data dir?): %w", path, timeout, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := activeSchema.migrate(db); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// View runs fn in a read-only transaction.
func (s *Store) View(ctx context.Context, fn func(store.ReadTx) error) error {
	return s.withDB(ctx, func(db *bbolt.DB) error {
		return db.View(func(btx *bbolt.Tx) error { return fn(&tx{btx: btx, keySets: &s.keySets}) })
	})
}

// Update runs fn in a read-write transaction that is committed (and
// fsynced) only if fn returns nil. The versions of the topics it wrote are
// bumped once the commit is durable.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	var written topicSet
	err := s.withDB(ctx, func(db *bbolt.DB) error {
		return db.Update(func(btx *bbolt.Tx) error { return s.runTx(btx, fn, &written) })
	})
	if err == nil {
		s.bump(written)
	}
	return err
}

// runTx runs fn on btx and, if fn succeeds, reports the topics it wrote.
// A fn that runs again (Batch retries) overwrites what an earlier run
// reported.
func (s *Store) runTx(btx *bbolt.Tx, fn func(store.Tx) error, written *topicSet) error {
	t := &tx{btx: btx, keySets: &s.keySets}
	if err := fn(t); err != nil {
		return err
	}
	*written = t.topics
	return nil
}

// withDB runs f with the database held shared. The context is checked
// before starting: bbolt transactions cannot be interrupted, so a caller
// that has given up does not start one.
func (s *Store) withDB(ctx context.Context, f func(*bbolt.DB) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return errClosed
	}
	// Waiting for the lock may have taken a Restore's duration.
	if err := ctx.Err(); err != nil {
		return err
	}
	return f(s.db)
}

// Check runs bbolt's consistency check over the whole file. It runs in a
// read-write transaction that is rolled back, because bbolt's check is only
// safe alongside concurrent writers when it holds the writer lock itself.
func (s *Store) Check() error {
	return s.withDB(context.Background(), func(db *bbolt.DB) error {
		btx, err := db.Begin(true)
		if err != nil {
			return err
		}
		defer func() { _ = btx.Rollback() }()
		return collectCheck(btx)
	})
}

// collectCheck drains tx.Check into one error.
func collectCheck(btx *bbolt.Tx) error {
	var errs []error
	for err := range btx.Check() {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("consistency check found %d problem(s): %w", len(errs), errors.Join(errs...))
	}
	return nil
}

// Close waits for in-flight transactions and closes the file. Closing twice
// is not an error.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}
