// Package storetest is the conformance suite for store.Store backends. A
// backend's test calls Run with a function that opens a new, empty store;
// every subtest gets its own store, so subtests are independent and a
// failure names exactly the behaviour that broke.
//
// The suite checks the contract written in package store: sentinel errors,
// pagination, indexes kept in the transaction of their record, atomic and
// durable transactions, snapshots. It deliberately does not check how a
// backend lays out its data.
package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// Opener returns a new, empty store. Run closes it when the subtest ends,
// so Close must tolerate being called again by the opener's own cleanup.
type Opener func(t *testing.T) store.Store

// Reopener closes s and opens the same database again, as a restarted
// process would, and returns the new handle. Run closes that one too.
type Reopener func(t *testing.T, s store.Store) store.Store

// Run runs the whole suite against the backend that open creates; reopen
// is used by the cases that check what survives a restart.
func Run(t *testing.T, open func(t *testing.T) store.Store, reopen func(t *testing.T, s store.Store) store.Store) {
	closeAtEnd := func(t *testing.T, s store.Store) store.Store {
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	}
	opener := Opener(func(t *testing.T) store.Store {
		t.Helper()
		return closeAtEnd(t, open(t))
	})
	reopener := Reopener(func(t *testing.T, s store.Store) store.Store {
		t.Helper()
		return closeAtEnd(t, reopen(t, s))
	})
	groups := []struct {
		name string
		run  func(*testing.T, Opener)
	}{
		{"sectors", testSectors},
		{"profiles", testProfiles},
		{"profile versions", testProfileVersions},
		{"issuers", testIssuers},
		{"accreditations", testAccreditations},
		{"accreditation history", testAccreditationHistory},
		{"accreditations for profile", testAccreditationsFor},
		{"principals", testPrincipals},
		{"tokens", testTokens},
		{"token by secret hash", testTokenBySecretHash},
		{"requests", testRequests},
		{"secrets", testSecrets},
		{"request sweep", testRequestSweep},
		{"pagination", testPagination},
		{"ids cannot alias", testIDAliasing},
		{"failed update leaves nothing", testRollback},
		{"concurrent updates", testConcurrentUpdates},
		{"cancelled context", testCancelled},
		{"backup and restore", testBackupRestore},
		{"restore invalid snapshot", testRestoreInvalid},
		{"backup while writing", testBackupWhileWriting},
		{"restore while reading", testRestoreWhileReading},
		{"issuer keys", testIssuerKeys},
		{"credentials", testCredentials},
		{"status indexes", testStatusIndexes},
		{"status lists", testStatusLists},
		{"versions", testVersions},
		{"restore bumps every version", testRestoreVersions},
		{"batch durable under concurrency", func(t *testing.T, o Opener) { testBatchDurable(t, o, reopener) }},
		{"batch failure is isolated", testBatchFailureIsolated},
		{"batch slot race", testBatchSlotRace},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, opener) })
	}
}

// update runs fn in a transaction and fails the test if it fails.
func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a read transaction and fails the test if it fails.
func view(t *testing.T, s store.Store, fn func(store.ReadTx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// errInvalid as a wanted error means "a *model.ValidationError": bad
// input is refused naming the field, whatever the backend's wording.
var errInvalid = errors.New("a validation error")

// checkErr reports whether err matches want (nil: no error expected) and
// fails the test if not.
func checkErr(t *testing.T, what string, err, want error) bool {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Errorf("%s: unexpected error %v", what, err)
		return false
	case want == errInvalid:
		if !model.IsValidation(err) {
			t.Errorf("%s: error %v, want a validation error", what, err)
			return false
		}
	case want != nil && !errors.Is(err, want):
		t.Errorf("%s: error %v, want %v", what, err, want)
		return false
	}
	return true
}

// crudCase is one named case of an entity's create/get/update table: on a
// store seeded by the table's seed function, write runs in one Update and
// read in a View afterwards.
type crudCase struct {
	name     string
	write    func(store.Tx) error // nil: nothing to write
	writeErr error                // the error write must return (errors.Is), or nil
	read     func(store.ReadTx) (any, error)
	want     any   // what read must return when readErr is nil
	readErr  error // the error read must return (errors.Is), or nil
}

func runCRUD(t *testing.T, open Opener, seed func(store.Tx) error, cases []crudCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			if seed != nil {
				update(t, s, seed)
			}
			if tc.write != nil {
				err := s.Update(context.Background(), tc.write)
				if !checkErr(t, "write", err, tc.writeErr) {
					return
				}
			}
			var (
				got any
				err error
			)
			view(t, s, func(tx store.ReadTx) error {
				got, err = tc.read(tx)
				return nil
			})
			if checkErr(t, "read", err, tc.readErr) && tc.readErr == nil {
				assertEqual(t, got, tc.want)
			}
		})
	}
}
