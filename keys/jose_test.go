package keys

import (
	"bytes"
	"crypto"
	"encoding/json"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

func TestNewJOSESignerVerifiesWithPublishedJWK(t *testing.T) {
	kek := testKEK(t)
	payload := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]}`)
	headers := map[jose.HeaderKey]any{"typ": "vc+jwt", "cty": "vc"}
	for _, alg := range []Algorithm{ES256, EdDSA} {
		t.Run("ok/"+string(alg), func(t *testing.T) {
			k := testKey(t, alg, kek, issuerA, t0)
			signer, err := k.Signer(kek, issuerA)
			if err != nil {
				t.Fatal(err)
			}
			js, err := NewJOSESigner(signer, string(alg), k.Kid, headers)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := js.Sign(payload)
			if err != nil {
				t.Fatal(err)
			}
			token, err := obj.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}

			// Verify the way an outside verifier would: from the JWKS as JSON.
			set, err := Rotate(nil, k, t0, Policy{Retention: 1, MaxKeys: 2})
			if err != nil {
				t.Fatal(err)
			}
			jwks, err := JWKS(set)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := json.Marshal(jwks)
			if err != nil {
				t.Fatal(err)
			}
			var published jose.JSONWebKeySet
			if err := json.Unmarshal(doc, &published); err != nil {
				t.Fatal(err)
			}
			parsed, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			if err != nil {
				t.Fatal(err)
			}
			if len(parsed.Signatures) != 1 {
				t.Fatalf("%d signatures; want 1", len(parsed.Signatures))
			}
			h := parsed.Signatures[0].Protected
			if h.KeyID != k.Kid || h.Algorithm != string(alg) || h.ExtraHeaders["typ"] != "vc+jwt" || h.ExtraHeaders["cty"] != "vc" {
				t.Errorf("protected header kid %q alg %q extra %v; want kid %s alg %s typ vc+jwt cty vc",
					h.KeyID, h.Algorithm, h.ExtraHeaders, k.Kid, alg)
			}
			if h.JSONWebKey != nil {
				t.Error("token embeds a jwk header; keys must be found by kid only")
			}
			keys := published.Key(h.KeyID)
			if len(keys) != 1 {
				t.Fatalf("JWKS has %d keys for kid %s; want 1", len(keys), h.KeyID)
			}
			got, err := parsed.Verify(keys[0])
			if err != nil {
				t.Fatalf("signature does not verify with the published JWK: %v", err)
			}
			if !bytes.Equal(got, payload) {
				t.Errorf("verified payload %s; want %s", got, payload)
			}
			other := testKey(t, alg, kek, issuerA, t0)
			if _, err := parsed.Verify(other.PublicJWK); err == nil {
				t.Error("signature verifies with another key")
			}
		})
	}
}

func TestNewJOSESignerRefusesBadInput(t *testing.T) {
	kek := testKEK(t)
	k := testKey(t, ES256, kek, issuerA, t0)
	signer, err := k.Signer(kek, issuerA)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		signer    crypto.Signer
		alg       string
		kid       string
		headers   map[jose.HeaderKey]any
		wantErr   error
		wantField string
	}{
		{name: "ok", signer: signer, alg: "ES256", kid: k.Kid},
		{name: "error/nil signer", signer: nil, alg: "ES256", kid: k.Kid, wantErr: errInvalid, wantField: "signer"},
		{name: "error/no algorithm", signer: signer, alg: "", kid: k.Kid, wantErr: errInvalid, wantField: "algorithm"},
		{name: "error/unsupported algorithm", signer: signer, alg: "HS256", kid: k.Kid, wantErr: errInvalid, wantField: "algorithm"},
		{name: "error/algorithm does not fit the key", signer: signer, alg: "EdDSA", kid: k.Kid, wantErr: ErrKeyBinding},
		{name: "error/no kid", signer: signer, alg: "ES256", kid: "", wantErr: errInvalid, wantField: "kid"},
		{name: "error/kid of another key", signer: signer, alg: "ES256", kid: testKey(t, ES256, kek, issuerA, t0).Kid, wantErr: ErrKeyBinding},
		{name: "error/header overrides alg", signer: signer, alg: "ES256", kid: k.Kid, headers: map[jose.HeaderKey]any{"alg": "none"}, wantErr: errInvalid, wantField: "extra_headers"},
		{name: "error/header overrides kid", signer: signer, alg: "ES256", kid: k.Kid, headers: map[jose.HeaderKey]any{"kid": "x"}, wantErr: errInvalid, wantField: "extra_headers"},
		{name: "error/header jku", signer: signer, alg: "ES256", kid: k.Kid, headers: map[jose.HeaderKey]any{"jku": "https://evil.example/jwks"}, wantErr: errInvalid, wantField: "extra_headers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewJOSESigner(tt.signer, tt.alg, tt.kid, tt.headers)
			checkErr(t, err, tt.wantErr, tt.wantField)
		})
	}
}

func TestKeySignerRefusesCompromisedKey(t *testing.T) {
	kek := testKEK(t)
	k := testKey(t, EdDSA, kek, issuerA, t0)
	set, err := Rotate(nil, k, t0, Policy{Retention: 1, MaxKeys: 2})
	if err != nil {
		t.Fatal(err)
	}
	set, err = Compromise(set, k.Kid, t0.Add(1), "private key found in a public repository")
	if err != nil {
		t.Fatal(err)
	}
	_, err = set[0].Signer(kek, issuerA)
	checkErr(t, err, ErrKeyCompromised, "")
}
