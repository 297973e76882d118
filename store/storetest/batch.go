package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// batchWriters is the concurrency of the group-commit tests: the number
// of concurrent issuance clients the service is sized for.
const batchWriters = 64

// batchAll runs fn(i) for i in [0, n) through Batch, each in its own
// goroutine, all released at once, and returns each call's error.
func batchAll(s store.Store, n int, fn func(i int) func(store.Tx) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = s.Batch(context.Background(), fn(i))
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// testBatchDurable: every record whose Batch call returned nil is there
// after the store is closed and opened again.
func testBatchDurable(t *testing.T, open Opener, reopen Reopener) {
	s := open(t)
	errs := batchAll(s, batchWriters, func(i int) func(store.Tx) error {
		return func(tx store.Tx) error {
			if err := tx.CreateCredential(credential("i1", fmt.Sprintf("c%02d", i), 0, int32(1000+i))); err != nil {
				return err
			}
			return tx.PutRequest(fmt.Sprintf("client\x00IssueCredential\x00r%02d", i), request(fmt.Sprintf("c%02d", i)))
		}
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("Batch %d: %v", i, err)
		}
	}
	s = reopen(t, s)
	view(t, s, func(tx store.ReadTx) error {
		for i := range batchWriters {
			id := fmt.Sprintf("c%02d", i)
			got, err := tx.GetCredential("i1", id)
			if err != nil {
				t.Errorf("acknowledged credential %s after reopen: %v", id, err)
				continue
			}
			assertEqual(t, got, credential("i1", id, 0, int32(1000+i)))
			if _, err := tx.GetRequest(fmt.Sprintf("client\x00IssueCredential\x00r%02d", i)); err != nil {
				t.Errorf("acknowledged request record %d after reopen: %v", i, err)
			}
		}
		idx, err := tx.StatusIndexes("i1", 0)
		if err != nil || len(idx) != batchWriters {
			t.Errorf("status index after reopen: %d entries, %v; want %d", len(idx), err, batchWriters)
		}
		return nil
	})
}

// testBatchFailureIsolated: when one caller's fn fails, its writes are
// gone and only it gets the error; the callers it was grouped with commit.
func testBatchFailureIsolated(t *testing.T, open Opener) {
	const n, failing = 16, 5
	s := open(t)
	errs := batchAll(s, n, func(i int) func(store.Tx) error {
		return func(tx store.Tx) error {
			if err := tx.CreateCredential(credential("i1", fmt.Sprintf("c%02d", i), 0, int32(i))); err != nil {
				return err
			}
			if i == failing {
				return errAbort
			}
			return nil
		}
	})
	view(t, s, func(tx store.ReadTx) error {
		for i, err := range errs {
			_, getErr := tx.GetCredential("i1", fmt.Sprintf("c%02d", i))
			if i == failing {
				if !errors.Is(err, errAbort) {
					t.Errorf("failing Batch returned %v, want its own error", err)
				}
				if !errors.Is(getErr, model.ErrNotFound) {
					t.Errorf("the failed call's record: %v, want not found", getErr)
				}
				continue
			}
			if err != nil || getErr != nil {
				t.Errorf("Batch %d beside a failing one: %v; its record: %v", i, err, getErr)
			}
		}
		return nil
	})
}

// testBatchSlotRace: concurrent callers claiming one status slot under
// different ids; exactly one may win, the others get ErrAlreadyExists and
// leave no record.
func testBatchSlotRace(t *testing.T, open Opener) {
	const n = 8
	s := open(t)
	errs := batchAll(s, n, func(i int) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.CreateCredential(credential("i1", fmt.Sprintf("c%02d", i), 0, 42)) }
	})
	winners := 0
	view(t, s, func(tx store.ReadTx) error {
		for i, err := range errs {
			_, getErr := tx.GetCredential("i1", fmt.Sprintf("c%02d", i))
			switch {
			case err == nil && getErr == nil:
				winners++
			case errors.Is(err, model.ErrAlreadyExists) && errors.Is(getErr, model.ErrNotFound):
			default:
				t.Errorf("caller %d: Batch %v, record %v", i, err, getErr)
			}
		}
		if idx, err := tx.StatusIndexes("i1", 0); err != nil || len(idx) != 1 || idx[0] != 42 {
			t.Errorf("status index: %v, %v; want [42]", idx, err)
		}
		return nil
	})
	if winners != 1 {
		t.Errorf("%d callers claimed the slot, want exactly 1", winners)
	}
}
