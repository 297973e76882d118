package issuer

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

func TestChangeStatusAuthorization(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name    string
		actor   model.Principal
		action  StatusAction
		suspend bool // suspend first (by the issuer), for REINSTATE
		want    error
	}{
		{name: "ok/issuer client revokes", actor: rocClient, action: ActionRevoke},
		{name: "ok/issuer client suspends", actor: rocClient, action: ActionSuspend},
		{name: "ok/issuer client reinstates", actor: rocClient, action: ActionReinstate, suspend: true},
		{name: "ok/sector authority revokes for cause", actor: installAuth, action: ActionRevoke},
		{name: "error/sector authority may not suspend", actor: installAuth, action: ActionSuspend, want: model.ErrPermissionDenied},
		{name: "error/sector authority may not reinstate", actor: installAuth, action: ActionReinstate, suspend: true, want: model.ErrPermissionDenied},
		{name: "error/other sector's authority, told not found", actor: zorgAuth, action: ActionRevoke, want: model.ErrNotFound},
		{name: "error/other issuer's client", actor: otherClient, action: ActionRevoke, want: model.ErrPermissionDenied},
		{name: "error/root", actor: root, action: ActionRevoke, want: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, action: ActionRevoke, want: model.ErrUnauthenticated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := w.issue(nil).Record.ID
			if tc.suspend {
				if _, err := w.svc.ChangeStatus(ctx, rocClient, "", "roc", id, ActionSuspend, "under review"); err != nil {
					t.Fatal(err)
				}
			}
			rec, err := w.svc.ChangeStatus(ctx, tc.actor, "", "roc", id, tc.action, "for cause")
			checkErr(t, err, tc.want)
			if err != nil {
				// Nothing changed.
				got, err := w.svc.GetCredential(ctx, rocClient, "roc", id)
				if err != nil || len(got.Events) != map[bool]int{false: 1, true: 2}[tc.suspend] {
					t.Fatalf("record changed by a refused call: %+v, %v", got, err)
				}
				return
			}
			last := rec.Events[len(rec.Events)-1]
			if last.Actor != tc.actor.ID || last.Reason != "for cause" || last.Status != rec.Status {
				t.Fatalf("last event %+v, want one by %s with the reason", last, tc.actor.ID)
			}
		})
	}
}

func TestChangeStatusTransitions(t *testing.T) {
	w := newWorld(t)
	type step struct {
		action StatusAction
		want   error
	}
	tests := []struct {
		name               string
		steps              []step
		status             model.CredentialStatus
		revoked, suspended bool // the bits afterwards
	}{
		{name: "ok/suspend", steps: []step{{ActionSuspend, nil}}, status: model.CredentialSuspended, suspended: true},
		{name: "ok/suspend and reinstate", steps: []step{{ActionSuspend, nil}, {ActionReinstate, nil}}, status: model.CredentialActive},
		{name: "ok/revoke", steps: []step{{ActionRevoke, nil}}, status: model.CredentialRevoked, revoked: true},
		{name: "ok/revoke while suspended keeps the suspension bit", steps: []step{{ActionSuspend, nil}, {ActionRevoke, nil}},
			status: model.CredentialRevoked, revoked: true, suspended: true},
		{name: "error/reinstate an active credential", steps: []step{{ActionReinstate, model.ErrInvalidTransition}}, status: model.CredentialActive},
		{name: "error/suspend twice", steps: []step{{ActionSuspend, nil}, {ActionSuspend, model.ErrInvalidTransition}},
			status: model.CredentialSuspended, suspended: true},
		{name: "error/revocation is final", steps: []step{{ActionRevoke, nil}, {ActionReinstate, model.ErrInvalidTransition}, {ActionRevoke, model.ErrInvalidTransition}},
			status: model.CredentialRevoked, revoked: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := w.issue(nil)
			for _, st := range tc.steps {
				_, err := w.svc.ChangeStatus(ctx, rocClient, "", "roc", out.Record.ID, st.action, "reason")
				checkErr(t, err, st.want)
			}
			rec, err := w.svc.GetCredential(ctx, rocClient, "roc", out.Record.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Status != tc.status {
				t.Fatalf("status %s, want %s", rec.Status, tc.status)
			}
			if got := w.statusBit(t, rec, statuslist.PurposeRevocation); got != tc.revoked {
				t.Errorf("revocation bit %v, want %v", got, tc.revoked)
			}
			if got := w.statusBit(t, rec, statuslist.PurposeSuspension); got != tc.suspended {
				t.Errorf("suspension bit %v, want %v", got, tc.suspended)
			}
		})
	}
}

// statusBit fetches the published status list credential for the
// record's list, verifies it with the issuer's JWKS and reads the bit.
func (w *world) statusBit(t *testing.T, rec *model.CredentialRecord, purpose statuslist.Purpose) bool {
	t.Helper()
	jws, err := w.svc.StatusListCredential(ctx, rec.IssuerID, string(purpose), rec.StatusList)
	if err != nil {
		t.Fatalf("StatusListCredential: %v", err)
	}
	p, err := credential.ParseStatusList(jws)
	if err != nil {
		t.Fatalf("ParseStatusList: %v", err)
	}
	jwks, err := w.svc.JWKS(ctx, rec.IssuerID)
	if err != nil {
		t.Fatal(err)
	}
	keys := jwks.Key(p.Header.Kid)
	if len(keys) != 1 {
		t.Fatalf("status list kid %s not in the JWKS", p.Header.Kid)
	}
	if err := p.Verify(&keys[0]); err != nil {
		t.Fatalf("status list signature: %v", err)
	}
	issuerID, gotPurpose, list, err := p.Locate(base)
	if err != nil || issuerID != rec.IssuerID || gotPurpose != purpose || list != rec.StatusList {
		t.Fatalf("list is %s/%s/%d (%v), want %s/%s/%d", issuerID, gotPurpose, list, err, rec.IssuerID, purpose, rec.StatusList)
	}
	bit, err := p.List.Get(int(rec.StatusIndex))
	if err != nil {
		t.Fatal(err)
	}
	return bit
}

func TestChangeStatusValidation(t *testing.T) {
	w := newWorld(t)
	id := w.issue(nil).Record.ID
	tests := []struct {
		name         string
		credentialID string
		action       StatusAction
		reason       string
		want         error
		field        string
	}{
		{name: "error/no reason", credentialID: id, action: ActionRevoke, want: errValidation, field: "reason"},
		{name: "error/unknown action", credentialID: id, action: "DELETE", reason: "x", want: errValidation, field: "action"},
		{name: "error/malformed credential id", credentialID: "../../x", action: ActionRevoke, reason: "x", want: errValidation, field: "credential_id"},
		{name: "error/unknown credential", credentialID: "00000000-0000-4000-8000-000000000000", action: ActionRevoke, reason: "x", want: model.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.ChangeStatus(ctx, rocClient, "", "roc", tc.credentialID, tc.action, tc.reason)
			checkErr(t, err, tc.want)
			if tc.field != "" {
				checkField(t, err, tc.field)
			}
		})
	}
}

func TestChangeStatusIdempotent(t *testing.T) {
	w := newWorld(t)
	id := w.issue(nil).Record.ID
	first, err := w.svc.ChangeStatus(ctx, rocClient, "rev-1", "roc", id, ActionRevoke, "fraud")
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.svc.ChangeStatus(ctx, rocClient, "rev-1", "roc", id, ActionRevoke, "fraud")
	if err != nil || len(again.Events) != len(first.Events) {
		t.Fatalf("replay: %v, %d events (want %d, nothing appended)", err, len(again.Events), len(first.Events))
	}
	_, err = w.svc.ChangeStatus(ctx, rocClient, "rev-1", "roc", id, ActionRevoke, "another reason")
	checkErr(t, err, model.ErrRequestIDReused)
}

func TestGetCredentialAuthorization(t *testing.T) {
	w := newWorld(t)
	id := w.issue(nil).Record.ID
	tests := []struct {
		name  string
		actor model.Principal
		want  error
	}{
		{name: "ok/issuer client", actor: rocClient},
		{name: "ok/root", actor: root},
		{name: "ok/authority of the sector", actor: installAuth},
		{name: "error/other sector's authority, told not found", actor: zorgAuth, want: model.ErrNotFound},
		{name: "error/other issuer's client", actor: otherClient, want: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, want: model.ErrUnauthenticated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := w.svc.GetCredential(ctx, tc.actor, "roc", id)
			checkErr(t, err, tc.want)
			if err == nil && rec.ID != id {
				t.Fatalf("got record %s, want %s", rec.ID, id)
			}
		})
	}
}

func TestStatusListCredential(t *testing.T) {
	w := newWorld(t)
	rec := w.issue(nil).Record
	tests := []struct {
		name     string
		issuerID string
		purpose  string
		list     int32
		want     error
	}{
		{name: "ok/revocation", issuerID: "roc", purpose: "revocation", list: rec.StatusList},
		{name: "ok/suspension", issuerID: "roc", purpose: "suspension", list: rec.StatusList},
		{name: "error/list never used", issuerID: "roc", purpose: "revocation", list: rec.StatusList + 1, want: model.ErrNotFound},
		{name: "error/issuer without credentials", issuerID: "other", purpose: "revocation", list: 0, want: model.ErrNotFound},
		{name: "error/unknown issuer", issuerID: "ghost", purpose: "revocation", list: 0, want: model.ErrIssuerUnknown},
		{name: "error/unknown purpose", issuerID: "roc", purpose: "refresh", list: 0, want: errValidation},
		{name: "error/negative list", issuerID: "roc", purpose: "revocation", list: -1, want: errValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			jws, err := w.svc.StatusListCredential(ctx, tc.issuerID, tc.purpose, tc.list)
			checkErr(t, err, tc.want)
			if err != nil {
				return
			}
			p, err := credential.ParseStatusList(jws)
			if err != nil {
				t.Fatal(err)
			}
			if p.List.Len() < statuslist.MinBits || p.List.Count() != 0 {
				t.Fatalf("list of %d bits with %d set, want >= %d and none", p.List.Len(), p.List.Count(), statuslist.MinBits)
			}
			if p.Credential.CredentialSubject.TTL != (5 * time.Minute).Milliseconds() {
				t.Fatalf("ttl %d ms, want 5 minutes", p.Credential.CredentialSubject.TTL)
			}
		})
	}
}

// TestStatusListCache: a list is re-signed only when status or keys
// changed or half its validity passed. ES256 signatures are randomised,
// so an identical JWS proves it came from the cache.
func TestStatusListCache(t *testing.T) {
	w := newWorld(t)
	rec := w.issue(nil).Record
	fetch := func() string {
		t.Helper()
		jws, err := w.svc.StatusListCredential(ctx, "roc", "revocation", rec.StatusList)
		if err != nil {
			t.Fatal(err)
		}
		return jws
	}
	first := fetch()
	if fetch() != first {
		t.Fatal("re-signed without any change")
	}
	w.clk.Advance(2*time.Minute + 30*time.Second)
	second := fetch()
	if second == first {
		t.Fatal("not re-signed after half the ttl")
	}
	if _, err := w.svc.ChangeStatus(ctx, rocClient, "", "roc", rec.ID, ActionRevoke, "fraud"); err != nil {
		t.Fatal(err)
	}
	if fetch() == second {
		t.Fatal("not re-signed after a revocation")
	}
	if !w.statusBit(t, rec, statuslist.PurposeRevocation) {
		t.Fatal("revocation not in the published list")
	}
	third := fetch()
	zero := time.Duration(0)
	if _, err := w.svc.RotateKey(ctx, rocClient, "", "roc", "", &zero); err != nil {
		t.Fatal(err)
	}
	fourth := fetch()
	p, err := credential.ParseStatusList(fourth)
	if err != nil {
		t.Fatal(err)
	}
	if fourth == third || p.Header.Kid == rec.Kid {
		t.Fatal("not re-signed with the new key after a rotation")
	}
}
