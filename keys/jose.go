package keys

import (
	"crypto"
	"fmt"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"

	"github.com/skillpass-nl/skillpass/model"
)

// reservedHeaders are set by NewJOSESigner itself or would let a token name
// its own verification key; verifiers select keys by kid only, so a caller
// may not add or override them.
var reservedHeaders = map[jose.HeaderKey]bool{
	"alg": true, "kid": true, "jwk": true, "jku": true,
	"x5u": true, "x5c": true, "x5t": true, "x5t#S256": true,
}

// NewJOSESigner builds a go-jose signer over any crypto.Signer: the standard
// library key returned by Open today, a KMS or PKCS#11 signer later. The
// signer goes through cryptosigner.Opaque, so go-jose never needs the private
// key itself. Tokens carry alg and kid in the protected header, plus
// extraHeaders (e.g. typ and cty); extraHeaders may not set alg, kid or any
// key-locating header.
func NewJOSESigner(s crypto.Signer, alg, kid string, extraHeaders map[jose.HeaderKey]any) (jose.Signer, error) {
	if s == nil {
		return nil, model.Invalid("signer", "is nil")
	}
	a, err := ParseAlgorithm(alg)
	if err != nil {
		return nil, err
	}
	if alg == "" {
		// A signer for "the default" would silently change meaning if the
		// default did; the caller must know which key it holds.
		return nil, model.Invalid("algorithm", "is required")
	}
	if kid == "" {
		return nil, model.Invalid("kid", "is required")
	}
	if err := checkPublicKey(a, s.Public()); err != nil {
		return nil, err
	}
	// A token whose kid names another key would fail verification far from
	// here; refuse to build such a signer at all.
	if err := checkKid(s.Public(), kid); err != nil {
		return nil, err
	}
	opts := &jose.SignerOptions{}
	for k, v := range extraHeaders {
		if reservedHeaders[k] {
			return nil, model.Invalid("extra_headers", "header %q may not be set by the caller", string(k))
		}
		opts.WithHeader(k, v)
	}
	key := jose.SigningKey{
		Algorithm: jose.SignatureAlgorithm(a),
		// Wrapping the opaque signer in a JWK is how go-jose puts a kid into
		// the protected header for it.
		Key: jose.JSONWebKey{Key: cryptosigner.Opaque(s), KeyID: kid},
	}
	signer, err := jose.NewSigner(key, opts)
	if err != nil {
		return nil, fmt.Errorf("new JOSE signer for key %s: %w", kid, err)
	}
	return signer, nil
}
