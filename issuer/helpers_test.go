package issuer

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/registry"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

var (
	ctx    = context.Background()
	day0   = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	base   = "https://skillpass.example"
	holder = "did:example:holder-7f3a"
)

// Principals of the tests: the operator, the authority of "installatie",
// the authority of "zorg", the clients of issuers "roc", "other" and
// "nokeys", and nobody.
var (
	root         = model.Principal{ID: "root", Kind: model.KindRoot, DisplayName: "operator"}
	installAuth  = model.Principal{ID: "otib", Kind: model.KindSectorAuthority, DisplayName: "OTIB", SectorIDs: []string{"installatie"}}
	zorgAuth     = model.Principal{ID: "zorgfonds", Kind: model.KindSectorAuthority, DisplayName: "Zorgfonds", SectorIDs: []string{"zorg"}}
	rocClient    = model.Principal{ID: "roc-client", Kind: model.KindIssuerClient, DisplayName: "ROC", IssuerID: "roc"}
	otherClient  = model.Principal{ID: "other-client", Kind: model.KindIssuerClient, DisplayName: "Other", IssuerID: "other"}
	nokeysClient = model.Principal{ID: "nokeys-client", Kind: model.KindIssuerClient, DisplayName: "No keys", IssuerID: "nokeys"}
	ghostClient  = model.Principal{ID: "ghost-client", Kind: model.KindIssuerClient, DisplayName: "Ghost", IssuerID: "ghost"}
	anonymous    = model.Anonymous
)

// world is a Service on a fresh bbolt file with a seeded registry:
//
//   - sectors "installatie" and "zorg";
//   - profile installatie/monteur: v1 and v2 PUBLISHED, v3 DRAFT;
//     installatie/oud v1 RETIRED; installatie/elders v1 PUBLISHED;
//   - issuer "roc" accredited for monteur v1 only (until day0 + 6 months)
//     and for oud, with one ES256 key;
//   - issuer "other" accredited for monteur but SUSPENDED, with a key;
//   - issuer "nokeys" accredited for monteur, without keys.
type world struct {
	t     testing.TB
	path  string
	kek   *keys.KEK
	clk   *modeltest.Clock
	st    *bolt.Store
	reg   *registry.Service
	svc   *Service
	accID string // roc's accreditation for monteur
}

func newWorld(t testing.TB) *world {
	t.Helper()
	kek, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, path: filepath.Join(t.TempDir(), "skillpass.db"), kek: kek, clk: modeltest.NewClock(day0)}
	w.open()
	w.seed()
	return w
}

// open (re)opens the store and builds fresh services on it, as a restart
// of the daemon would.
func (w *world) open() {
	w.t.Helper()
	st, err := bolt.Open(w.path, bolt.Options{})
	if err != nil {
		w.t.Fatalf("open store: %v", err)
	}
	w.t.Cleanup(func() { _ = st.Close() })
	w.st = st
	w.reg = registry.New(registry.Config{Store: st, Now: w.clk.Now})
	w.svc, err = New(Config{Store: st, KEK: w.kek, BaseURL: base, Now: w.clk.Now})
	if err != nil {
		w.t.Fatalf("issuer.New: %v", err)
	}
}

// reopen closes the store and opens it again with fresh services.
func (w *world) reopen() {
	w.t.Helper()
	if err := w.st.Close(); err != nil {
		w.t.Fatalf("close: %v", err)
	}
	w.open()
}

func (w *world) seed() {
	t := w.t
	t.Helper()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %s: %v", what, err)
		}
	}
	for _, id := range []string{"installatie", "zorg"} {
		_, err := w.reg.CreateSector(ctx, root, "", modeltest.Sector(id))
		must("sector "+id, err)
	}
	for _, id := range []string{"roc", "other", "nokeys"} {
		_, err := w.reg.CreateIssuer(ctx, root, "", modeltest.Issuer(id))
		must("issuer "+id, err)
	}
	for _, p := range []struct {
		profile  string
		versions int32
		publish  int32 // versions 1..publish are published
		retire   bool
	}{{"monteur", 3, 2, false}, {"oud", 1, 1, true}, {"elders", 1, 1, false}} {
		for v := int32(1); v <= p.versions; v++ {
			_, err := w.reg.CreateProfileVersion(ctx, root, "", modeltest.Profile("installatie", p.profile))
			must("profile "+p.profile, err)
			if v <= p.publish {
				_, err = w.reg.PublishProfileVersion(ctx, root, "", "installatie", p.profile, v)
				must("publish "+p.profile, err)
			}
		}
		if p.retire {
			_, err := w.reg.RetireProfileVersion(ctx, root, "", "installatie", p.profile, 1)
			must("retire "+p.profile, err)
		}
	}
	acc := modeltest.Accreditation("roc", "installatie", "monteur", day0)
	acc.MaxVersion = 1
	acc.ValidUntil = day0.AddDate(0, 6, 0)
	a, err := w.reg.CreateAccreditation(ctx, root, "", acc)
	must("accreditation roc", err)
	w.accID = a.ID
	_, err = w.reg.CreateAccreditation(ctx, root, "", modeltest.Accreditation("roc", "installatie", "oud", day0))
	must("accreditation roc/oud", err)
	_, err = w.reg.CreateAccreditation(ctx, root, "", modeltest.Accreditation("nokeys", "installatie", "monteur", day0))
	must("accreditation nokeys", err)
	a, err = w.reg.CreateAccreditation(ctx, root, "", modeltest.Accreditation("other", "installatie", "monteur", day0))
	must("accreditation other", err)
	_, err = w.reg.ChangeAccreditation(ctx, root, "", "other", a.ID, model.AccreditationSuspended, "audit pending", time.Time{})
	must("suspend other", err)
	for _, id := range []string{"roc", "other"} {
		_, err := w.svc.RotateKey(ctx, root, "", id, "", nil)
		must("key "+id, err)
	}
}

// request returns a valid request for roc: monteur v1, both competencies.
func request() IssueRequest {
	return IssueRequest{
		IssuerID: "roc", SectorID: "installatie", ProfileID: "monteur", Version: 1,
		HolderID: holder,
		Skills: []Skill{
			{CompetencyID: "warmtepomp-installeren", LevelID: "2", Method: "PRACTICAL_ASSESSMENT",
				Evidence: []EvidenceRef{{URL: "https://portfolio.example/jan/1", Name: "Praktijkexamen"}}},
			{CompetencyID: "koudemiddelen", LevelID: "basis", Method: "EXAM"},
		},
	}
}

// issue issues request() changed by edit as roc's client and fails the
// test on error.
func (w *world) issue(edit func(*IssueRequest)) *Issued {
	w.t.Helper()
	req := request()
	if edit != nil {
		edit(&req)
	}
	out, err := w.svc.Issue(ctx, rocClient, req)
	if err != nil {
		w.t.Fatalf("Issue: %v", err)
	}
	return out
}

// errValidation stands for "any *model.ValidationError" in tables.
var errValidation = modeltest.ErrValidation

func checkErr(t *testing.T, err, want error) { t.Helper(); modeltest.CheckErr(t, err, want) }

func checkField(t *testing.T, err error, field string) {
	t.Helper()
	modeltest.CheckViolation(t, err, field)
}
