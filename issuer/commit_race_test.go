package issuer

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// changeBeforeCommit is a store whose next Batch first lets a change
// commit: the change lands after the issuance read its (cached) snapshot
// and signed, and before its record commits, which is the window only the
// in-transaction re-check can close.
type changeBeforeCommit struct {
	store.Store
	change func()
}

func (c *changeBeforeCommit) Batch(ctx context.Context, fn func(store.Tx) error) error {
	if change := c.change; change != nil {
		c.change = nil
		change()
	}
	return c.Store.Batch(ctx, fn)
}

// TestIssueRefusedByChangeBeforeCommit: a key compromise or an
// accreditation withdrawal that commits between snapshot and commit
// refuses the issuance, although every cache (snapshot, signer, the
// store's decoded key sets) was warmed by an earlier issuance, and
// nothing of the refused issuance is stored.
func TestIssueRefusedByChangeBeforeCommit(t *testing.T) {
	cases := []struct {
		name   string
		change func(w *world, first *Issued) error
		check  func(t *testing.T, err error)
	}{
		{
			name: "error/key compromised before commit",
			change: func(w *world, first *Issued) error {
				return w.st.Update(ctx, func(tx store.Tx) error {
					set, err := tx.IssuerKeys("roc")
					if err != nil {
						return err
					}
					if set, err = keys.Compromise(set, first.Record.Kid, w.clk.Now(), "laptop stolen"); err != nil {
						return err
					}
					return tx.PutIssuerKeys("roc", set)
				})
			},
			check: func(t *testing.T, err error) { checkErr(t, err, keys.ErrKeyCompromised) },
		},
		{
			name: "error/accreditation withdrawn before commit",
			change: func(w *world, _ *Issued) error {
				_, err := w.reg.ChangeAccreditation(ctx, root, "", "roc", w.accID, model.AccreditationWithdrawn, "fraud", time.Time{})
				return err
			},
			check: func(t *testing.T, err error) {
				var ar *AccreditationRefusal
				if !errors.As(err, &ar) || ar.Check != model.CheckWithdrawn {
					t.Fatalf("error = %v, want a WITHDRAWN refusal", err)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			racing := &changeBeforeCommit{Store: w.st}
			svc, err := New(Config{Store: racing, KEK: w.kek, BaseURL: base, Now: w.clk.Now})
			if err != nil {
				t.Fatal(err)
			}
			first, err := svc.Issue(ctx, rocClient, request())
			if err != nil {
				t.Fatalf("warming issuance: %v", err)
			}
			racing.change = func() {
				if err := tc.change(w, first); err != nil {
					t.Errorf("change: %v", err)
				}
			}
			_, err = svc.Issue(ctx, rocClient, request())
			tc.check(t, err)
			if racing.change != nil {
				t.Fatal("the change never ran: the issuance did not reach its commit")
			}
			err = w.st.View(ctx, func(tx store.ReadTx) error {
				recs, _, err := tx.ListCredentials("roc", "", 10)
				if err == nil && len(recs) != 1 {
					t.Errorf("%d credential records, want only the warming one", len(recs))
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
