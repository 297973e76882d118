package verifier

import (
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

// TestVerifyHostile is the table of issue 3: each hostile or faulty token
// is refused by exactly the check that should refuse it, with its reason;
// every later check that depends on it is skipped, never passed.
func TestVerifyHostile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		token  func(*world) string
		check  CheckName
		reason string
	}{
		{"error/alg none", algNone, CheckAlgorithm, "UNSUPPORTED_ALGORITHM"},
		{"error/hs256 keyed with the public key", hs256WithPublicKey, CheckAlgorithm, "UNSUPPORTED_ALGORITHM"},
		{"error/eddsa header on an es256 key", edHeaderOnES256Key, CheckAlgorithm, ReasonAlgorithmKeyMismatch},
		{"error/kid of another issuer", func(w *world) string {
			k := w.signingKey(otherID, w.clk.Now())
			return w.resign(func(h map[string]any, p []byte) []byte { h["kid"] = k.Kid; return p })
		}, CheckSignature, ReasonKidOfOtherIssuer},
		{"error/unknown kid", withHeader("kid", "8zQ3kq0o1RrXQkVbJz3m5mYh2w8WcG1p2p3q4r5s6t7"), CheckSignature, ReasonKidUnknown},
		{"error/jku header", withHeader("jku", "https://attacker.example/jwks"), CheckFormat, "FORBIDDEN_HEADER"},
		{"error/x5u header", withHeader("x5u", "https://attacker.example/cert.pem"), CheckFormat, "FORBIDDEN_HEADER"},
		{"error/jwk header", withHeader("jwk", map[string]string{"kty": "oct", "k": "c2VjcmV0"}), CheckFormat, "FORBIDDEN_HEADER"},
		{"error/crit header", withHeader("crit", []string{"exp"}), CheckFormat, "FORBIDDEN_HEADER"},
		{"error/b64 header", withHeader("b64", false), CheckFormat, "FORBIDDEN_HEADER"},
		{"error/two signatures", twoSignatures, CheckFormat, "MALFORMED_JWS"},
		{"error/payload not json", withPayload(func([]byte) []byte { return []byte("hello") }), CheckFormat, "PAYLOAD_NOT_JSON"},
		{"error/duplicate keys", withPayload(insertTop(`"iss":"https://attacker.example/issuers/x"`)), CheckFormat, "DUPLICATE_JSON_KEY"},
		{"error/oversized", func(*world) string { return strings.Repeat("A", credential.MaxTokenBytes+1) }, CheckFormat, "TOKEN_TOO_LARGE"},
		{"error/trailing data after the token", func(w *world) string { return w.mint() + "." }, CheckFormat, "MALFORMED_JWS"},
		{"error/trailing data in the payload", withPayload(func(p []byte) []byte { return append(p, "{}"...) }), CheckFormat, "PAYLOAD_NOT_JSON"},
		{"error/wrong typ", withHeader("typ", "JWT"), CheckFormat, "WRONG_TYPE"},
		{"error/iss and issuer differ", withPayload(func(p []byte) []byte {
			return []byte(strings.Replace(string(p), `"iss":"`+base+`/issuers/roc"`, `"iss":"`+base+`/issuers/other"`, 1))
		}), CheckFormat, "ISS_ISSUER_MISMATCH"},
		{"error/payload changed after signing", func(w *world) string {
			return tamper(w.t, w.mint(), longerValidity)
		}, CheckSignature, "SIGNATURE_INVALID"},
		{"error/signature of issuer A on a credential claiming issuer B", func(w *world) string {
			return w.mint(func(in *mintInput) { in.Issuer = otherIssuer() })
		}, CheckSignature, ReasonKidOfOtherIssuer},
		{"error/issuer of another origin", func(w *world) string {
			k, err := keys.NewKey(keys.ES256, w.kek, rocID, w.clk.Now())
			if err != nil {
				w.t.Fatal(err)
			}
			return w.mint(func(in *mintInput) { in.BaseURL, in.key = "https://elsewhere.example", k })
		}, CheckSignature, ReasonIssuerUnknown},
		{"error/issuer not registered", func(w *world) string {
			k, err := keys.NewKey(keys.ES256, w.kek, "ghost", w.clk.Now())
			if err != nil {
				w.t.Fatal(err)
			}
			return w.mint(func(in *mintInput) {
				i := *in.Issuer
				i.ID = "ghost"
				in.Issuer, in.key, in.signFor = &i, k, "ghost"
			})
		}, CheckSignature, ReasonIssuerUnknown},
		{"error/profile digest mismatch", func(w *world) string {
			return w.mint(func(in *mintInput) {
				p := *in.Profile
				p.Digest = "sha256:" + strings.Repeat("ab", 32)
				in.Profile = &p
			})
		}, CheckProfile, ReasonProfileDigest},
		{"error/draft profile", func(w *world) string {
			return w.mint(func(in *mintInput) { in.Profile = w.draft })
		}, CheckProfile, ReasonProfileDraft},
		{"error/competency not in the profile", func(w *world) string {
			return w.mint(func(in *mintInput) {
				p := *in.Profile
				extra := p.Competencies[1]
				extra.ID, extra.Name = "lassen", model.Text{NL: "Lassen", EN: "Welding"}
				p.Competencies = append(append([]model.Competency(nil), p.Competencies...), extra)
				in.Profile = &p
				in.Skills = append(in.Skills, credential.Skill{CompetencyID: "lassen", LevelID: "basis", Method: "EXAM"})
			})
		}, CheckCompetencies, ReasonCompetencyUnknown},
		{"error/level off scale", func(w *world) string {
			return w.mint(func(in *mintInput) {
				p := *in.Profile
				p.Competencies = append([]model.Competency(nil), p.Competencies...)
				c := &p.Competencies[0]
				c.Levels = append(append([]model.Level(nil), c.Levels...), model.Level{ID: "3", Name: model.Text{NL: "Meester", EN: "Master"}})
				in.Profile = &p
				in.Skills[0].LevelID = "3"
			})
		}, CheckCompetencies, ReasonLevelOffScale},
		{"error/achievement misstates the profile", func(w *world) string {
			return w.mint(func(in *mintInput) {
				p := *in.Profile
				p.Competencies = append([]model.Competency(nil), p.Competencies...)
				p.Competencies[0].Name.EN = "Install any heat pump, anywhere"
				in.Profile = &p
			})
		}, CheckCompetencies, ReasonAchievementDiffers},
		{"error/expired", func(w *world) string {
			tok := w.mint(func(in *mintInput) { in.ValidUntil = in.ValidFrom.Add(time.Hour) })
			w.clk.Advance(2 * time.Hour)
			return tok
		}, CheckValidity, ReasonExpired},
		{"error/not yet valid", func(w *world) string {
			return w.mint(func(in *mintInput) { in.ValidFrom = in.ValidFrom.AddDate(0, 0, 1) })
		}, CheckValidity, ReasonNotYetValid},
		{"error/revoked", func(w *world) string {
			tok := w.mint()
			w.setStatus(statuslist.PurposeRevocation, w.next, true)
			return tok
		}, CheckStatus, ReasonRevoked},
		{"error/suspended", func(w *world) string {
			tok := w.mint()
			w.setStatus(statuslist.PurposeSuspension, w.next, true)
			return tok
		}, CheckStatus, ReasonSuspended},
		{"error/status list of another issuer", func(w *world) string {
			return w.resign(func(_ map[string]any, p []byte) []byte {
				return []byte(strings.ReplaceAll(string(p), "/issuers/roc/status/", "/issuers/other/status/"))
			})
		}, CheckStatus, ReasonStatusRefInvalid},
		{"error/signed with a compromised key", func(w *world) string {
			tok := w.mint()
			k := w.signingKey(rocID, w.clk.Now())
			set, err := keys.Compromise(w.keySet(rocID), k.Kid, w.clk.Now().Add(time.Hour), "laptop stolen")
			if err != nil {
				w.t.Fatal(err)
			}
			w.update(func(tx store.Tx) error { return tx.PutIssuerKeys(rocID, set) })
			return tok
		}, CheckKey, ReasonKeyCompromised},
		{"error/signed before the key was active", func(w *world) string {
			k := w.rotate(rocID, w.clk.Now(), 24*time.Hour)
			return w.mint(func(in *mintInput) { in.key = k })
		}, CheckKey, ReasonKeyNotYetActive},
		{"error/signed after the key retired", func(w *world) string {
			old := w.signingKey(rocID, w.clk.Now())
			w.rotate(rocID, w.clk.Now(), 0)
			w.clk.Advance(time.Hour)
			return w.mint(func(in *mintInput) { in.key = old })
		}, CheckKey, ReasonKeyRetiredAtSigned},
		{"error/signed in the future", func(w *world) string {
			return w.mint(func(in *mintInput) { in.IssuedAt = in.IssuedAt.Add(time.Hour) })
		}, CheckKey, ReasonIssuedInFuture},
		{"error/issuer not accredited", func(w *world) string {
			k := w.signingKey(otherID, w.clk.Now())
			return w.mint(func(in *mintInput) { in.Issuer, in.key, in.signFor = otherIssuer(), k, otherID })
		}, CheckAccreditation, ReasonNotAccredited},
		{"error/accreditation suspended at issuance", func(w *world) string {
			w.changeAccreditation(model.AccreditationSuspended, w.clk.Now().Add(-time.Hour))
			return w.mint()
		}, CheckAccreditation, ReasonAccreditationSuspended},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			v := w.verify(tc.token(w))
			checkWellFormed(t, v)
			if v.Verdict != Invalid {
				t.Fatalf("verdict %s, want INVALID; items %+v", v.Verdict, v.Checks)
			}
			got := item(t, v, tc.check)
			if got.Outcome != Fail || got.Reason != tc.reason {
				t.Fatalf("%s: %s %s, want FAIL %s; items %+v", tc.check, got.Outcome, got.Reason, tc.reason, v.Checks)
			}
			for _, c := range v.Checks {
				if c.Outcome == Fail && c.Name != tc.check {
					t.Errorf("%s also failed (%s); want only %s", c.Name, c.Reason, tc.check)
				}
			}
			checkSkips(t, v, tc.check)
		})
	}
}

// checkSkips asserts that every check depending, directly or not, on the
// failed one is SKIPPED with NOT_CHECKED.
func checkSkips(t *testing.T, v *Verdict, failed CheckName) {
	t.Helper()
	blocked := map[CheckName]bool{failed: true}
	if failed == CheckAlgorithm && item(t, v, CheckFormat).Outcome == Skipped {
		blocked[CheckFormat] = true
	}
	for _, s := range steps[1:] {
		for _, need := range s.needs {
			if blocked[need] {
				blocked[s.name] = true
			}
		}
	}
	for _, c := range v.Checks {
		if blocked[c.Name] && c.Name != failed && (c.Outcome != Skipped || c.Reason != ReasonNotChecked) {
			t.Errorf("%s: %s %s, want SKIPPED NOT_CHECKED after %s failed", c.Name, c.Outcome, c.Reason, failed)
		}
	}
}

func TestVerifyValid(t *testing.T) {
	for _, tc := range []struct {
		name     string
		token    func(*world) string
		key      string // KEY_STATE reason
		standing string // ISSUER_CURRENT_STANDING reason
		says     string // in the standing's English sentence
	}{
		{"ok", func(w *world) string { return w.mint() }, ReasonOK, ReasonStandingAccredited, "currently accredited"},
		{"ok/accreditation suspended after issuance", func(w *world) string {
			tok := w.mint()
			w.clk.Advance(24 * time.Hour)
			w.changeAccreditation(model.AccreditationSuspended, w.clk.Now())
			w.clk.Advance(24 * time.Hour)
			return tok
		}, ReasonOK, ReasonStandingSuspended, "currently suspended since 2026-03-03 09:00 UTC"},
		{"ok/accreditation withdrawn after issuance", func(w *world) string {
			tok := w.mint()
			w.changeAccreditation(model.AccreditationWithdrawn, w.clk.Now().Add(time.Minute))
			w.clk.Advance(time.Hour)
			return tok
		}, ReasonOK, ReasonStandingWithdrawn, "withdrawn since 2026-03-02 09:01 UTC"},
		{"ok/issuer and sector renamed after issuance", func(w *world) string {
			tok := w.mint()
			w.update(func(tx store.Tx) error {
				i, err := tx.GetIssuer(rocID)
				if err != nil {
					return err
				}
				i.LegalName = "ROC Nieuwe Naam"
				if err := tx.UpdateIssuer(i); err != nil {
					return err
				}
				sec, err := tx.GetSector(sectorID)
				if err != nil {
					return err
				}
				sec.Name.EN = "Renamed sector"
				return tx.UpdateSector(sec)
			})
			return tok
		}, ReasonOK, ReasonStandingAccredited, "currently accredited"},
		{"ok/ed25519 key", func(w *world) string {
			k := w.rotateAlg(rocID, keys.EdDSA, w.clk.Now(), 0)
			return w.mint(func(in *mintInput) { in.key = k })
		}, ReasonOK, ReasonStandingAccredited, "currently accredited"},
		{"ok/retired key still verifies what it signed", func(w *world) string {
			tok := w.mint()
			w.rotate(rocID, w.clk.Now().Add(time.Hour), 0)
			w.clk.Advance(2 * time.Hour)
			return tok
		}, ReasonKeyRetiredSince, ReasonStandingAccredited, "currently accredited"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			v := w.verify(tc.token(w))
			checkWellFormed(t, v)
			if v.Verdict != Valid {
				t.Fatalf("verdict %s, want VALID; items %+v", v.Verdict, v.Checks)
			}
			for _, c := range v.Checks[:len(v.Checks)-1] {
				if c.Outcome != Pass {
					t.Errorf("%s: %s %s, want PASS", c.Name, c.Outcome, c.Reason)
				}
			}
			if k := item(t, v, CheckKey); k.Reason != tc.key {
				t.Errorf("KEY_STATE reason %s, want %s", k.Reason, tc.key)
			}
			st := item(t, v, CheckCurrentStanding)
			if st.Outcome != Info || st.Reason != tc.standing || !strings.Contains(st.Message.EN, tc.says) {
				t.Errorf("standing %s %s %q, want INFO %s saying %q", st.Outcome, st.Reason, st.Message.EN, tc.standing, tc.says)
			}
		})
	}
}

// TestVerifyContent checks the readable content: registry names in both
// languages, levels with their rank, and the holder only in the content.
func TestVerifyContent(t *testing.T) {
	w := newWorld(t)
	tok := w.mint(func(in *mintInput) {
		in.Skills = append(in.Skills, credential.Skill{CompetencyID: "koudemiddelen", LevelID: "basis", Method: "WORKPLACE_ASSESSMENT"})
	})
	v := w.verify(tok)
	c := v.Content
	if c == nil {
		t.Fatal("no content")
	}
	want := modeltest.Issuer(rocID).LegalName
	if c.IssuerID != rocID || c.IssuerName != want || c.IssuerURL != base+"/issuers/roc" {
		t.Errorf("issuer %q %q %q", c.IssuerID, c.IssuerName, c.IssuerURL)
	}
	if c.SectorName != w.sector.Name || c.ProfileName != w.prof.Name || c.ProfileVersion != 1 || c.ProfileDigest != w.prof.Digest {
		t.Errorf("profile %+v %+v %d %s", c.SectorName, c.ProfileName, c.ProfileVersion, c.ProfileDigest)
	}
	if c.HolderID != holder || c.HolderKeyBound || !c.IssuedAt.Equal(day0) || !c.ValidUntil.Equal(day0.AddDate(1, 0, 0)) {
		t.Errorf("holder %q bound %v issued %s until %s", c.HolderID, c.HolderKeyBound, c.IssuedAt, c.ValidUntil)
	}
	if len(c.Competencies) != 2 {
		t.Fatalf("%d competencies, want 2", len(c.Competencies))
	}
	first, second := c.Competencies[0], c.Competencies[1]
	if first.ID != "warmtepomp-installeren" || first.Name.NL != "Warmtepomp installeren" || first.LevelName.EN != "Independent" ||
		first.LevelRank != 2 || first.LevelCount != 2 || first.Method != "EXAM" || len(first.Alignments) != 2 {
		t.Errorf("first competency %+v", first)
	}
	if second.ID != "koudemiddelen" || second.LevelRank != 1 || second.LevelCount != 1 || second.Method != "WORKPLACE_ASSESSMENT" {
		t.Errorf("second competency %+v", second)
	}
	if v.TokenHash != credentialHash(tok) {
		t.Error("token hash is not the SHA-256 of the token")
	}
}

func TestVerifyNoContentUnparsed(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name, token string
		hashed      bool
	}{
		{"error/empty", "", true},
		{"error/garbage", "not a token", true},
		{"error/oversized", strings.Repeat("A", credential.MaxTokenBytes+1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := w.verify(tc.token)
			checkWellFormed(t, v)
			if v.Content != nil || v.Verdict != Invalid {
				t.Errorf("verdict %s content %+v, want INVALID without content", v.Verdict, v.Content)
			}
			if want := map[bool][32]byte{true: credentialHash(tc.token)}[tc.hashed]; v.TokenHash != want {
				t.Errorf("token hash %x, want %x", v.TokenHash, want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name  string
		cfg   Config
		field string
	}{
		{"error/no store", Config{BaseURL: base}, "store"},
		{"error/base url not https", Config{Store: w.st, BaseURL: "http://skillpass.example"}, "base_url"},
		{"error/base url with slash", Config{Store: w.st, BaseURL: base + "/"}, "base_url"},
		{"error/negative cache", Config{Store: w.st, BaseURL: base, CacheEntries: -1}, "cache_entries"},
		{"ok", Config{Store: w.st, BaseURL: base}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.cfg)
			if tc.field == "" {
				if err != nil || s == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			ve, ok := err.(*model.ValidationError)
			if !ok || ve.Violations[0].Field != tc.field {
				t.Fatalf("New: %v; want a validation error on %s", err, tc.field)
			}
		})
	}
}

func TestVerifyContextCancelled(t *testing.T) {
	w := newWorld(t)
	c, cancel := contextWithCancel()
	cancel()
	if _, err := w.svc.Verify(c, w.mint()); err == nil {
		t.Fatal("Verify with a cancelled context succeeded")
	}
}
