package verifier

import (
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/store"
)

// claimedName is the issuer name the tokens of TestVerifyContentTrust
// claim, unlike roc's registered legal name, so the test can tell which of
// the two the content shows.
const claimedName = "Nep Academie B.V."

// mintClaiming mints a roc token whose issuer.name is claimedName.
func (w *world) mintClaiming() string {
	w.t.Helper()
	return w.mint(func(in *mintInput) {
		iss := modeltest.Issuer(rocID)
		iss.LegalName = claimedName
		in.Issuer = iss
	})
}

// tamper changes a token's payload and keeps its old signature, which no
// longer verifies: what a forger without the key can do.
func tamper(t testing.TB, tok string, edit func(string) string) string {
	t.Helper()
	_, p := parts(t, tok)
	i, j := strings.IndexByte(tok, '.'), strings.LastIndexByte(tok, '.')
	return tok[:i+1] + b64.EncodeToString([]byte(edit(string(p)))) + tok[j:]
}

// longerValidity is a forger's edit: the credential's end moved from 2027
// to 2099.
func longerValidity(p string) string {
	return strings.Replace(p, `"validUntil":"2027`, `"validUntil":"2099`, 1)
}

// TestVerifyContentTrust: registry names appear in the content only once
// the signature has passed with a key of the named issuer that vouched
// for it; a forged token shows only its own claims, marked unverified, so
// it can never read as issued by the real organisation.
func TestVerifyContentTrust(t *testing.T) {
	registered := modeltest.Issuer(rocID).LegalName
	for _, tc := range []struct {
		name     string
		token    func(*world) string
		verified bool
	}{
		{"ok/signature and key hold", (*world).mintClaiming, true},
		{"error/payload changed after signing", func(w *world) string {
			return tamper(w.t, w.mintClaiming(), longerValidity)
		}, false},
		{"error/unknown kid", func(w *world) string {
			h, p := parts(w.t, w.mintClaiming())
			h["kid"] = "8zQ3kq0o1RrXQkVbJz3m5mYh2w8WcG1p2p3q4r5s6t7"
			return w.signRaw(h, p, rocID, w.signingKey(rocID, w.clk.Now()))
		}, false},
		{"error/signed by another issuer", func(w *world) string {
			h, p := parts(w.t, w.mintClaiming())
			k := w.signingKey(otherID, w.clk.Now())
			h["kid"] = k.Kid
			return w.signRaw(h, p, otherID, k)
		}, false},
		{"error/signed with a compromised key", func(w *world) string {
			tok := w.mintClaiming()
			k := w.signingKey(rocID, w.clk.Now())
			set, err := keys.Compromise(w.keySet(rocID), k.Kid, w.clk.Now().Add(-1), "laptop stolen")
			if err != nil {
				w.t.Fatal(err)
			}
			w.update(func(tx store.Tx) error { return tx.PutIssuerKeys(rocID, set) })
			return tok
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tok := tc.token(w)
			for _, again := range []bool{false, true} { // computed, then from the cache
				v := w.verify(tok)
				checkWellFormed(t, v)
				if v.Cached != again {
					t.Fatalf("cached %v, want %v", v.Cached, again)
				}
				c := v.Content
				if c == nil {
					t.Fatal("no content")
				}
				if c.Verified != tc.verified || (v.Verdict == Valid) != tc.verified {
					t.Fatalf("verdict %s, content verified %v; want verified %v", v.Verdict, c.Verified, tc.verified)
				}
				// What the token claims is shown either way.
				if c.IssuerID != rocID || c.ProfileID != profileID || c.ProfileVersion != 1 || c.HolderID != holder || len(c.Competencies) != 1 {
					t.Errorf("claims %+v", c)
				}
				comp := c.Competencies[0]
				if tc.verified {
					if c.IssuerName != registered || c.SectorName != w.sector.Name || c.ProfileName != w.prof.Name ||
						comp.Name.NL == "" || comp.LevelName.EN != "Independent" || comp.LevelRank != 2 || len(comp.Alignments) == 0 {
						t.Errorf("verified content lacks registry names: %+v", c)
					}
					continue
				}
				if c.IssuerName != claimedName {
					t.Errorf("issuer name %q, want the token's claim %q, never the registry's", c.IssuerName, claimedName)
				}
				if c.SectorName != (model.Text{}) || c.ProfileName.NL != "" || comp.Name.NL != "" ||
					comp.LevelName != (model.Text{}) || comp.LevelRank != 0 || comp.LevelCount != 0 || comp.Alignments != nil {
					t.Errorf("unverified content carries registry names: %+v", c)
				}
				if c.ProfileName.EN != w.prof.Name.EN || comp.LevelID != "2" || comp.Method != "EXAM" {
					t.Errorf("unverified content lacks the token's claims: %+v", c)
				}
			}
		})
	}
}
