package issuer

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

func TestIssueRefusals(t *testing.T) {
	w := newWorld(t)
	// A fixed, mid-second clock: valid_from is truncated to the second.
	w.clk.Set(day0.Add(time.Hour + 500*time.Millisecond))
	now := day0.Add(time.Hour)
	tests := []struct {
		name  string
		actor model.Principal
		edit  func(*IssueRequest)
		want  error
		field string // the violated field, for refusals about one
		check string // AccreditationRefusal.Check
	}{
		{name: "ok"},
		{name: "ok/valid_from a little in the past", edit: func(r *IssueRequest) { r.ValidFrom = now.Add(-30 * time.Second) }},
		{name: "ok/holder urn", edit: func(r *IssueRequest) { r.HolderID = "urn:uuid:0c2b7c5e-1d9a-4e1f-9f0a-2b3c4d5e6f70" }},
		{name: "error/anonymous", actor: anonymous, want: model.ErrUnauthenticated},
		{name: "error/other issuer's client", actor: otherClient, want: model.ErrPermissionDenied},
		{name: "error/root may not issue", actor: root, want: model.ErrPermissionDenied},
		{name: "error/sector authority may not issue", actor: installAuth, want: model.ErrPermissionDenied},
		{name: "error/issuer unknown", actor: ghostClient, edit: func(r *IssueRequest) { r.IssuerID = "ghost" }, want: model.ErrIssuerUnknown},
		{name: "error/profile version unknown", edit: func(r *IssueRequest) { r.Version = 9 }, want: model.ErrProfileUnknown},
		{name: "error/profile unknown", edit: func(r *IssueRequest) { r.ProfileID = "nergens" }, want: model.ErrProfileUnknown},
		{name: "error/profile version draft", edit: func(r *IssueRequest) { r.Version = 3 }, want: model.ErrProfileNotPublished},
		{name: "error/profile version retired", edit: func(r *IssueRequest) { r.ProfileID = "oud" }, want: model.ErrProfileNotPublished},
		{name: "error/not accredited: version not covered", edit: func(r *IssueRequest) { r.Version = 2 },
			want: ErrNotAccredited, check: model.CheckVersionNotCovered},
		{name: "error/not accredited: no accreditation", edit: func(r *IssueRequest) { r.ProfileID = "elders" },
			want: ErrNotAccredited, check: model.CheckNoAccreditation},
		{name: "error/not accredited: suspended", actor: otherClient, edit: func(r *IssueRequest) { r.IssuerID = "other" },
			want: ErrNotAccredited, check: model.CheckSuspended},
		{name: "error/competency not in profile", edit: func(r *IssueRequest) { r.Skills[1].CompetencyID = "lassen" },
			want: ErrCompetencyNotInProfile, field: "skills[1].competency_id"},
		{name: "error/level off scale", edit: func(r *IssueRequest) { r.Skills[1].LevelID = "expert" },
			want: ErrLevelOffScale, field: "skills[1].level_id"},
		{name: "error/duplicate competency", edit: func(r *IssueRequest) { r.Skills[1].CompetencyID = r.Skills[0].CompetencyID },
			want: ErrDuplicateCompetency, field: "skills[1].competency_id"},
		{name: "error/no skills", edit: func(r *IssueRequest) { r.Skills = nil }, want: ErrNoSkills, field: "skills"},
		{name: "error/backdated", edit: func(r *IssueRequest) { r.ValidFrom = now.Add(-2 * time.Minute) },
			want: ErrValidityNotGrantable, field: "valid_from"},
		{name: "error/valid_from more than a year ahead", edit: func(r *IssueRequest) { r.ValidFrom = now.AddDate(1, 0, 1) },
			want: ErrValidityNotGrantable, field: "valid_from"},
		{name: "error/valid_until not after valid_from", edit: func(r *IssueRequest) { r.ValidUntil = now },
			want: ErrValidityNotGrantable, field: "valid_until"},
		{name: "error/validity longer than allowed", edit: func(r *IssueRequest) { r.ValidUntil = now.Add(keys.DefaultPolicy().Retention + time.Hour) },
			want: ErrValidityNotGrantable, field: "valid_until"},
		{name: "error/valid_from after accreditation ends", edit: func(r *IssueRequest) { r.ValidFrom = day0.AddDate(0, 6, 0) },
			want: ErrValidityNotGrantable, field: "valid_from"},
		{name: "error/holder id is an e-mail address", edit: func(r *IssueRequest) { r.HolderID = "jan.jansen@example.nl" },
			want: ErrHolderIDNotPseudonymous, field: "holder_id"},
		{name: "error/holder id is a web URL", edit: func(r *IssueRequest) { r.HolderID = "https://example.nl/jan" },
			want: ErrHolderIDNotPseudonymous, field: "holder_id"},
		{name: "error/no signing key", actor: nokeysClient, edit: func(r *IssueRequest) { r.IssuerID = "nokeys" }, want: keys.ErrNoSigningKey},
		{name: "ok/holder key", edit: func(r *IssueRequest) { r.HolderKey = holderKey(t, false) }},
		{name: "error/private holder key", edit: func(r *IssueRequest) { r.HolderKey = holderKey(t, true) }, want: errValidation, field: "holder_key"},
		{name: "error/invalid version", edit: func(r *IssueRequest) { r.Version = 0 }, want: errValidation, field: "version"},
		{name: "error/invalid sector id", edit: func(r *IssueRequest) { r.SectorID = "Installatie!" }, want: errValidation, field: "sector_id"},
		{name: "error/invalid request id", edit: func(r *IssueRequest) { r.RequestID = "has space" }, want: errValidation, field: "request_id"},
		{name: "error/unknown assessment method", edit: func(r *IssueRequest) { r.Skills[0].Method = "GUESS" }, want: errValidation, field: "skills[0].method"},
		{name: "error/evidence not https", edit: func(r *IssueRequest) { r.Skills[0].Evidence[0].URL = "http://portfolio.example/1" },
			want: errValidation, field: "skills[0].evidence[0].url"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := request()
			if tc.edit != nil {
				tc.edit(&req)
			}
			actor := tc.actor
			if actor.Kind == "" {
				actor = rocClient
			}
			out, err := w.svc.Issue(ctx, actor, req)
			checkErr(t, err, tc.want)
			if tc.field != "" {
				checkField(t, err, tc.field)
			}
			if tc.check != "" {
				var ar *AccreditationRefusal
				if !errors.As(err, &ar) || ar.Check != tc.check {
					t.Fatalf("error = %v, want an accreditation refusal %s", err, tc.check)
				}
			}
			if tc.want == nil {
				checkIssued(t, w, req, out)
			}
		})
	}
}

// checkIssued checks that out is a signed credential matching req and its
// durable record.
func checkIssued(t *testing.T, w *world, req IssueRequest, out *Issued) {
	t.Helper()
	p, err := credential.Parse(out.JWS)
	if err != nil {
		t.Fatalf("Parse issued credential: %v", err)
	}
	jwks, err := w.svc.JWKS(ctx, req.IssuerID)
	if err != nil {
		t.Fatal(err)
	}
	if k := jwks.Key(p.Header.Kid); len(k) != 1 {
		t.Fatalf("kid %s is not in the issuer's JWKS", p.Header.Kid)
	} else if err := p.Verify(&k[0]); err != nil {
		t.Fatalf("signature: %v", err)
	}
	rec, err := w.svc.GetCredential(ctx, rocClient, req.IssuerID, out.Record.ID)
	if err != nil {
		t.Fatalf("GetCredential: %v", err)
	}
	c := p.Credential
	switch {
	case rec.TokenHash != sha256.Sum256([]byte(out.JWS)):
		t.Error("record's token hash is not the hash of the JWS")
	case c.ID != "urn:uuid:"+rec.ID:
		t.Errorf("credential id %s, record id %s", c.ID, rec.ID)
	case c.CredentialSubject.ID != req.HolderID || rec.HolderHash != w.holderHash(req.IssuerID, req.HolderID):
		t.Errorf("subject %s, want %s (and the record's hash of it)", c.CredentialSubject.ID, req.HolderID)
	case rec.AccreditationID != w.accID || rec.Kid != p.Header.Kid:
		t.Errorf("record accreditation %s kid %s, want %s and %s", rec.AccreditationID, rec.Kid, w.accID, p.Header.Kid)
	case c.Iat != rec.IssueTime.Unix() || rec.IssueTime.Nanosecond() != 0:
		t.Errorf("iat %d, record issue time %s (want whole seconds)", c.Iat, rec.IssueTime)
	case c.ValidFrom != rec.ValidFrom.Format(time.RFC3339) || c.ValidUntil != rec.ValidUntil.Format(time.RFC3339):
		t.Errorf("validity %s..%s, record %s..%s", c.ValidFrom, c.ValidUntil, rec.ValidFrom, rec.ValidUntil)
	case len(c.CredentialSubject.Achievement) != len(req.Skills):
		t.Errorf("%d achievements, want %d", len(c.CredentialSubject.Achievement), len(req.Skills))
	case (c.Cnf != nil) != (req.HolderKey != nil):
		t.Errorf("cnf %v for holder key %v", c.Cnf, req.HolderKey)
	case rec.Status != model.CredentialActive || len(rec.Events) != 1:
		t.Errorf("record status %s with %d events, want ACTIVE with 1", rec.Status, len(rec.Events))
	}
}

func TestIssueDefaultsValidity(t *testing.T) {
	w := newWorld(t)
	w.clk.Set(day0.Add(90 * time.Minute).Add(700 * time.Millisecond))
	out := w.issue(nil)
	now := day0.Add(90 * time.Minute)
	if !out.Record.ValidFrom.Equal(now) || !out.Record.ValidUntil.Equal(now.Add(keys.DefaultPolicy().Retention-MaxStartAhead)) {
		t.Fatalf("validity %s..%s, want %s and MaxValidity later", out.Record.ValidFrom, out.Record.ValidUntil, now)
	}
}

func TestIssueIdempotent(t *testing.T) {
	w := newWorld(t)
	first := w.issue(func(r *IssueRequest) { r.RequestID = "req-1" })
	tests := []struct {
		name  string
		actor model.Principal
		edit  func(*IssueRequest)
		want  error
		same  bool
	}{
		{name: "ok/replay returns the same credential", edit: func(r *IssueRequest) { r.RequestID = "req-1" }, same: true},
		{name: "ok/another request id issues anew", edit: func(r *IssueRequest) { r.RequestID = "req-2" }},
		{name: "ok/no request id issues anew"},
		{name: "error/same id, other holder", edit: func(r *IssueRequest) { r.RequestID = "req-1"; r.HolderID = "did:example:other" },
			want: model.ErrRequestIDReused},
		{name: "error/same id, other level", edit: func(r *IssueRequest) { r.RequestID = "req-1"; r.Skills[0].LevelID = "1" },
			want: model.ErrRequestIDReused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Later calls happen later: a replay must not be judged by
			// the new clock (the defaulted validity would differ).
			w.clk.Advance(10 * time.Second)
			req := request()
			if tc.edit != nil {
				tc.edit(&req)
			}
			out, err := w.svc.Issue(ctx, rocClient, req)
			checkErr(t, err, tc.want)
			if err != nil {
				return
			}
			if got := out.JWS == first.JWS; got != tc.same {
				t.Fatalf("same JWS as the first issuance = %v, want %v", got, tc.same)
			}
			if tc.same && out.Record.ID != first.Record.ID {
				t.Fatalf("replay record %s, want %s", out.Record.ID, first.Record.ID)
			}
		})
	}
	// A retry long after, with an explicit valid_from that would now be
	// backdating, is still answered from the record.
	explicit := request()
	explicit.RequestID = "req-explicit"
	explicit.ValidFrom = w.clk.Now()
	firstExplicit, err := w.svc.Issue(ctx, rocClient, explicit)
	if err != nil {
		t.Fatal(err)
	}
	w.clk.Advance(time.Hour)
	again, err := w.svc.Issue(ctx, rocClient, explicit)
	if err != nil || again.JWS != firstExplicit.JWS {
		t.Fatalf("late replay: %v", err)
	}
	explicit.RequestID = ""
	_, err = w.svc.Issue(ctx, rocClient, explicit)
	checkErr(t, err, ErrValidityNotGrantable)

	// The replay survives a restart: it comes from the store, not memory.
	w.reopen()
	req := request()
	req.RequestID = "req-1"
	again, err = w.svc.Issue(ctx, rocClient, req)
	if err != nil || again.JWS != first.JWS {
		t.Fatalf("replay after reopen: err %v, same JWS %v", err, err == nil && again.JWS == first.JWS)
	}
}

func TestIssueAfterKeyCompromise(t *testing.T) {
	w := newWorld(t)
	before := w.issue(nil)
	if _, err := w.svc.CompromiseKey(ctx, rocClient, "", "roc", before.Record.Kid, "laptop stolen"); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Issue(ctx, rocClient, request())
	checkErr(t, err, keys.ErrNoSigningKey)
	zero := time.Duration(0)
	if _, err := w.svc.RotateKey(ctx, rocClient, "", "roc", "", &zero); err != nil {
		t.Fatal(err)
	}
	after := w.issue(nil)
	if after.Record.Kid == before.Record.Kid {
		t.Fatal("issued with the compromised key")
	}
}

func TestIssueAfterAccreditationSuspended(t *testing.T) {
	w := newWorld(t)
	w.issue(nil)
	if _, err := w.reg.ChangeAccreditation(ctx, root, "", "roc", w.accID, model.AccreditationSuspended, "audit", time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Issue(ctx, rocClient, request())
	var ar *AccreditationRefusal
	if !errors.As(err, &ar) || ar.Check != model.CheckSuspended || ar.AccreditationID != w.accID {
		t.Fatalf("error = %v, want a SUSPENDED refusal naming %s", err, w.accID)
	}
}

// TestIssueSeesRegistryChanges: the snapshot cache must not hide a change
// the commit does not re-check, such as a profile version retired after
// credentials were issued against it.
func TestIssueSeesRegistryChanges(t *testing.T) {
	w := newWorld(t)
	w.issue(nil)
	if _, err := w.reg.RetireProfileVersion(ctx, root, "", "installatie", "monteur", 1); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Issue(ctx, rocClient, request())
	checkErr(t, err, model.ErrProfileNotPublished)
}

// holderKey returns a fresh P-256 JWK, public unless private is set.
func holderKey(t *testing.T, private bool) *jose.JSONWebKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if private {
		return &jose.JSONWebKey{Key: k}
	}
	return &jose.JSONWebKey{Key: &k.PublicKey}
}
