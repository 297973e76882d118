package bolt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
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
		{name: "ok/defaults", wantDelay: 2 * time.Millisecond, wantSize: 1000},
		{name: "ok/set", opts: Options{MaxBatchDelay: 5 * time.Millisecond, MaxBatchSize: 64}, wantDelay: 5 * time.Millisecond, wantSize: 64},
		{name: "ok/negative means default", opts: Options{MaxBatchDelay: -1, MaxBatchSize: -1}, wantDelay: 2 * time.Millisecond, wantSize: 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "skillpass.db"), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.db.MaxBatchDelay != tc.wantDelay || s.db.MaxBatchSize != tc.wantSize {
				t.Errorf("batching %s/%d, want %s/%d", s.db.MaxBatchDelay, s.db.MaxBatchSize, tc.wantDelay, tc.wantSize)
			}
			// A restore reopens the file; the options must survive it.
			var buf bytes.Buffer
			if _, err := s.Backup(context.Background(), &buf); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Restore(context.Background(), &buf); err != nil {
				t.Fatal(err)
			}
			if s.db.MaxBatchDelay != tc.wantDelay || s.db.MaxBatchSize != tc.wantSize {
				t.Errorf("after restore batching %s/%d, want %s/%d", s.db.MaxBatchDelay, s.db.MaxBatchSize, tc.wantDelay, tc.wantSize)
			}
		})
	}
}
