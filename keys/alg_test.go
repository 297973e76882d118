package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// The vectors are public keys from the RFCs with thumbprints computed
// independently of go-jose (sha256sum over the RFC 7638 canonical member
// order) or published in the RFC itself.
func TestThumbprint(t *testing.T) {
	tests := []struct {
		name string
		jwk  string
		want string
	}{
		{
			name: "ok/RFC 7638 section 3.1 RSA key",
			jwk:  `{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`,
			want: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
		},
		{
			name: "ok/RFC 7515 appendix A.3 P-256 key",
			jwk:  `{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}`,
			want: "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U",
		},
		{
			name: "ok/RFC 8037 appendix A.3 Ed25519 key",
			jwk:  `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`,
			want: "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var jwk jose.JSONWebKey
			if err := json.Unmarshal([]byte(tt.jwk), &jwk); err != nil {
				t.Fatal(err)
			}
			got, err := Thumbprint(jwk.Key)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Thumbprint = %s; want %s", got, tt.want)
			}
		})
	}
}

func TestThumbprintRefusesPrivateKey(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Thumbprint(priv); err == nil {
		t.Fatal("Thumbprint of a private key succeeded; want an error")
	}
}

func TestParseAlgorithm(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Algorithm
		wantErr error
	}{
		{name: "ok/empty is the default ES256", in: "", want: ES256},
		{name: "ok/ES256", in: "ES256", want: ES256},
		{name: "ok/EdDSA", in: "EdDSA", want: EdDSA},
		{name: "ok/Ed25519 alias", in: "Ed25519", want: EdDSA},
		{name: "error/RS256", in: "RS256", wantErr: errInvalid},
		{name: "error/none", in: "none", wantErr: errInvalid},
		{name: "error/lower case", in: "es256", wantErr: errInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAlgorithm(tt.in)
			checkErr(t, err, tt.wantErr, "algorithm")
			if got != tt.want {
				t.Errorf("ParseAlgorithm(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewKeyPublicJWK(t *testing.T) {
	kek := testKEK(t)
	for _, alg := range []Algorithm{ES256, EdDSA} {
		t.Run("ok/"+string(alg), func(t *testing.T) {
			k := testKey(t, alg, kek, "https://skillpass.example/issuers/roc", t0)
			want, err := Thumbprint(k.PublicJWK.Key)
			if err != nil {
				t.Fatal(err)
			}
			if k.Kid != want || k.PublicJWK.KeyID != want {
				t.Errorf("kid = %s, JWK kid = %s; want thumbprint %s", k.Kid, k.PublicJWK.KeyID, want)
			}
			if k.PublicJWK.Algorithm != string(alg) || k.PublicJWK.Use != "sig" || !k.PublicJWK.IsPublic() {
				t.Errorf("JWK alg %q use %q public %v; want %s, sig, true", k.PublicJWK.Algorithm, k.PublicJWK.Use, k.PublicJWK.IsPublic(), alg)
			}
			if !k.CreateTime.Equal(t0) || k.State != StateUnspecified {
				t.Errorf("CreateTime %v State %v; want %v and no state before Rotate", k.CreateTime, k.State, t0)
			}
		})
	}
	t.Run("error/unsupported algorithm", func(t *testing.T) {
		_, err := NewKey("RS256", kek, "issuer", t0)
		checkErr(t, err, errInvalid, "algorithm")
	})
}

func TestPublicJWKRefusesWrongAlgorithm(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, err = PublicJWK(priv.Public(), ES256)
	checkErr(t, err, ErrKeyBinding, "")
}
