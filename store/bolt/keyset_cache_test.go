package bolt

import (
	"context"
	"reflect"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/store"
)

// TestIssuerKeysCache: reads served from the decoded-set cache are what
// the stored record says, in every transaction, right after a change in
// the same or another transaction, and a caller editing the set it got
// does not change what the next reader gets.
func TestIssuerKeysCache(t *testing.T) {
	full := testKeySet(t, "i1")
	one := full[:1:1]
	cases := []struct {
		name  string
		write keys.Set // stored before the reads
		want  keys.Set
	}{
		{name: "ok/first set", write: full, want: full},
		{name: "ok/changed set is read afresh", write: one, want: one},
		{name: "ok/removed set reads empty", write: keys.Set{}, want: keys.Set{}},
		{name: "ok/set again after removal", write: full, want: full},
	}
	s := openTemp(t)
	ctx := context.Background()
	read := func(t *testing.T) keys.Set {
		t.Helper()
		var got keys.Set
		if err := s.View(ctx, func(tx store.ReadTx) (err error) { got, err = tx.IssuerKeys("i1"); return err }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The write transaction reads the set before and after
			// changing it: the cache must follow within one transaction.
			err := s.Update(ctx, func(tx store.Tx) error {
				if _, err := tx.IssuerKeys("i1"); err != nil {
					return err
				}
				if err := tx.PutIssuerKeys("i1", tc.write); err != nil {
					return err
				}
				got, err := tx.IssuerKeys("i1")
				if err == nil && !reflect.DeepEqual(got, tc.want) {
					t.Errorf("inside the writing transaction: %d keys, want %d", len(got), len(tc.want))
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // a miss, then a hit
				got := read(t)
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("read %d keys %v, want %d", len(got), got, len(tc.want))
				}
				if len(got) > 0 {
					got[0].State = keys.StateRetired // the caller's copy only
				}
			}
		})
	}
}
