package verifier

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

var (
	ctx    = context.Background()
	day0   = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	base   = "https://skillpass.example"
	holder = "did:example:holder-7f3a"
)

// Registry of every test world:
//
//   - sector "installatie" with profile "monteur": v1 PUBLISHED, v2 DRAFT;
//   - issuer "roc", accredited for monteur v1 from day0 - 30 days for a
//     year, with one active ES256 key;
//   - issuer "other", not accredited, with one active ES256 key.
const (
	sectorID  = "installatie"
	profileID = "monteur"
	rocID     = "roc"
	otherID   = "other"
)

type world struct {
	t      testing.TB
	st     *bolt.Store
	clk    *modeltest.Clock
	kek    *keys.KEK
	svc    *Service
	sector *model.Sector
	prof   *model.ProfileVersion // v1, published
	draft  *model.ProfileVersion // v2
	accID  string                // roc's accreditation
	next   int                   // status index of the last credential minted
	tok    string                // the token a test is about
}

func newWorld(t testing.TB) *world { return newWorldWith(t, Config{}) }

// newWorldWith builds a world whose Service has cfg's cache size.
func newWorldWith(t testing.TB, cfg Config) *world {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "skillpass.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	kek, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, st: st, clk: modeltest.NewClock(day0), kek: kek, next: 7}
	w.seed()
	cfg.Store, cfg.BaseURL, cfg.Now = st, base, w.clk.Now
	w.svc, err = New(cfg)
	if err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	return w
}

func (w *world) update(fn func(store.Tx) error) {
	w.t.Helper()
	if err := w.st.Update(ctx, fn); err != nil {
		w.t.Fatalf("update: %v", err)
	}
}

func (w *world) seed() {
	w.t.Helper()
	from := day0.AddDate(0, 0, -30)
	w.sector = modeltest.Sector(sectorID)
	w.prof = modeltest.Profile(sectorID, profileID)
	w.prof.State, w.prof.PublishTime = model.ProfilePublished, from
	digest, err := model.ProfileDigest(w.prof)
	if err != nil {
		w.t.Fatal(err)
	}
	w.prof.Digest = digest
	w.draft = modeltest.Profile(sectorID, profileID)
	w.draft.Version = 2
	w.draft.Digest = digest // a draft has none; a forged one quotes some
	acc := modeltest.Accreditation(rocID, sectorID, profileID, from)
	acc.ID = "acc-roc-monteur"
	acc.Events = []model.AccreditationEvent{{State: model.AccreditationActive, Reason: "initial", EffectiveTime: from, RecordTime: from, Actor: "otib"}}
	w.accID = acc.ID
	w.update(func(tx store.Tx) error {
		for _, err := range []error{
			tx.CreateSector(w.sector),
			tx.CreateProfileVersion(w.prof),
			tx.CreateProfileVersion(w.draft),
			tx.CreateIssuer(modeltest.Issuer(rocID)),
			tx.CreateIssuer(otherIssuer()),
			tx.CreateAccreditation(acc),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	for _, id := range []string{rocID, otherID} {
		w.rotate(id, from, 0)
	}
}

func otherIssuer() *model.Issuer {
	i := modeltest.Issuer(otherID)
	i.LegalName, i.KvKNumber = "Ander Opleidingsbedrijf B.V.", "87654321"
	return i
}

// rotate adds a new ES256 key to the issuer's set at t, active after delay.
func (w *world) rotate(issuerID string, t time.Time, delay time.Duration) keys.Key {
	w.t.Helper()
	return w.rotateAlg(issuerID, keys.ES256, t, delay)
}

func (w *world) rotateAlg(issuerID string, alg keys.Algorithm, t time.Time, delay time.Duration) keys.Key {
	w.t.Helper()
	k, err := keys.NewKey(alg, w.kek, issuerID, t)
	if err != nil {
		w.t.Fatal(err)
	}
	set := w.keySet(issuerID)
	p := keys.DefaultPolicy()
	p.PublishDelay = delay
	set, err = keys.Rotate(set, k, t, p)
	if err != nil {
		w.t.Fatalf("rotate: %v", err)
	}
	w.update(func(tx store.Tx) error { return tx.PutIssuerKeys(issuerID, set) })
	found, _ := keys.Find(set, k.Kid)
	return found
}

func (w *world) keySet(issuerID string) keys.Set {
	w.t.Helper()
	var set keys.Set
	err := w.st.View(ctx, func(tx store.ReadTx) (err error) {
		set, err = tx.IssuerKeys(issuerID)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return set
}

// signingKey returns the issuer's key active at t.
func (w *world) signingKey(issuerID string, t time.Time) keys.Key {
	w.t.Helper()
	k, err := keys.SigningKey(w.keySet(issuerID), t)
	if err != nil {
		w.t.Fatal(err)
	}
	return k
}

// mintInput is what a test may change before a credential is built and
// signed: the build input and the signing key.
type mintInput struct {
	credential.BuildInput
	key keys.Key
	// signFor is the issuer whose sealed key signs (key's owner).
	signFor string
}

// mint issues a credential from roc at the clock's time, awarding
// "warmtepomp-installeren" at level 2, after edit changes the input.
func (w *world) mint(edit ...func(*mintInput)) string {
	w.t.Helper()
	now := w.clk.Now()
	w.next++
	in := mintInput{
		BuildInput: credential.BuildInput{
			BaseURL: base, Issuer: modeltest.Issuer(rocID), Sector: w.sector, Profile: w.prof,
			CredentialID: newUUID(w.t), HolderID: holder,
			Skills:      []credential.Skill{{CompetencyID: "warmtepomp-installeren", LevelID: "2", Method: "EXAM"}},
			StatusIndex: w.next, ValidFrom: now, ValidUntil: now.AddDate(1, 0, 0), IssuedAt: now,
		},
		key:     w.signingKey(rocID, now),
		signFor: rocID,
	}
	for _, e := range edit {
		e(&in)
	}
	c, err := credential.New(in.BuildInput)
	if err != nil {
		w.t.Fatalf("credential.New: %v", err)
	}
	signer, err := in.key.Signer(w.kek, in.signFor)
	if err != nil {
		w.t.Fatal(err)
	}
	tok, err := credential.Sign(c, signer, in.key.Alg, in.key.Kid)
	if err != nil {
		w.t.Fatalf("credential.Sign: %v", err)
	}
	return tok
}

// setStatus sets the bit of a credential minted with index in list 0.
func (w *world) setStatus(purpose statuslist.Purpose, index int, set bool) {
	w.t.Helper()
	w.update(func(tx store.Tx) error {
		l, err := tx.GetStatusList(rocID, string(purpose), 0)
		if err != nil {
			l = &model.StatusList{IssuerID: rocID, Purpose: string(purpose), Bits: make([]byte, statuslist.DefaultBits/8)}
		}
		bits, err := statuslist.FromBytes(l.Bits)
		if err != nil {
			return err
		}
		if err := bits.Set(index, set); err != nil {
			return err
		}
		l.Bits, l.UpdateTime = bits.Bytes(), w.clk.Now()
		return tx.PutStatusList(l)
	})
}

// changeAccreditation appends an event effective at t.
func (w *world) changeAccreditation(state model.AccreditationState, t time.Time) {
	w.t.Helper()
	w.update(func(tx store.Tx) error {
		_, err := tx.AppendAccreditationEvent(rocID, w.accID, model.AccreditationEvent{
			State: state, Reason: "audit", EffectiveTime: t, RecordTime: w.clk.Now(), Actor: "otib"})
		return err
	})
}

func (w *world) verify(tok string) *Verdict {
	w.t.Helper()
	v, err := w.svc.Verify(ctx, tok)
	if err != nil {
		w.t.Fatalf("Verify: %v", err)
	}
	return v
}

func newUUID(t testing.TB) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// item returns the verdict's check called name.
func item(t testing.TB, v *Verdict, name CheckName) Check {
	t.Helper()
	for _, c := range v.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("verdict has no %s item", name)
	return Check{}
}

// checkWellFormed asserts the invariants of every verdict: the items in
// order, each with both sentences and none naming the holder; VALID
// exactly when nothing failed; a skipped item never before its blocker.
func checkWellFormed(t testing.TB, v *Verdict) {
	t.Helper()
	if len(v.Checks) != len(checkOrder) {
		t.Fatalf("verdict has %d items, want %d", len(v.Checks), len(checkOrder))
	}
	failed := false
	for i, c := range v.Checks {
		if c.Name != checkOrder[i] {
			t.Errorf("item %d is %s, want %s", i, c.Name, checkOrder[i])
		}
		if c.Reason == "" || c.Message.NL == "" || c.Message.EN == "" {
			t.Errorf("%s: reason %q, message %+v: want a reason and both sentences", c.Name, c.Reason, c.Message)
		}
		for _, s := range []string{c.Message.NL, c.Message.EN} {
			if strings.Contains(s, holder) || strings.ContainsAny(s, "{}") {
				t.Errorf("%s: sentence %q names the holder or has an unfilled placeholder", c.Name, s)
			}
		}
		if c.Outcome == Info && c.Name != CheckCurrentStanding {
			t.Errorf("%s is INFO; only the current standing may be", c.Name)
		}
		failed = failed || c.Outcome == Fail
	}
	if want := map[bool]string{true: Invalid, false: Valid}[failed]; v.Verdict != want {
		t.Errorf("verdict %s, want %s", v.Verdict, want)
	}
}

func credentialHash(tok string) [32]byte { return sha256.Sum256([]byte(tok)) }

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }
