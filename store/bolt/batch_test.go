package bolt

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// openGrouped opens a store whose batch groups commit exactly when size
// callers have joined: the delay is far longer than any test, so grouping
// does not depend on timing.
func openGrouped(t *testing.T, size int) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "skillpass.db"), Options{MaxBatchSize: size, MaxBatchDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func credentialAt(id string, index int32) *model.CredentialRecord {
	return &model.CredentialRecord{IssuerID: "i1", ID: id, StatusIndex: index, Status: model.CredentialActive}
}

// TestBatchFailureInGroup: eight callers in one group, one of which fails.
// The failing fn runs twice (in the group, then alone), which proves the
// group was formed; the others commit, and only the failing caller sees
// its error.
func TestBatchFailureInGroup(t *testing.T) {
	const n, failing = 8, 3
	s := openGrouped(t, n)
	var runs [n]atomic.Int32
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Batch(context.Background(), func(tx store.Tx) error {
				runs[i].Add(1)
				if err := tx.CreateCredential(credentialAt(fmt.Sprintf("c%d", i), int32(i))); err != nil {
					return err
				}
				if i == failing {
					return errAbortBatch
				}
				return nil
			})
		})
	}
	wg.Wait()
	if got := runs[failing].Load(); got != 2 {
		t.Errorf("failing fn ran %d times, want 2 (in the group, then alone)", got)
	}
	err := s.View(context.Background(), func(tx store.ReadTx) error {
		for i := range n {
			_, getErr := tx.GetCredential("i1", fmt.Sprintf("c%d", i))
			switch {
			case i == failing && (!errors.Is(errs[i], errAbortBatch) || !errors.Is(getErr, model.ErrNotFound)):
				t.Errorf("failing caller: Batch %v, record %v", errs[i], getErr)
			case i != failing && (errs[i] != nil || getErr != nil):
				t.Errorf("caller %d: Batch %v, record %v", i, errs[i], getErr)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

var errAbortBatch = errors.New("abort on purpose")

// TestBatchCancelledWhileWaiting: a caller whose context is cancelled
// after it joined a group, but before its fn ran, gets ctx.Err() and
// writes nothing, while its group commits. Each fn cancels the other
// caller's context, so whichever runs second finds its own cancelled,
// whatever order the group runs them in.
func TestBatchCancelledWhileWaiting(t *testing.T) {
	s := openGrouped(t, 2)
	var ctxs [2]context.Context
	var cancels [2]context.CancelFunc
	for i := range 2 {
		ctxs[i], cancels[i] = context.WithCancel(context.Background())
		defer cancels[i]()
	}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			errs[i] = s.Batch(ctxs[i], func(tx store.Tx) error {
				cancels[1-i]()
				return tx.CreateCredential(credentialAt(fmt.Sprintf("c%d", i), int32(i)))
			})
		})
	}
	wg.Wait()
	var committed, cancelled int
	err := s.View(context.Background(), func(tx store.ReadTx) error {
		for i := range 2 {
			_, getErr := tx.GetCredential("i1", fmt.Sprintf("c%d", i))
			switch {
			case errs[i] == nil && getErr == nil:
				committed++
			case errors.Is(errs[i], context.Canceled) && errors.Is(getErr, model.ErrNotFound):
				cancelled++
			default:
				t.Errorf("caller %d: Batch %v, record %v", i, errs[i], getErr)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if committed != 1 || cancelled != 1 {
		t.Errorf("%d committed and %d cancelled, want one of each", committed, cancelled)
	}
}

func TestBatchOptions(t *testing.T) {
	cases := []struct {
		name      string
		opts      Options
		wantDelay time.Duration
		wantSize  int
	}{
		{name: "ok/defaults", wantDelay: 0, wantSize: 1000},
		{name: "ok/set", opts: Options{MaxBatchDelay: 5 * time.Millisecond, MaxBatchSize: 64}, wantDelay: 5 * time.Millisecond, wantSize: 64},
		{name: "ok/negative means default", opts: Options{MaxBatchDelay: -1, MaxBatchSize: -1}, wantDelay: 0, wantSize: 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.opts.batchDelay(); got != tc.wantDelay {
				t.Errorf("batch delay %s, want %s", got, tc.wantDelay)
			}
			if got := tc.opts.batchSize(); got != tc.wantSize {
				t.Errorf("batch size %d, want %d", got, tc.wantSize)
			}
		})
	}
}

// TestBatchGroupsFormWhileCommitting: callers that arrive while a group is
// being committed are committed together in the next one, with no delay
// configured. The first caller's fn holds its transaction open until the
// others have queued, so grouping does not depend on timing.
func TestBatchGroupsFormWhileCommitting(t *testing.T) {
	const waiting = 6
	s, err := Open(filepath.Join(t.TempDir(), "skillpass.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	queued := func() (int, bool) {
		s.group.mu.Lock()
		defer s.group.mu.Unlock()
		return len(s.group.queue), s.group.running
	}
	release := make(chan struct{})
	firstErr := make(chan error, 1)
	go func() {
		firstErr <- s.Batch(ctx, func(tx store.Tx) error {
			<-release
			return tx.CreateCredential(credentialAt("first", 0))
		})
	}()
	// Wait until the first group is being committed (its fn blocks),
	// i.e. it has left the queue.
	for n, running := queued(); !running || n != 0; n, running = queued() {
		time.Sleep(time.Millisecond)
	}
	var txIDs [waiting]atomic.Int64
	errs := make([]error, waiting)
	var wg sync.WaitGroup
	for i := range waiting {
		wg.Go(func() {
			errs[i] = s.Batch(ctx, func(stx store.Tx) error {
				txIDs[i].Store(int64(stx.(*tx).btx.ID()))
				return stx.CreateCredential(credentialAt(fmt.Sprintf("c%d", i), int32(i+1)))
			})
		})
	}
	for n, _ := queued(); n != waiting; n, _ = queued() {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if err := <-firstErr; err != nil {
		t.Fatalf("first caller: %v", err)
	}
	for i := range waiting {
		if errs[i] != nil {
			t.Errorf("caller %d: %v", i, errs[i])
		}
		if txIDs[i].Load() != txIDs[0].Load() {
			t.Errorf("caller %d committed in transaction %d, caller 0 in %d: want one group", i, txIDs[i].Load(), txIDs[0].Load())
		}
	}
}

// TestBatchPanicInGroup: a panicking fn fails only its own caller, with an
// error, and the committer goes on serving the others (and runs the
// panicking fn again alone, after the group).
func TestBatchPanicInGroup(t *testing.T) {
	const n, panicking = 4, 2
	s := openGrouped(t, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Batch(context.Background(), func(tx store.Tx) error {
				if i == panicking {
					panic("on purpose")
				}
				return tx.CreateCredential(credentialAt(fmt.Sprintf("c%d", i), int32(i)))
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		switch {
		case i == panicking && (err == nil || !strings.Contains(err.Error(), "panicked: on purpose")):
			t.Errorf("panicking caller got %v, want the panic as an error", err)
		case i != panicking && err != nil:
			t.Errorf("caller %d: %v", i, err)
		}
	}
}
