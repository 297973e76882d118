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

// testIDAliasing: composite keys must not let one record be reached through
// another's ids, e.g. issuer "i1\x00a" + accreditation "b" versus issuer
// "i1" + accreditation "a\x00b". A backend may refuse such ids (bolt does)
// or keep them apart; it must never return the other record.
func testIDAliasing(t *testing.T, open Opener) {
	cases := []struct {
		name   string
		create func(store.Tx) error
		lookup func(store.ReadTx) error
	}{
		{
			name:   "accreditation",
			create: func(tx store.Tx) error { return tx.CreateAccreditation(accreditation("i1", "a\x00b", "s1", "p")) },
			lookup: func(tx store.ReadTx) error { _, err := tx.GetAccreditation("i1\x00a", "b"); return err },
		},
		{
			name:   "token",
			create: func(tx store.Tx) error { return tx.CreateToken(token("alice\x00t", "1")) },
			lookup: func(tx store.ReadTx) error { _, err := tx.GetToken("alice", "t\x001"); return err },
		},
		{
			name:   "profile version",
			create: func(tx store.Tx) error { return tx.CreateProfileVersion(profile("s1\x00p", "q", 1)) },
			lookup: func(tx store.ReadTx) error { _, err := tx.GetProfileVersion("s1", "p\x00q", 1); return err },
		},
	}
	for _, tc := range cases {
		t.Run("ok/"+tc.name, func(t *testing.T) {
			s := open(t)
			if err := s.Update(context.Background(), tc.create); err != nil {
				return // refused: nothing can alias
			}
			err := s.View(context.Background(), tc.lookup)
			if err == nil {
				t.Fatalf("a record created under one set of ids was found under another")
			}
		})
	}
}

var errAbort = errors.New("abort on purpose")

// testRollback writes one of everything, indexes included, then fails the
// transaction: nothing may remain, and the same ids and secret hash must be
// usable afterwards (no stale index entry).
func testRollback(t *testing.T, open Opener) {
	set := keySet(t, "i1")
	writeAll := func(tx store.Tx) error {
		for _, write := range []func() error{
			func() error { return tx.CreateSector(sector("s1")) },
			func() error { return tx.CreateProfileVersion(profile("s1", "p", 1)) },
			func() error { return tx.CreateIssuer(issuer("i1")) },
			func() error { return tx.CreateAccreditation(accreditation("i1", "a1", "s1", "p")) },
			func() error { return tx.CreatePrincipal(principal("alice")) },
			func() error { return tx.CreateToken(token("alice", "t1")) },
			func() error { return tx.PutRequest("alice\x00op\x00r1", request("r1")) },
			func() error { return tx.PutIssuerKeys("i1", set) },
			func() error { return tx.CreateCredential(credential("i1", "c1", 0, 7)) },
			func() error { return tx.PutStatusList(statusList("i1", model.PurposeRevocation, 0)) },
		} {
			if err := write(); err != nil {
				return err
			}
		}
		return nil
	}
	cases := []struct {
		name string
		fn   func(store.Tx) error
	}{
		{"ok/error returned after writing", func(tx store.Tx) error {
			if err := writeAll(tx); err != nil {
				return err
			}
			return errAbort
		}},
		{"ok/wrapped error", func(tx store.Tx) error {
			if err := writeAll(tx); err != nil {
				return err
			}
			return fmt.Errorf("domain rule: %w", errAbort)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if err := s.Update(context.Background(), tc.fn); !errors.Is(err, errAbort) {
				t.Fatalf("Update returned %v, want the fn's error", err)
			}
			view(t, s, func(tx store.ReadTx) error {
				lookups := map[string]func() error{
					"sector":          func() error { _, err := tx.GetSector("s1"); return err },
					"profile version": func() error { _, err := tx.GetProfileVersion("s1", "p", 1); return err },
					"issuer":          func() error { _, err := tx.GetIssuer("i1"); return err },
					"accreditation":   func() error { _, err := tx.GetAccreditation("i1", "a1"); return err },
					"principal":       func() error { _, err := tx.GetPrincipal("alice"); return err },
					"token":           func() error { _, err := tx.GetToken("alice", "t1"); return err },
					"token hash":      func() error { _, err := tx.TokenBySecretHash(token("alice", "t1").SecretHash); return err },
					"request":         func() error { _, err := tx.GetRequest("alice\x00op\x00r1"); return err },
					"credential":      func() error { _, err := tx.GetCredential("i1", "c1"); return err },
					"status list":     func() error { _, err := tx.GetStatusList("i1", model.PurposeRevocation, 0); return err },
				}
				for what, lookup := range lookups {
					if err := lookup(); !errors.Is(err, model.ErrNotFound) {
						t.Errorf("%s after rollback: %v, want not found", what, err)
					}
				}
				if accs, err := tx.AccreditationsFor("i1", "s1", "p"); err != nil || len(accs) != 0 {
					t.Errorf("accreditation index after rollback: %d entries, %v", len(accs), err)
				}
				if v, err := tx.LatestProfileVersion("s1", "p"); err != nil || v != 0 {
					t.Errorf("latest profile version after rollback: %d, %v", v, err)
				}
				if ks, err := tx.IssuerKeys("i1"); err != nil || len(ks) != 0 {
					t.Errorf("key set after rollback: %d keys, %v", len(ks), err)
				}
				if idx, err := tx.StatusIndexes("i1", 0); err != nil || len(idx) != 0 {
					t.Errorf("status index after rollback: %v, %v", idx, err)
				}
				if n, err := tx.StatusListCount("i1"); err != nil || n != 0 {
					t.Errorf("status list count after rollback: %d, %v", n, err)
				}
				return nil
			})
			// A stale index entry would make these fail with AlreadyExists.
			update(t, s, writeAll)
		})
	}
}

func testConcurrentUpdates(t *testing.T, open Opener) {
	const writers, perWriter = 8, 25
	s := open(t)
	update(t, s, func(tx store.Tx) error { return tx.CreateAccreditation(accreditation("i1", "shared", "s1", "p")) })
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				errs <- s.Update(context.Background(), func(tx store.Tx) error {
					if err := tx.CreateSector(sector(fmt.Sprintf("w%d-%02d", w, i))); err != nil {
						return err
					}
					// A read-modify-write of one shared record: a lost
					// update would show as a short history.
					_, err := tx.AppendAccreditationEvent("i1", "shared", event(model.AccreditationActive, i))
					return err
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	view(t, s, func(tx store.ReadTx) error {
		var n int
		for cursor := ""; ; {
			page, next, err := tx.ListSectors(cursor, 50)
			if err != nil {
				t.Fatalf("ListSectors: %v", err)
			}
			n += len(page)
			if cursor = next; next == "" {
				break
			}
		}
		a, err := tx.GetAccreditation("i1", "shared")
		if err != nil {
			t.Fatalf("GetAccreditation: %v", err)
		}
		if want := writers * perWriter; n != want || len(a.Events) != want+1 {
			t.Errorf("%d updates acknowledged, but %d sectors and %d appended events are stored", want, n, len(a.Events)-1)
		}
		return nil
	})
}

func testCancelled(t *testing.T, open Opener) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		call func(s store.Store, ran *bool) error
	}{
		{"error/view", func(s store.Store, ran *bool) error {
			return s.View(ctx, func(store.ReadTx) error { *ran = true; return nil })
		}},
		{"error/update", func(s store.Store, ran *bool) error {
			return s.Update(ctx, func(tx store.Tx) error { *ran = true; return tx.CreateSector(sector("late")) })
		}},
		{"error/batch", func(s store.Store, ran *bool) error {
			return s.Batch(ctx, func(tx store.Tx) error { *ran = true; return tx.CreateSector(sector("late")) })
		}},
		{"error/backup", func(s store.Store, ran *bool) error {
			_, err := s.Backup(ctx, writerFunc(func(p []byte) (int, error) { *ran = true; return len(p), nil }))
			return err
		}},
		{"error/restore", func(s store.Store, ran *bool) error {
			_, err := s.Restore(ctx, readerFunc(func(p []byte) (int, error) { *ran = true; return 0, errors.New("read") }))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			var ran bool
			if err := tc.call(s, &ran); !errors.Is(err, context.Canceled) {
				t.Errorf("got %v, want context.Canceled", err)
			}
			if ran {
				t.Errorf("the work ran despite the cancelled context")
			}
			view(t, s, func(tx store.ReadTx) error {
				if _, err := tx.GetSector("late"); !errors.Is(err, model.ErrNotFound) {
					t.Errorf("cancelled Update wrote anyway: %v", err)
				}
				return nil
			})
		})
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
