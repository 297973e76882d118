package admin

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

var (
	day0          = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	ctx           = context.Background()
	errValidation = modeltest.ErrValidation

	root      = model.Principal{ID: "root", Kind: model.KindRoot, DisplayName: "operator"}
	authority = model.Principal{ID: "otib", Kind: model.KindSectorAuthority, DisplayName: "OTIB", SectorIDs: []string{"installatie"}}
	client    = model.Principal{ID: "roc-client", Kind: model.KindIssuerClient, DisplayName: "ROC", IssuerID: "roc"}
	anonymous = model.Anonymous
)

// newService returns a Service on a fresh bbolt file holding sector
// "installatie", issuer "roc" and the principals root, otib and
// roc-client.
func newService(t *testing.T) (*Service, *modeltest.Clock, store.Store) {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "skillpass.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	err = st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateSector(modeltest.Sector("installatie")); err != nil {
			return err
		}
		if err := tx.CreateIssuer(modeltest.Issuer("roc")); err != nil {
			return err
		}
		for _, p := range []model.Principal{root, authority, client} {
			if err := tx.CreatePrincipal(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	clk := modeltest.NewClock(day0)
	return New(Config{Store: st, Now: clk.Now}), clk, st
}

// emptyService returns a Service on a fresh, empty bbolt file.
func emptyService(t *testing.T) *Service {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "empty.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return New(Config{Store: st, Now: (modeltest.NewClock(day0)).Now})
}

func checkErr(t *testing.T, err, want error) { t.Helper(); modeltest.CheckErr(t, err, want) }
