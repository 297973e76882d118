package registry

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

// day0 is the fixed start of every test clock.
var hour = time.Hour

var day0 = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// Principals of the tests: the operator, the authority of "installatie",
// the authority of "zorg", the client of issuer "roc" and nobody.
var (
	root          = model.Principal{ID: "root", Kind: model.KindRoot, DisplayName: "operator"}
	installAuth   = model.Principal{ID: "otib", Kind: model.KindSectorAuthority, DisplayName: "OTIB", SectorIDs: []string{"installatie"}}
	zorgAuth      = model.Principal{ID: "zorg-fonds", Kind: model.KindSectorAuthority, DisplayName: "Zorgfonds", SectorIDs: []string{"zorg"}}
	rocClient     = model.Principal{ID: "roc-client", Kind: model.KindIssuerClient, DisplayName: "ROC", IssuerID: "roc"}
	anonymous     = model.Anonymous
	ctx           = context.Background()
	errValidation = modeltest.ErrValidation
)

// newService returns a Service on a fresh bbolt file and its clock.
func newService(t *testing.T) (*Service, *modeltest.Clock) {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "skillpass.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := modeltest.NewClock(day0)
	return New(Config{Store: st, Now: clk.Now}), clk
}

// seed creates sectors "installatie" and "zorg", issuer "roc" and
// profile installatie/monteur with version 1 published and version 2 a
// draft.
func seed(t *testing.T, s *Service) {
	t.Helper()
	steps := []func() error{
		func() error { _, err := s.CreateSector(ctx, root, "", modeltest.Sector("installatie")); return err },
		func() error { _, err := s.CreateSector(ctx, root, "", modeltest.Sector("zorg")); return err },
		func() error { _, err := s.CreateIssuer(ctx, root, "", modeltest.Issuer("roc")); return err },
		func() error {
			_, err := s.CreateProfileVersion(ctx, root, "", modeltest.Profile("installatie", "monteur"))
			return err
		},
		func() error {
			_, err := s.PublishProfileVersion(ctx, root, "", "installatie", "monteur", 1)
			return err
		},
		func() error {
			_, err := s.CreateProfileVersion(ctx, root, "", modeltest.Profile("installatie", "monteur"))
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("seed step %d: %v", i, err)
		}
	}
}

func checkErr(t *testing.T, err, want error) { t.Helper(); modeltest.CheckErr(t, err, want) }

func checkViolation(t *testing.T, err error, field string) {
	t.Helper()
	modeltest.CheckViolation(t, err, field)
}
