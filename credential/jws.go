package credential

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
)

// The JWS layer shared by credentials and status list credentials: one
// strict reading of a compact JWS (header rules, one signature, strict
// JSON payload) and one signature check.

// allowedAlgs is the algorithm allow-list. Anything else, "none" and HMAC
// in particular, is refused before go-jose sees the token.
var allowedAlgs = []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA}

// allowedHeaders are the only protected header members a token may carry.
// Every other one either locates a key (jku, x5u, x5c, jwk, x5t: the token
// must not choose its own verification key), changes how the payload is
// read (b64, crit, zip) or is simply not ours.
var allowedHeaders = map[string]bool{"alg": true, "kid": true, "typ": true, "cty": true}

// maxKidLength bounds the kid echoed into errors and used as a lookup key;
// Skillpass kids are 43-character thumbprints.
const maxKidLength = 256

var headerRules = &jsonRules{what: "protected header", syntax: ErrMalformed, duplicate: ErrMalformed}

// token is a compact JWS that passed the structural checks.
type token struct {
	header       Header
	rawHeader    []byte // the protected header's JSON as received
	payload      []byte
	hash         [32]byte
	jws          *jose.JSONWebSignature
	signingInput string // header.payload as received: what the signature covers
}

// parseJWS applies the structural rules, in order: size, three parts,
// the header (base64url, JSON, algorithm, members, typ/cty, kid), payload
// and signature base64url, then go-jose's own parse with the algorithm
// allow-list. The payload is returned as bytes, its JSON unchecked.
func parseJWS(compact string, maxBytes int) (*token, error) {
	if len(compact) > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, the maximum is %d", ErrTooLarge, len(compact), maxBytes)
	}
	// Count before splitting: a megabyte of dots must not become a
	// million-element slice.
	if n := strings.Count(compact, "."); n != 2 {
		return nil, fmt.Errorf("%w: %d dot-separated parts, want 3 (header.payload.signature)", ErrMalformed, n+1)
	}
	parts := strings.SplitN(compact, ".", 3)
	// The header is judged before the other parts are even decoded, so an
	// unsecured ("alg":"none", empty signature) or HMAC token is reported
	// as the algorithm problem it is.
	rawHeader, err := decodePart(parts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	h, err := parseHeader(rawHeader)
	if err != nil {
		return nil, err
	}
	// go-jose decodes the payload and signature itself; checking their
	// spelling here, without decoding, keeps every token to one spelling
	// without decoding the payload twice.
	if err := checkPart(parts[1]); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if err := checkPart(parts[2]); err != nil {
		return nil, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	jws, err := jose.ParseSignedCompact(compact, allowedAlgs)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%w: %d signatures", ErrMultipleSignatures, len(jws.Signatures))
	}
	return &token{
		header:       h,
		rawHeader:    rawHeader,
		payload:      jws.UnsafePayloadWithoutVerification(),
		hash:         hashString(compact),
		jws:          jws,
		signingInput: compact[:len(parts[0])+1+len(parts[1])],
	}, nil
}

// hashString is the SHA-256 of s without copying it to a byte slice.
func hashString(s string) [32]byte {
	h := sha256.New()
	_, _ = io.WriteString(h, s) // a hash never fails to write
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// decodePart decodes one part after checkPart.
func decodePart(p string) ([]byte, error) {
	if err := checkPart(p); err != nil {
		return nil, err
	}
	return base64.RawURLEncoding.DecodeString(p)
}

// checkPart requires non-empty unpadded base64url with no other characters
// (Go's decoder would skip line breaks) and zero padding bits (which the
// non-strict decoder ignores), so that a token has exactly one spelling.
func checkPart(p string) error {
	if p == "" {
		return fmt.Errorf("is empty (detached or unsecured JWS)")
	}
	for i := 0; i < len(p); i++ {
		if !isBase64URL(p[i]) {
			return fmt.Errorf("character %q at offset %d is not base64url without padding", p[i], i)
		}
	}
	last := strings.IndexByte(base64URLAlphabet, p[len(p)-1])
	switch len(p) % 4 {
	case 1:
		return fmt.Errorf("length %d is not a possible base64url length", len(p))
	case 2:
		if last&0x0f != 0 {
			return fmt.Errorf("non-zero padding bits in the last character")
		}
	case 3:
		if last&0x03 != 0 {
			return fmt.Errorf("non-zero padding bits in the last character")
		}
	}
	return nil
}

const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func isBase64URL(c byte) bool { return base64URLChars[c] }

// base64URLChars marks the base64url alphabet; a table, because this runs
// over every byte of every token.
var base64URLChars = func() (t [256]bool) {
	for i := 0; i < len(base64URLAlphabet); i++ {
		t[base64URLAlphabet[i]] = true
	}
	return t
}()

// parseHeader checks the protected header in the order the sentinels are
// documented: JSON object without repeats, alg, members, typ/cty, kid.
func parseHeader(b []byte) (Header, error) {
	if _, err := headerRules.check(b); err != nil {
		return Header{}, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return Header{}, fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
	}
	alg, ok := headerString(m, "alg")
	switch {
	case !ok:
		return Header{}, fmt.Errorf("%w: protected header has no alg string", ErrUnsupportedAlg)
	case !isAllowedAlg(alg):
		return Header{}, fmt.Errorf("%w: alg %q; allowed are ES256 and EdDSA", ErrUnsupportedAlg, clip(alg))
	}
	for name := range m {
		if !allowedHeaders[name] {
			return Header{}, fmt.Errorf("%w: %q; only alg, kid, typ and cty are allowed", ErrForbiddenHeader, clip(name))
		}
	}
	h := Header{Alg: alg}
	h.Typ, _ = headerString(m, "typ")
	h.Cty, _ = headerString(m, "cty")
	if h.Typ != TypVC || h.Cty != CtyVC {
		return Header{}, fmt.Errorf("%w: typ %q and cty %q, want %q and %q", ErrWrongType, clip(h.Typ), clip(h.Cty), TypVC, CtyVC)
	}
	h.Kid, ok = headerString(m, "kid")
	switch {
	case !ok || h.Kid == "":
		return Header{}, fmt.Errorf("%w: protected header has no kid string", ErrMissingKid)
	case len(h.Kid) > maxKidLength:
		return Header{}, fmt.Errorf("%w: kid is %d bytes long, the maximum is %d", ErrMalformed, len(h.Kid), maxKidLength)
	}
	return h, nil
}

// headerString returns a member's value if it is a JSON string.
func headerString(m map[string]json.RawMessage, name string) (string, bool) {
	raw, ok := m[name]
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

func isAllowedAlg(alg string) bool {
	for _, a := range allowedAlgs {
		if string(a) == alg {
			return true
		}
	}
	return false
}

// verify checks t's signature with key. The algorithm is decided by the
// key, never by the token: the key's type (and its alg member, if set)
// must name the header's algorithm before any signature math runs, so a
// public key can never be fed to another algorithm.
func (t *token) verify(key *jose.JSONWebKey) error {
	if key == nil || key.Key == nil {
		return fmt.Errorf("%w: no key", ErrSignatureInvalid)
	}
	pub := key.Public()
	if pub.Key == nil {
		return fmt.Errorf("%w: a %T key has no public part; symmetric keys never verify credentials", ErrUnsupportedAlg, key.Key)
	}
	alg, err := algForKey(pub.Key)
	if err != nil {
		return err
	}
	if key.Algorithm != "" && key.Algorithm != alg {
		return fmt.Errorf("%w: key %s is for %s but its type is for %s", ErrUnsupportedAlg, clip(key.KeyID), clip(key.Algorithm), alg)
	}
	if t.header.Alg != alg {
		return fmt.Errorf("%w: token is signed with %s, key %s is for %s", ErrUnsupportedAlg, t.header.Alg, clip(key.KeyID), alg)
	}
	if !checkSignature(pub.Key, t.signingInput, t.jws.Signatures[0].Signature) {
		return fmt.Errorf("%w: with key %s", ErrSignatureInvalid, clip(key.KeyID))
	}
	return nil
}

// checkSignature is the JWS signature check (RFC 7518 §3.4, RFC 8037 §3.1)
// over the signing input exactly as received. It is done here rather than
// by go-jose's Verify, which rebuilds the signing input by re-encoding the
// payload and so costs a third of the signature check on top of it; the
// key type was already matched to the algorithm.
func checkSignature(key any, input string, sig []byte) bool {
	switch pub := key.(type) {
	case *ecdsa.PublicKey:
		if len(sig) != 64 {
			return false
		}
		sum := hashString(input)
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(pub, sum[:], r, s)
	case ed25519.PublicKey:
		return len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, []byte(input), sig)
	}
	return false
}

// algForKey names the one algorithm Skillpass uses with a public key.
func algForKey(k any) (string, error) {
	switch pub := k.(type) {
	case *ecdsa.PublicKey:
		if pub.Curve == elliptic.P256() {
			return string(jose.ES256), nil
		}
	case ed25519.PublicKey:
		return string(jose.EdDSA), nil
	}
	return "", fmt.Errorf("%w: key type %T is not an ES256 or EdDSA key", ErrUnsupportedAlg, k)
}

// signCompact signs payload as a compact JWS with the Skillpass header
// (alg, kid, typ vc+jwt, cty vc) and checks that the result fits maxBytes,
// so nothing is signed that Parse would refuse.
func signCompact(payload []byte, signer crypto.Signer, alg keys.Algorithm, kid string, maxBytes int) (string, error) {
	s, err := keys.NewJOSESigner(signer, string(alg), kid, map[jose.HeaderKey]any{
		jose.HeaderType:        TypVC,
		jose.HeaderContentType: CtyVC,
	})
	if err != nil {
		return "", err
	}
	obj, err := s.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	compact, err := obj.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	if len(compact) > maxBytes {
		return "", fmt.Errorf("%w: signed token is %d bytes, the maximum is %d", ErrTooLarge, len(compact), maxBytes)
	}
	return compact, nil
}
