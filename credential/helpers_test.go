package credential

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
)

const (
	testBase     = "https://skillpass.example"
	testIssuerID = "opleider"
	testSectorID = "installatie"
	testUUID     = "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"
)

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// errInvalid in a test table means "a *model.ValidationError naming field".
var errInvalid = modeltest.ErrValidation

// testKey is an issuer key made the way the issuer makes them.
type testKey struct {
	signer crypto.Signer
	alg    keys.Algorithm
	kid    string
	jwk    jose.JSONWebKey // public, with kid and alg
	key    keys.Key
}

func newTestKey(t testing.TB, alg keys.Algorithm) testKey {
	t.Helper()
	kek, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.NewKey(alg, kek, testIssuerID, testNow)
	if err != nil {
		t.Fatal(err)
	}
	s, err := k.Signer(kek, testIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{signer: s, alg: alg, kid: k.Kid, jwk: k.PublicJWK, key: k}
}

func testProfile(t testing.TB) *model.ProfileVersion {
	t.Helper()
	p := modeltest.Profile(testSectorID, "monteur")
	d, err := model.ProfileDigest(p)
	if err != nil {
		t.Fatal(err)
	}
	p.Digest = d
	p.State = model.ProfilePublished
	return p
}

func testInput(t testing.TB) BuildInput {
	t.Helper()
	return BuildInput{
		BaseURL:      testBase,
		Issuer:       modeltest.Issuer(testIssuerID),
		Sector:       modeltest.Sector(testSectorID),
		Profile:      testProfile(t),
		CredentialID: testUUID,
		HolderID:     "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
		Skills: []Skill{
			{CompetencyID: "warmtepomp-installeren", LevelID: "2", Method: "PRACTICAL_ASSESSMENT", Evidence: []EvidenceRef{
				{URL: "https://evidence.example/portfolio/123", Name: "Praktijkopdracht", Digest: "sha256:" + hexOf(sha256.Sum256([]byte("doc")))},
			}},
			{CompetencyID: "koudemiddelen", LevelID: "basis", Method: "EXAM"},
		},
		StatusList:  0,
		StatusIndex: 4242,
		ValidFrom:   testNow,
		ValidUntil:  testNow.AddDate(3, 0, 0),
		IssuedAt:    testNow,
	}
}

func hexOf(b [32]byte) string { return hex.EncodeToString(b[:]) }

func testCredential(t testing.TB) *Credential {
	t.Helper()
	c, err := New(testInput(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func signTest(t testing.TB, c *Credential, k testKey) string {
	t.Helper()
	s, err := Sign(c, k.signer, k.alg, k.kid)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rawToken signs any header and payload bytes, bypassing every check of
// Sign, so hostile tokens carry a genuine signature and fail only for the
// reason under test.
func rawToken(t testing.TB, k testKey, header, payload []byte) string {
	t.Helper()
	input := b64(header) + "." + b64(payload)
	return input + "." + b64(rawSignature(t, k, []byte(input)))
}

func rawSignature(t testing.TB, k testKey, input []byte) []byte {
	t.Helper()
	switch priv := k.signer.(type) {
	case *ecdsa.PrivateKey:
		sum := sha256.Sum256(input)
		der, err := priv.Sign(rand.Reader, sum[:], crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		var sig struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(der, &sig); err != nil {
			t.Fatal(err)
		}
		out := make([]byte, 64)
		sig.R.FillBytes(out[:32])
		sig.S.FillBytes(out[32:])
		return out
	case ed25519.PrivateKey:
		return ed25519.Sign(priv, input)
	}
	t.Fatalf("unsupported test signer %T", k.signer)
	return nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// header returns the JSON of a protected header: the valid one for k with
// changes applied (a nil value deletes the member).
func header(t testing.TB, k testKey, changes map[string]any) []byte {
	t.Helper()
	h := map[string]any{"alg": string(k.alg), "kid": k.kid, "typ": TypVC, "cty": CtyVC}
	for name, v := range changes {
		if v == nil {
			delete(h, name)
			continue
		}
		h[name] = v
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustVerify parses tok and verifies it with k's public key, failing the
// test on any error.
func mustVerify(t testing.TB, tok string, k testKey) *Parsed {
	t.Helper()
	p, err := Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(&k.jwk); err != nil {
		t.Fatal(err)
	}
	return p
}

// payloadOf is the JSON of c, as Sign would write it.
func payloadOf(t testing.TB, c any) []byte {
	t.Helper()
	b, err := jsonMarshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkErr fails unless err matches want: nil, errInvalid (then field must
// be among the violations) or a sentinel matched with errors.Is.
func checkErr(t *testing.T, err, want error, field string) {
	t.Helper()
	modeltest.CheckErrField(t, err, want, field)
}
