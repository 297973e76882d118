package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/model"
)

// Algorithm is a JWS signature algorithm an issuer key may use.
type Algorithm string

const (
	// ES256 is ECDSA on P-256 with SHA-256: the interoperable default (HAIP).
	ES256 Algorithm = Algorithm(jose.ES256)
	// EdDSA is Ed25519, offered on request.
	EdDSA Algorithm = Algorithm(jose.EdDSA)
)

// DefaultAlgorithm is used when a request names no algorithm.
const DefaultAlgorithm = ES256

// ParseAlgorithm turns a requested algorithm name into an Algorithm. The
// empty string selects the default; "Ed25519" is accepted as the curve name
// people tend to type for EdDSA. Anything else is an invalid "algorithm".
func ParseAlgorithm(s string) (Algorithm, error) {
	switch s {
	case "":
		return DefaultAlgorithm, nil
	case string(ES256):
		return ES256, nil
	case string(EdDSA), "Ed25519":
		return EdDSA, nil
	}
	return "", model.Invalid("algorithm", "unsupported signing algorithm %q; want ES256 (the default) or EdDSA", s)
}

// code is the one-byte identifier of an algorithm inside a sealed key.
func (a Algorithm) code() (byte, bool) {
	switch a {
	case ES256:
		return 1, true
	case EdDSA:
		return 2, true
	}
	return 0, false
}

func algorithmFromCode(c byte) (Algorithm, bool) {
	switch c {
	case 1:
		return ES256, true
	case 2:
		return EdDSA, true
	}
	return "", false
}

// generate creates a fresh private key for a. crypto/rand is the only entropy
// source: key generation is not something to make pluggable.
func generate(a Algorithm) (crypto.Signer, error) {
	switch a {
	case ES256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case EdDSA:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		return priv, err
	}
	return nil, model.Invalid("algorithm", "unsupported signing algorithm %q", string(a))
}

// checkPublicKey reports whether pub is a key of algorithm a, so a signer or
// sealed key cannot be used under an algorithm it was not made for.
func checkPublicKey(a Algorithm, pub crypto.PublicKey) error {
	switch a {
	case ES256:
		if k, ok := pub.(*ecdsa.PublicKey); ok && k.Curve == elliptic.P256() {
			return nil
		}
	case EdDSA:
		if k, ok := pub.(ed25519.PublicKey); ok && len(k) == ed25519.PublicKeySize {
			return nil
		}
	default:
		return model.Invalid("algorithm", "unsupported signing algorithm %q", string(a))
	}
	return fmt.Errorf("%w: a %T is not a key for %s", ErrKeyBinding, pub, a)
}

// Thumbprint returns the RFC 7638 JWK SHA-256 thumbprint of a public key,
// base64url without padding. Skillpass uses it as the kid, so a kid names
// exactly one public key and anyone can recompute it from the published JWK.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	jwk := jose.JSONWebKey{Key: pub}
	if !jwk.IsPublic() {
		return "", fmt.Errorf("thumbprint: %T is not a public key", pub)
	}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// PublicJWK is the published form of a public key: kid, alg and use "sig"
// set, so a verifier can select and constrain it without guessing.
func PublicJWK(pub crypto.PublicKey, a Algorithm) (jose.JSONWebKey, error) {
	if err := checkPublicKey(a, pub); err != nil {
		return jose.JSONWebKey{}, err
	}
	kid, err := Thumbprint(pub)
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	return jose.JSONWebKey{Key: pub, KeyID: kid, Algorithm: string(a), Use: "sig"}, nil
}
