package credential

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/skillpass-nl/skillpass/keys"
)

// TestInteropJWX verifies Skillpass credentials with an independent JOSE
// implementation (lestrrat-go/jwx) that knows nothing but the published
// JWKS as JSON, the way a third-party verifier would.
func TestInteropJWX(t *testing.T) {
	es := newTestKey(t, "ES256")
	ed := newTestKey(t, "EdDSA")
	set, err := keys.JWKS(keys.Set{es.key, ed.key})
	if err != nil {
		t.Fatal(err)
	}
	published, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	jwxSet, err := jwk.Parse(published)
	if err != nil {
		t.Fatalf("jwx cannot read the published JWKS: %v\n%s", err, published)
	}
	if jwxSet.Len() != 2 {
		t.Fatalf("jwx sees %d keys, want 2", jwxSet.Len())
	}

	for _, k := range []testKey{es, ed} {
		t.Run("ok/"+string(k.alg), func(t *testing.T) {
			tok := signTest(t, testCredential(t), k)
			payload, err := jws.Verify([]byte(tok), jws.WithKeySet(jwxSet, jws.WithRequireKid(true)))
			if err != nil {
				t.Fatalf("jwx rejects a Skillpass credential: %v", err)
			}
			var claims map[string]json.RawMessage
			if err := json.Unmarshal(payload, &claims); err != nil {
				t.Fatal(err)
			}
			if _, ok := claims["vc"]; ok {
				t.Error(`payload has a "vc" claim; VC-JOSE-COSE forbids it`)
			}
			var iss, issuer struct{ ID string }
			if err := json.Unmarshal(claims["iss"], &iss.ID); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(claims["issuer"], &issuer); err != nil {
				t.Fatal(err)
			}
			if iss.ID == "" || iss.ID != issuer.ID {
				t.Errorf("iss %q, issuer.id %q: want equal", iss.ID, issuer.ID)
			}

			msg, err := jws.Parse([]byte(tok))
			if err != nil {
				t.Fatal(err)
			}
			h := msg.Signatures()[0].ProtectedHeaders()
			typ, _ := h.Type()
			cty, _ := h.ContentType()
			kid, _ := h.KeyID()
			if typ != TypVC || cty != CtyVC || kid != k.kid {
				t.Errorf("jwx reads header typ %q cty %q kid %q", typ, cty, kid)
			}
		})
		t.Run("error/tampered "+string(k.alg), func(t *testing.T) {
			parts := strings.Split(signTest(t, testCredential(t), k), ".")
			c := testCredential(t)
			c.CredentialSubject.Result[1].AssessmentMethod = "OTHER"
			c.Evidence = nil
			tampered := parts[0] + "." + b64(payloadOf(t, c)) + "." + parts[2]
			if _, err := jws.Verify([]byte(tampered), jws.WithKeySet(jwxSet, jws.WithRequireKid(true))); err == nil {
				t.Fatal("jwx accepts a tampered credential")
			}
		})
	}
}
