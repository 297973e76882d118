package requests_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

func TestSweep(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		old, new  int // records before and after the cutoff
		wantSwept int
	}{
		{name: "ok/nothing to sweep", old: 0, new: 3, wantSwept: 0},
		{name: "ok/some old", old: 5, new: 3, wantSwept: 5},
		{name: "ok/more than one batch", old: 2500, new: 1, wantSwept: 2500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := bolt.Open(filepath.Join(t.TempDir(), "skillpass.db"), bolt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			put := func(prefix string, n int, at time.Time) {
				err := st.Update(context.Background(), func(tx store.Tx) error {
					for i := range n {
						key := requests.Key("alice", "IssueCredential", fmt.Sprintf("%s-%d", prefix, i))
						if err := requests.Record(tx, key, "r", [32]byte{1}, "x", at.Add(time.Duration(i)*time.Millisecond)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			put("old", tt.old, t0)
			put("new", tt.new, t0.Add(48*time.Hour))
			n, err := requests.Sweep(context.Background(), st, t0.Add(24*time.Hour))
			if err != nil || n != tt.wantSwept {
				t.Fatalf("Sweep = %d, %v; want %d", n, err, tt.wantSwept)
			}
			// The newer records are still there; the old ones are gone.
			err = st.View(context.Background(), func(tx store.ReadTx) error {
				if _, err := tx.GetRequest(requests.Key("alice", "IssueCredential", "old-0")); tt.old > 0 && !errors.Is(err, model.ErrNotFound) {
					return fmt.Errorf("old record: %v, want not found", err)
				}
				if _, err := tx.GetRequest(requests.Key("alice", "IssueCredential", "new-0")); err != nil {
					return fmt.Errorf("new record: %w", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
