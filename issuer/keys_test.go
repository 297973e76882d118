package issuer

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

func TestKeyAuthorization(t *testing.T) {
	w := newWorld(t)
	zero := time.Duration(0)
	tests := []struct {
		name  string
		actor model.Principal
		want  error
	}{
		{name: "ok/issuer client", actor: rocClient},
		{name: "ok/root", actor: root},
		{name: "error/other issuer's client", actor: otherClient, want: model.ErrPermissionDenied},
		{name: "error/sector authority", actor: installAuth, want: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, want: model.ErrUnauthenticated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.ListKeys(ctx, tc.actor, "roc")
			checkErr(t, err, tc.want)
			_, err = w.svc.RotateKey(ctx, tc.actor, "", "roc", "", &zero)
			checkErr(t, err, tc.want)
			set, err := w.svc.ListKeys(ctx, rocClient, "roc")
			if err != nil {
				t.Fatal(err)
			}
			k, err := keys.SigningKey(set, w.clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.svc.CompromiseKey(ctx, tc.actor, "", "roc", k.Kid, "test")
			checkErr(t, err, tc.want)
			if err == nil {
				// Leave roc a signing key for the next case.
				if _, err := w.svc.RotateKey(ctx, root, "", "roc", "", &zero); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestRotateKeyStaged(t *testing.T) {
	w := newWorld(t)
	before := w.issue(nil)
	set, err := w.svc.RotateKey(ctx, rocClient, "", "roc", keys.EdDSA, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != 2 || set[1].State != keys.StatePending || set[1].Alg != keys.EdDSA {
		t.Fatalf("after rotation: %d keys, new one %s %s; want a pending EdDSA key", len(set), set[len(set)-1].State, set[len(set)-1].Alg)
	}
	jwks, err := w.svc.JWKS(ctx, "roc")
	if err != nil || len(jwks.Keys) != 2 {
		t.Fatalf("JWKS: %v, %d keys; the pending key must be published at once", err, len(jwks.Keys))
	}
	_, err = w.svc.RotateKey(ctx, rocClient, "", "roc", "", nil)
	checkErr(t, err, keys.ErrRotationPending)

	if got := w.issue(nil); got.Record.Kid != before.Record.Kid {
		t.Fatal("the pending key signed before its publish delay passed")
	}
	w.clk.Advance(keys.DefaultPolicy().PublishDelay)
	after := w.issue(nil)
	if after.Record.Kid != set[1].Kid {
		t.Fatalf("signed with %s after the delay, want the new key %s", after.Record.Kid, set[1].Kid)
	}
	p, err := credential.Parse(after.JWS)
	if err != nil || p.Header.Alg != string(keys.EdDSA) {
		t.Fatalf("new credential: %v, alg %s", err, p.Header.Alg)
	}
	listed, err := w.svc.ListKeys(ctx, rocClient, "roc")
	if err != nil {
		t.Fatal(err)
	}
	if listed[0].State != keys.StateRetired || listed[1].State != keys.StateActive {
		t.Fatalf("states %s, %s; want RETIRED, ACTIVE", listed[0].State, listed[1].State)
	}
	// The retired key still verifies what it signed.
	checkIssued(t, w, request(), before)
}

func TestRotateKeyRequests(t *testing.T) {
	w := newWorld(t)
	negative := -time.Second
	zero := time.Duration(0)
	tests := []struct {
		name      string
		requestID string
		issuerID  string
		alg       keys.Algorithm
		delay     *time.Duration
		want      error
		keys      int // keys in the set afterwards
	}{
		{name: "ok/rotate", requestID: "rot-1", issuerID: "roc", delay: &zero, keys: 2},
		{name: "ok/replay adds no key", requestID: "rot-1", issuerID: "roc", delay: &zero, keys: 2},
		{name: "error/same id, other algorithm", requestID: "rot-1", issuerID: "roc", alg: keys.EdDSA, delay: &zero, want: model.ErrRequestIDReused},
		{name: "error/unknown algorithm", issuerID: "roc", alg: "RS256", want: errValidation},
		{name: "error/negative delay", issuerID: "roc", delay: &negative, want: errValidation},
		{name: "error/unknown issuer", issuerID: "ghost", want: model.ErrIssuerUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set, err := w.svc.RotateKey(ctx, root, tc.requestID, tc.issuerID, tc.alg, tc.delay)
			checkErr(t, err, tc.want)
			if err == nil && len(set) != tc.keys {
				t.Fatalf("%d keys, want %d", len(set), tc.keys)
			}
		})
	}
}

func TestCompromiseKey(t *testing.T) {
	w := newWorld(t)
	out := w.issue(nil)
	kid := out.Record.Kid
	tests := []struct {
		name   string
		kid    string
		reason string
		want   error
	}{
		{name: "error/no reason", kid: kid, want: errValidation},
		{name: "error/unknown kid", kid: "nope", reason: "x", want: keys.ErrKeyUnknown},
		{name: "ok/compromise", kid: kid, reason: "private key leaked"},
		{name: "error/already compromised", kid: kid, reason: "again", want: model.ErrInvalidTransition},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set, err := w.svc.CompromiseKey(ctx, rocClient, "", "roc", tc.kid, tc.reason)
			checkErr(t, err, tc.want)
			if err != nil {
				return
			}
			k, ok := keys.Find(set, kid)
			if !ok || k.State != keys.StateCompromised || k.CompromiseReason != tc.reason {
				t.Fatalf("key %s: %s (%q), want COMPROMISED with the reason", kid, k.State, k.CompromiseReason)
			}
			jwks, err := w.svc.JWKS(ctx, "roc")
			if err != nil || len(jwks.Key(kid)) != 0 {
				t.Fatalf("JWKS (%v) still publishes the compromised key", err)
			}
		})
	}
	// The signer of the compromised key was cached by the first issuance;
	// it must not sign again.
	_, err := w.svc.Issue(ctx, rocClient, request())
	checkErr(t, err, keys.ErrNoSigningKey)
	_, err = w.svc.StatusListCredential(ctx, "roc", "revocation", out.Record.StatusList)
	checkErr(t, err, keys.ErrNoSigningKey)
}
