package credential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

func TestVerify(t *testing.T) {
	es := newTestKey(t, "ES256")
	ed := newTestKey(t, "EdDSA")
	otherES := newTestKey(t, "ES256")
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	withAlg := func(k jose.JSONWebKey, alg string) *jose.JSONWebKey { k.Algorithm = alg; return &k }
	private := func(k testKey) *jose.JSONWebKey { return &jose.JSONWebKey{Key: k.signer, KeyID: k.kid} }

	tests := []struct {
		name  string
		token func(t *testing.T) string
		key   *jose.JSONWebKey
		want  error
	}{
		{"ok/es256", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, &es.jwk, nil},
		{"ok/eddsa", func(t *testing.T) string { return signTest(t, testCredential(t), ed) }, &ed.jwk, nil},
		{"ok/key without alg member", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, withAlg(es.jwk, ""), nil},
		{"ok/private key given, public part used", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, private(es), nil},
		{"error/another issuer's key", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, &otherES.jwk, ErrSignatureInvalid},
		{"error/eddsa key for es256 token", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, &ed.jwk, ErrUnsupportedAlg},
		{"error/es256 key for eddsa token", func(t *testing.T) string { return signTest(t, testCredential(t), ed) }, &es.jwk, ErrUnsupportedAlg},
		{"error/key alg member disagrees", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, withAlg(es.jwk, "ES384"), ErrUnsupportedAlg},
		{"error/p-384 key", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, &jose.JSONWebKey{Key: &p384.PublicKey}, ErrUnsupportedAlg},
		{"error/symmetric key", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, &jose.JSONWebKey{Key: []byte("secret")}, ErrUnsupportedAlg},
		{"error/no key", func(t *testing.T) string { return signTest(t, testCredential(t), es) }, nil, ErrSignatureInvalid},
		{"error/signature altered", func(t *testing.T) string { return flipLast(signTest(t, testCredential(t), es)) }, &es.jwk, ErrSignatureInvalid},
		{"error/eddsa signature altered", func(t *testing.T) string { return flipLast(signTest(t, testCredential(t), ed)) }, &ed.jwk, ErrSignatureInvalid},
		{"error/payload swapped", func(t *testing.T) string {
			// A genuine signature over one credential, moved onto another
			// that differs only in the level awarded.
			good := strings.Split(signTest(t, testCredential(t), es), ".")
			c := testCredential(t)
			r := &c.CredentialSubject.Result[0]
			r.Value, r.AchievedLevel = "1", strings.Replace(r.AchievedLevel, "level-2", "level-1", 1)
			return good[0] + "." + b64(payloadOf(t, c)) + "." + good[2]
		}, &es.jwk, ErrSignatureInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token(t)
			p, err := Parse(tok)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = p.Verify(tt.key)
			t.Logf("Verify: %v", err)
			checkErr(t, err, tt.want, "")
			// The signature check agrees with go-jose's own wherever the
			// key was fit for the token's algorithm.
			if tt.key != nil && !errors.Is(err, ErrUnsupportedAlg) {
				jws, joseErr := jose.ParseSignedCompact(tok, allowedAlgs)
				if joseErr == nil {
					_, joseErr = jws.Verify(tt.key.Public().Key)
				}
				if (joseErr == nil) != (err == nil) {
					t.Errorf("Verify = %v but go-jose Verify = %v", err, joseErr)
				}
			}
		})
	}
}

// flipLast changes the last signature character to another base64url
// character that keeps the padding bits zero.
func flipLast(tok string) string {
	i := len(tok) - 2 // the last character may carry padding bits
	c := byte('A')
	if tok[i] == 'A' {
		c = 'B'
	}
	return tok[:i] + string(c) + tok[i+1:]
}

func TestVerifyUnparsed(t *testing.T) {
	k := newTestKey(t, "ES256")
	var p *Parsed
	checkErr(t, p.Verify(&k.jwk), ErrSignatureInvalid, "")
	checkErr(t, (&Parsed{}).Verify(&k.jwk), ErrSignatureInvalid, "")
}
