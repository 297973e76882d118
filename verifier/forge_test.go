package verifier

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"

	"github.com/skillpass-nl/skillpass/keys"
)

// Forging: hostile tokens are built here byte by byte, since no honest
// signer would produce them.

var b64 = base64.RawURLEncoding

// parts splits a compact JWS into its decoded header and payload.
func parts(t testing.TB, tok string) (map[string]any, []byte) {
	t.Helper()
	p := strings.Split(tok, ".")
	h, err := b64.DecodeString(p[0])
	if err != nil {
		t.Fatal(err)
	}
	var header map[string]any
	if err := json.Unmarshal(h, &header); err != nil {
		t.Fatal(err)
	}
	payload, err := b64.DecodeString(p[1])
	if err != nil {
		t.Fatal(err)
	}
	return header, payload
}

// signRaw signs header and payload as a compact JWS with the ES256 key k
// of issuerID, whatever the header says.
func (w *world) signRaw(header map[string]any, payload []byte, issuerID string, k keys.Key) string {
	w.t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		w.t.Fatal(err)
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(payload)
	signer, err := k.Signer(w.kek, issuerID)
	if err != nil {
		w.t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(input))
	der, err := signer.Sign(rand.Reader, digest[:], nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return input + "." + b64.EncodeToString(rawECDSA(w.t, der))
}

// rawECDSA turns an ASN.1 ECDSA signature into JWS's r || s.
func rawECDSA(t testing.TB, der []byte) []byte {
	t.Helper()
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 64)
	sig.R.FillBytes(out[:32])
	sig.S.FillBytes(out[32:])
	return out
}

// resign mints a valid roc token, lets edit change its header and
// payload, and signs the result with roc's key.
func (w *world) resign(edit func(h map[string]any, payload []byte) []byte) string {
	w.t.Helper()
	h, p := parts(w.t, w.mint())
	p = edit(h, p)
	return w.signRaw(h, p, rocID, w.signingKey(rocID, w.clk.Now()))
}

func withHeader(name string, value any) func(*world) string {
	return func(w *world) string {
		return w.resign(func(h map[string]any, p []byte) []byte { h[name] = value; return p })
	}
}

func withPayload(edit func([]byte) []byte) func(*world) string {
	return func(w *world) string {
		return w.resign(func(_ map[string]any, p []byte) []byte { return edit(p) })
	}
}

// insertTop adds a member at the start of the payload object.
func insertTop(member string) func([]byte) []byte {
	return func(p []byte) []byte { return []byte("{" + member + "," + string(p[1:])) }
}

// algNone is an unsecured JWS: alg none and an empty signature.
func algNone(w *world) string {
	h, p := parts(w.t, w.mint())
	h["alg"] = "none"
	hb, _ := json.Marshal(h)
	return b64.EncodeToString(hb) + "." + b64.EncodeToString(p) + "."
}

// hs256WithPublicKey is the classic key-confusion attack: an HMAC keyed
// with the issuer's public key, which anyone can fetch.
func hs256WithPublicKey(w *world) string {
	h, p := parts(w.t, w.mint())
	k := w.signingKey(rocID, w.clk.Now())
	pub, err := json.Marshal(k.PublicJWK)
	if err != nil {
		w.t.Fatal(err)
	}
	h["alg"] = "HS256"
	hb, _ := json.Marshal(h)
	input := b64.EncodeToString(hb) + "." + b64.EncodeToString(p)
	mac := hmac.New(sha256.New, pub)
	mac.Write([]byte(input))
	return input + "." + b64.EncodeToString(mac.Sum(nil))
}

// twoSignatures signs a valid payload with both issuers' keys in the JWS
// JSON serialisation, the only one that can carry several signatures.
func twoSignatures(w *world) string {
	_, p := parts(w.t, w.mint())
	var sks []jose.SigningKey
	for _, id := range []string{rocID, otherID} {
		k := w.signingKey(id, w.clk.Now())
		s, err := k.Signer(w.kek, id)
		if err != nil {
			w.t.Fatal(err)
		}
		sks = append(sks, jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: cryptosigner.Opaque(s), KeyID: k.Kid}})
	}
	ms, err := jose.NewMultiSigner(sks, (&jose.SignerOptions{}).WithType("vc+jwt").WithContentType("vc"))
	if err != nil {
		w.t.Fatal(err)
	}
	obj, err := ms.Sign(p)
	if err != nil {
		w.t.Fatal(err)
	}
	return obj.FullSerialize()
}

// edHeaderOnES256Key claims EdDSA in the header while naming roc's ES256
// key: the algorithm must come from the key, never from the token.
func edHeaderOnES256Key(w *world) string {
	return w.resign(func(h map[string]any, p []byte) []byte { h["alg"] = "EdDSA"; return p })
}
