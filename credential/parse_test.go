package credential

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
)

// hostile builds a token for one test case from the test keys.
type hostile func(t testing.TB, k testKey) string

// withCred signs (raw) the test credential after mutate changed it.
func withCred(mutate func(c *Credential)) hostile {
	return func(t testing.TB, k testKey) string {
		c := testCredential(t)
		mutate(c)
		return rawToken(t, k, header(t, k, nil), payloadOf(t, c))
	}
}

// withPayload signs (raw) the test credential's JSON after edit rewrote it.
func withPayload(edit func(p []byte) []byte) hostile {
	return func(t testing.TB, k testKey) string {
		return rawToken(t, k, header(t, k, nil), edit(payloadOf(t, testCredential(t))))
	}
}

// withHeader signs (raw) the test credential under a changed header.
func withHeader(changes map[string]any) hostile {
	return func(t testing.TB, k testKey) string {
		return rawToken(t, k, header(t, k, changes), payloadOf(t, testCredential(t)))
	}
}

// withRawHeader signs (raw) the test credential under a literal header.
func withRawHeader(h string) hostile {
	return func(t testing.TB, k testKey) string {
		return rawToken(t, k, []byte(strings.ReplaceAll(h, "KID", k.kid)), payloadOf(t, testCredential(t)))
	}
}

// valid is a correctly signed token, optionally changed as a string.
func valid(edit func(tok string) string) hostile {
	return func(t testing.TB, k testKey) string { return edit(signTest(t, testCredential(t), k)) }
}

// insertTop adds raw members at the start of the top-level object.
func insertTop(members string) func([]byte) []byte {
	return func(p []byte) []byte { return append([]byte("{"+members+","), p[1:]...) }
}

func replaceOnce(old, new string) func([]byte) []byte {
	return func(p []byte) []byte { return bytes.Replace(p, []byte(old), []byte(new), 1) }
}

type parseCase struct {
	name  string
	token hostile
	want  error
}

// parseCases are the tokens of TestParse, also the fuzz seeds.
func parseCases() []parseCase {
	return []parseCase{
		{"ok/signed by Sign", valid(func(s string) string { return s }), nil},
		{"ok/holder key bound", withCred(func(c *Credential) {
			priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			c.Cnf = &Confirmation{JWK: &jose.JSONWebKey{Key: &priv.PublicKey}}
		}), nil},
		{"ok/no validUntil", withCred(func(c *Credential) { c.ValidUntil = "" }), nil},
		{"ok/validFrom with offset", withCred(func(c *Credential) { c.ValidFrom = "2026-11-26T13:00:00+01:00" }), nil},

		{"error/oversized", func(testing.TB, testKey) string { return strings.Repeat("A", MaxTokenBytes+1) }, ErrTooLarge},
		{"error/two parts", valid(func(s string) string { return s[:strings.LastIndex(s, ".")] }), ErrMalformed},
		{"error/four parts", valid(func(s string) string { return s + ".AAAA" }), ErrMalformed},
		{"error/trailing data after token", valid(func(s string) string { return s + " " }), ErrMalformed},
		{"error/line break in token", valid(func(s string) string { return s[:10] + "\n" + s[10:] }), ErrMalformed},
		{"error/padding", valid(func(s string) string { return s + "=" }), ErrMalformed},
		{"error/non-zero padding bits", valid(func(s string) string {
			// Same signature bytes to a lax decoder, another spelling.
			i := strings.IndexByte(base64URLAlphabet, s[len(s)-1])
			return s[:len(s)-1] + string(base64URLAlphabet[i|1])
		}), ErrMalformed},
		{"error/detached payload", valid(func(s string) string {
			p := strings.Split(s, ".")
			return p[0] + ".." + p[2]
		}), ErrMalformed},
		{"error/only dots", valid(func(string) string { return ".." }), ErrMalformed},
		{"error/empty", valid(func(string) string { return "" }), ErrMalformed},
		{"error/two signatures (JSON serialisation)", jsonSerialisation, ErrMalformed},
		{"error/header not json", withRawHeader(`not json`), ErrMalformed},
		{"error/header is an array", withRawHeader(`["ES256"]`), ErrMalformed},
		{"error/header repeats alg", withRawHeader(`{"alg":"ES256","alg":"none","kid":"KID","typ":"vc+jwt","cty":"vc"}`), ErrMalformed},

		{"error/alg none", func(t testing.TB, k testKey) string {
			return b64(header(t, k, map[string]any{"alg": "none"})) + "." + b64(payloadOf(t, testCredential(t))) + "."
		}, ErrUnsupportedAlg},
		{"error/alg none with a signature", withHeader(map[string]any{"alg": "none"}), ErrUnsupportedAlg},
		{"error/hs256 with public key", hs256WithPublicKey, ErrUnsupportedAlg},
		{"error/rs256", withHeader(map[string]any{"alg": "RS256"}), ErrUnsupportedAlg},
		{"error/es384", withHeader(map[string]any{"alg": "ES384"}), ErrUnsupportedAlg},
		{"error/alg lower case", withHeader(map[string]any{"alg": "es256"}), ErrUnsupportedAlg},
		{"error/alg missing", withHeader(map[string]any{"alg": nil}), ErrUnsupportedAlg},
		{"error/alg not a string", withHeader(map[string]any{"alg": 7}), ErrUnsupportedAlg},

		{"error/jku header", withHeader(map[string]any{"jku": "https://attacker.example/jwks"}), ErrForbiddenHeader},
		{"error/x5u header", withHeader(map[string]any{"x5u": "https://attacker.example/cert"}), ErrForbiddenHeader},
		{"error/x5c header", withHeader(map[string]any{"x5c": []string{"MIIB"}}), ErrForbiddenHeader},
		{"error/jwk header", withHeader(map[string]any{"jwk": map[string]string{"kty": "oct", "k": "c2VjcmV0"}}), ErrForbiddenHeader},
		{"error/crit header", withHeader(map[string]any{"crit": []string{"exp"}, "exp": 1}), ErrForbiddenHeader},
		{"error/b64 false", withHeader(map[string]any{"b64": false, "crit": []string{"b64"}}), ErrForbiddenHeader},
		{"error/x5t header", withHeader(map[string]any{"x5t": "abc"}), ErrForbiddenHeader},
		{"error/zip header", withHeader(map[string]any{"zip": "DEF"}), ErrForbiddenHeader},
		{"error/unknown header", withHeader(map[string]any{"iss": "https://attacker.example"}), ErrForbiddenHeader},

		{"error/wrong typ", withHeader(map[string]any{"typ": "JWT"}), ErrWrongType},
		{"error/sd-jwt typ", withHeader(map[string]any{"typ": "dc+sd-jwt"}), ErrWrongType},
		{"error/typ missing", withHeader(map[string]any{"typ": nil}), ErrWrongType},
		{"error/wrong cty", withHeader(map[string]any{"cty": "json"}), ErrWrongType},
		{"error/cty missing", withHeader(map[string]any{"cty": nil}), ErrWrongType},
		{"error/kid missing", withHeader(map[string]any{"kid": nil}), ErrMissingKid},
		{"error/kid empty", withHeader(map[string]any{"kid": ""}), ErrMissingKid},
		{"error/kid not a string", withHeader(map[string]any{"kid": 1}), ErrMissingKid},
		{"error/kid too long", withHeader(map[string]any{"kid": strings.Repeat("k", maxKidLength+1)}), ErrMalformed},

		{"error/payload not json", withPayload(func([]byte) []byte { return []byte("hello") }), ErrPayloadNotJSON},
		{"error/payload is an array", withPayload(func(p []byte) []byte { return append(append([]byte("["), p...), ']') }), ErrPayloadNotJSON},
		{"error/payload truncated", withPayload(func(p []byte) []byte { return p[:len(p)-1] }), ErrPayloadNotJSON},
		{"error/trailing data", withPayload(func(p []byte) []byte { return append(p, []byte(`{}`)...) }), ErrPayloadNotJSON},
		{"error/payload not utf-8", withPayload(replaceOnce("Opleidingscentrum", "Opleidings\xffcentrum")), ErrPayloadNotJSON},
		{"error/nested too deep", withPayload(insertTop(`"x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40))), ErrPayloadNotJSON},
		{"error/duplicate key", withPayload(insertTop(`"iss":"https://attacker.example/issuers/x"`)), ErrDuplicateKey},
		{"error/duplicate key nested", withPayload(replaceOnce(`"type":["AchievementSubject"]`, `"type":["AchievementSubject"],"id":"did:example:other"`)), ErrDuplicateKey},
		{"error/key differs only in case", withPayload(insertTop(`"ISS":"https://attacker.example/issuers/x"`)), ErrNotCredential},
		{"error/vc claim", withPayload(insertTop(`"vc":{}`)), ErrNotCredential},
		{"error/vp claim", withPayload(insertTop(`"vp":{}`)), ErrNotCredential},
		{"error/unknown member", withPayload(insertTop(`"exp":1`)), ErrNotCredential},
		{"error/member of wrong type", withPayload(replaceOnce(`"iat":`, `"iat":"1","x":`)), ErrNotCredential},

		{"error/context order", withCred(func(c *Credential) { c.Context[1], c.Context[2] = c.Context[2], c.Context[1] }), ErrNotCredential},
		{"error/context extra", withCred(func(c *Credential) { c.Context = append(c.Context, "https://attacker.example/ctx") }), ErrNotCredential},
		{"error/type lacks OpenBadgeCredential", withCred(func(c *Credential) { c.Type = []string{TypeVerifiableCredential} }), ErrNotCredential},
		{"error/id not urn:uuid", withCred(func(c *Credential) { c.ID = "https://example.org/c/1" }), ErrNotCredential},
		{"error/id upper-case uuid", withCred(func(c *Credential) { c.ID = strings.ToUpper(c.ID) }), ErrNotCredential},
		{"error/issuer id not https", withCred(func(c *Credential) { c.Issuer.ID = "http://x.example/issuers/a"; c.Iss = c.Issuer.ID }), ErrNotCredential},
		{"error/validFrom without zone", withCred(func(c *Credential) { c.ValidFrom = "2026-11-26T12:00:00" }), ErrNotCredential},
		{"error/validFrom missing", withCred(func(c *Credential) { c.ValidFrom = "" }), ErrNotCredential},
		{"error/validUntil before validFrom", withCred(func(c *Credential) { c.ValidUntil = "2020-01-01T00:00:00Z" }), ErrNotCredential},
		{"error/holder id is an e-mail address", withCred(func(c *Credential) { c.CredentialSubject.ID = "urn:mail:jan@example.nl" }), ErrNotCredential},
		{"error/no achievements", withCred(func(c *Credential) {
			c.CredentialSubject.Achievement, c.CredentialSubject.Result, c.Evidence = nil, nil, nil
		}), ErrNotCredential},
		{"error/result missing", withCred(func(c *Credential) { c.CredentialSubject.Result = c.CredentialSubject.Result[:1] }), ErrNotCredential},
		{"error/level not on the scale", withCred(func(c *Credential) {
			r := &c.CredentialSubject.Result[0]
			r.AchievedLevel, r.Value = strings.Replace(r.AchievedLevel, "-level-2", "-level-9", 1), "9"
		}), ErrNotCredential},
		{"error/value differs from achieved level", withCred(func(c *Credential) { c.CredentialSubject.Result[0].Value = "1" }), ErrNotCredential},
		{"error/unknown assessment method", withCred(func(c *Credential) { c.CredentialSubject.Result[1].AssessmentMethod = "HEARSAY" }), ErrNotCredential},
		{"error/achievement not a competency", withCred(func(c *Credential) { c.CredentialSubject.Achievement[0].AchievementType = "Badge" }), ErrNotCredential},
		{"error/one status entry", withCred(func(c *Credential) { c.CredentialStatus = c.CredentialStatus[:1] }), ErrNotCredential},
		{"error/two revocation entries", withCred(func(c *Credential) { c.CredentialStatus[1] = c.CredentialStatus[0] }), ErrNotCredential},
		{"error/status indexes differ", withCred(func(c *Credential) { c.CredentialStatus[1].StatusListIndex = "7" }), ErrNotCredential},
		{"error/status index malformed", withCred(func(c *Credential) { c.CredentialStatus[0].StatusListIndex = "-1" }), ErrNotCredential},
		{"error/two related resources", withCred(func(c *Credential) { c.RelatedResource = append(c.RelatedResource, c.RelatedResource[0]) }), ErrNotCredential},
		{"error/digestSRI malformed", withCred(func(c *Credential) { c.RelatedResource[0].DigestSRI = "sha256-abc" }), ErrNotCredential},
		{"error/evidence not https", withCred(func(c *Credential) { c.Evidence[0].ID = "http://evidence.example/1" }), ErrNotCredential},
		{"error/evidence for another competency", withCred(func(c *Credential) { c.Evidence[0].Competency = "https://x.example/#y" }), ErrNotCredential},
		{"error/evidence digest malformed", withCred(func(c *Credential) { c.Evidence[0].DigestMultibase = "uAAAA" }), ErrNotCredential},
		{"error/iss differs from issuer", withCred(func(c *Credential) { c.Iss = testBase + "/issuers/other" }), ErrIssuerMismatch},
		{"error/iss missing", withCred(func(c *Credential) { c.Iss = "" }), ErrIssuerMismatch},
		{"error/iat zero", withCred(func(c *Credential) { c.Iat = 0 }), ErrNotCredential},
		{"error/cnf carries a private key", withCred(func(c *Credential) {
			priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			c.Cnf = &Confirmation{JWK: &jose.JSONWebKey{Key: priv}}
		}), ErrNotCredential},
		{"error/cnf without jwk", withCred(func(c *Credential) { c.Cnf = &Confirmation{} }), ErrNotCredential},
	}
}

func TestParse(t *testing.T) {
	tests := parseCases()
	for _, alg := range []string{"ES256", "EdDSA"} {
		k := newTestKey(t, keys.Algorithm(alg))
		for _, tt := range tests {
			t.Run(alg+"/"+tt.name, func(t *testing.T) {
				tok := tt.token(t, k)
				p, err := Parse(tok)
				t.Logf("Parse: %v", err)
				checkErr(t, err, tt.want, "")
				if err != nil {
					if p != nil {
						t.Fatal("Parse returned a token and an error")
					}
					return
				}
				if p.TokenHash != wantTokenHash(t, tok) {
					t.Error("TokenHash is not the SHA-256 of the compact token (or of its low-s twin)")
				}
				if p.Header != (Header{Alg: alg, Kid: k.kid, Typ: TypVC, Cty: CtyVC}) {
					t.Errorf("Header = %+v", p.Header)
				}
				if err := p.Verify(&k.jwk); err != nil {
					t.Errorf("Verify: %v", err)
				}
			})
		}
	}
}

// jsonSerialisation is the test credential as a JWS JSON serialisation
// with two signatures, which a compact parser must refuse.
func jsonSerialisation(t testing.TB, k testKey) string {
	tok := signTest(t, testCredential(t), k)
	p := strings.Split(tok, ".")
	b, err := json.Marshal(map[string]any{
		"payload": p[1],
		"signatures": []map[string]string{
			{"protected": p[0], "signature": p[2]},
			{"protected": p[0], "signature": p[2]},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// hs256WithPublicKey is the key-confusion attack: an HMAC token keyed with
// the issuer's public key bytes, which a careless verifier would check
// with HMAC and accept.
func hs256WithPublicKey(t testing.TB, k testKey) string {
	pub, err := x509.MarshalPKIXPublicKey(k.signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	input := b64(header(t, k, map[string]any{"alg": "HS256"})) + "." + b64(payloadOf(t, testCredential(t)))
	mac := hmac.New(sha256.New, pub)
	mac.Write([]byte(input))
	return input + "." + b64(mac.Sum(nil))
}
