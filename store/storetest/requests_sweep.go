package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

func testRequestSweep(t *testing.T, open Opener) {
	// Records created on days 1..5, put out of order; one of them is
	// overwritten later with a newer time and must leave its old place.
	put := func(s store.Store, key string, sec int) {
		t.Helper()
		r := request("x/" + key)
		r.CreateTime = at(sec)
		update(t, s, func(tx store.Tx) error { return tx.PutRequest(key, r) })
	}
	seed := func(t *testing.T) store.Store {
		s := open(t)
		for key, sec := range map[string]int{"a\x00op\x00r3": 3, "a\x00op\x00r1": 1, "b\x00op\x00r5": 5, "b\x00op\x00r2": 2, "a\x00op\x00r4": 4} {
			put(s, key, sec)
		}
		put(s, "a\x00op\x00r1", 6) // overwritten: now the newest
		return s
	}
	kept := func(t *testing.T, s store.Store) []string {
		var out []string
		view(t, s, func(tx store.ReadTx) error {
			for _, k := range []string{"a\x00op\x00r1", "b\x00op\x00r2", "a\x00op\x00r3", "a\x00op\x00r4", "b\x00op\x00r5"} {
				_, err := tx.GetRequest(k)
				switch {
				case err == nil:
					out = append(out, k[len(k)-2:])
				case !errors.Is(err, model.ErrNotFound):
					return err
				}
			}
			return nil
		})
		return out
	}
	cases := []struct {
		name     string
		cutoff   time.Time
		limit    int
		wantN    int
		wantKept []string
		wantErr  error
	}{
		{name: "ok/nothing older", cutoff: at(1), limit: 10, wantN: 0, wantKept: []string{"r1", "r2", "r3", "r4", "r5"}},
		{name: "ok/strictly before the cutoff", cutoff: at(4), limit: 10, wantN: 2, wantKept: []string{"r1", "r4", "r5"}},
		{name: "ok/oldest first within the limit", cutoff: at(10), limit: 2, wantN: 2, wantKept: []string{"r1", "r4", "r5"}},
		{name: "ok/overwritten record sorts by its new time", cutoff: at(6), limit: 10, wantN: 4, wantKept: []string{"r1"}},
		{name: "ok/all", cutoff: at(10), limit: 10, wantN: 5, wantKept: nil},
		{name: "error/limit below one", cutoff: at(10), limit: 0, wantErr: errInvalid, wantKept: []string{"r1", "r2", "r3", "r4", "r5"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := seed(t)
			var n int
			err := s.Update(context.Background(), func(tx store.Tx) (err error) {
				n, err = tx.DeleteRequestsBefore(tc.cutoff, tc.limit)
				return err
			})
			if !checkErr(t, "DeleteRequestsBefore", err, tc.wantErr) {
				return
			}
			if err == nil && n != tc.wantN {
				t.Errorf("deleted %d, want %d", n, tc.wantN)
			}
			if got := kept(t, s); !slices.Equal(got, tc.wantKept) {
				t.Errorf("kept %v, want %v", got, tc.wantKept)
			}
		})
	}
}
