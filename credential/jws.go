package credential

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/fips140"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"unsafe"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/internal/p256verify"
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
	header    Header
	rawHeader []byte // the protected header's JSON as received
	payload   []byte
	signature []byte
	// signingInput is header.payload as received, which EdDSA signs;
	// ES256 signs its digest. It aliases the token string: read only.
	signingInput []byte
	digests
}

// parseJWS applies the structural rules, in order: size, three parts,
// the header (base64url, JSON, algorithm, members, typ/cty, kid), payload
// and signature base64url. The payload is returned as bytes, its JSON
// unchecked. dg are the token's digests if the caller has them already
// (see Digest), or nil.
//
// It does the compact parse itself instead of calling go-jose's
// ParseSignedCompact, which would decode the header a second time and
// accept less strictly what has already been checked here (a differential
// test and fuzz target hold the two together: see jws_test.go).
func parseJWS(compact string, maxBytes int, dg *digests) (*token, error) {
	t := new(token)
	if err := t.parse(compact, maxBytes, dg); err != nil {
		return nil, err
	}
	return t, nil
}

// parse is parseJWS into t, which a caller may allocate together with
// what it decodes next (see parseCredential). t is written only when the
// token passes.
func (t *token) parse(compact string, maxBytes int, dg *digests) error {
	if len(compact) > maxBytes {
		return fmt.Errorf("%w: %d bytes, the maximum is %d", ErrTooLarge, len(compact), maxBytes)
	}
	// Count before splitting: a megabyte of dots must not become a
	// million-element slice.
	if n := strings.Count(compact, "."); n != 2 {
		return fmt.Errorf("%w: %d dot-separated parts, want 3 (header.payload.signature)", ErrMalformed, n+1)
	}
	b := readOnlyBytes(compact)
	dot1 := bytes.IndexByte(b, '.')
	dot2 := dot1 + 1 + bytes.IndexByte(b[dot1+1:], '.')
	h64, p64, s64 := b[:dot1], b[dot1+1:dot2], b[dot2+1:]
	// The header is judged before the other parts are even decoded, so an
	// unsecured ("alg":"none", empty signature) or HMAC token is reported
	// as the algorithm problem it is.
	rawHeader, err := decodeHeaderPart(h64)
	if err != nil {
		return err
	}
	h, err := parseHeader(rawHeader)
	if err != nil {
		return err
	}
	// Payload and signature share one buffer (one allocation instead of
	// two); each is capped at its own length, so appending to the payload
	// a caller holds can never overwrite the signature.
	pn := base64.RawURLEncoding.DecodedLen(len(p64))
	buf := make([]byte, pn+base64.RawURLEncoding.DecodedLen(len(s64)))
	payload, err := decodePartInto(buf[:pn:pn], p64)
	if err != nil {
		return fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	sig, err := decodePartInto(buf[pn:], s64)
	if err != nil {
		return fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	var d digests
	if dg != nil {
		d = *dg
	} else {
		d = digestOf(compact)
	}
	*t = token{header: h, rawHeader: rawHeader, payload: payload, signature: sig, signingInput: b[:dot2], digests: d}
	return nil
}

// maxHeaderBytes bounds the protected header's JSON. Skillpass headers
// are about 120 bytes (four members, a 43-character kid); with a kid of
// maxKidLength and every character of it and of the other members
// escaped, a header is still under 1,700. Only whitespace could make a
// header that the other rules accept longer. Without a bound a header could
// fill MaxTokenBytes and cost a JSON decode of that size before the kid
// length refuses it.
const maxHeaderBytes = 2048

// decodeHeaderPart decodes the protected header's part, refusing one
// longer than maxHeaderBytes before decoding it.
func decodeHeaderPart(h64 []byte) ([]byte, error) {
	if n := base64.RawURLEncoding.DecodedLen(len(h64)); n > maxHeaderBytes {
		return nil, fmt.Errorf("%w: header: %d bytes, the maximum is %d", ErrMalformed, n, maxHeaderBytes)
	}
	rawHeader, err := decodePart(h64)
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	return rawHeader, nil
}

// digests are the SHA-256 of a token's signing input (everything before
// the last dot, which ES256 signs) and of the whole token (its name). The
// name of an ES256 token with a high s is that of its low-s twin (see
// lows.go), so that a malleated token is not a new token.
type digests struct {
	input, whole [32]byte
}

// digestOf computes both digests in one pass over the bytes: SHA-256 is
// Merkle-Damgard, so the digest of the signing input is the state after
// writing it, finished on a copy (Sum works on a copy of the state and
// does not end the hash), and the signature part is simply added after.
// BenchmarkDigestOf measures this against hashing twice.
func digestOf(compact string) digests {
	b := readOnlyBytes(compact)
	n := max(bytes.LastIndexByte(b, '.'), 0)
	var d digests
	h := sha256.New()
	h.Write(b[:n]) // a hash never fails to write
	h.Sum(d.input[:0])
	if twin, ok := lowSTwin(b[:n], b[min(n+1, len(b)):]); ok {
		h.Write([]byte{'.'})
		h.Write(twin)
	} else {
		h.Write(b[n:])
	}
	h.Sum(d.whole[:0])
	return d
}

// readOnlyBytes is s's memory as a byte slice, without the copy a
// conversion makes: the base64 decoder and the hashes read a token in
// place. The slice must never be written to (Go strings are immutable);
// it is only read, by decodePartInto, digestOf, the digest decoders of
// digest.go and ed25519.Verify.
func readOnlyBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// decodePart decodes one part of a compact JWS, accepting exactly what
// checkPart accepts (TestCheckPartMatchesStrictBase64 shows that is strict
// unpadded base64url without line breaks), and explains a refusal with
// checkPart's reason.
func decodePart(p []byte) ([]byte, error) {
	return decodePartInto(make([]byte, base64.RawURLEncoding.DecodedLen(len(p))), p)
}

// decodePartInto is decodePart into dst, whose length must be
// base64.RawURLEncoding.DecodedLen(len(p)). The result is dst's prefix,
// capped at its own length.
func decodePartInto(dst, p []byte) ([]byte, error) {
	if len(p) > 0 && bytes.IndexByte(p, '\n') < 0 && bytes.IndexByte(p, '\r') < 0 {
		if n, err := strictBase64URL.Decode(dst, p); err == nil {
			return dst[:n:n], nil
		}
	}
	if err := checkPart(string(p)); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("is not base64url") // checkPart and the decoder disagree: refuse
}

// strictBase64URL refuses non-zero padding bits, so that a part has
// exactly one spelling. It skips line breaks, which decodePart refuses.
var strictBase64URL = base64.RawURLEncoding.Strict()

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
// A header the fast pass accepts needs no more; anything else is read
// again here for the precise reason.
func parseHeader(b []byte) (Header, error) {
	if h, ok := parseHeaderFast(b); ok {
		return h, nil
	}
	return parseHeaderSlow(b)
}

// parseHeaderSlow is the full header check with its precise reasons.
func parseHeaderSlow(b []byte) (Header, error) {
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
	if !t.checkSignature(pub.Key) {
		return fmt.Errorf("%w: with key %s", ErrSignatureInvalid, clip(key.KeyID))
	}
	return nil
}

// checkSignature is the JWS signature check (RFC 7518 §3.4, RFC 8037 §3.1)
// over the signing input exactly as received. It is done here rather than
// by go-jose's Verify, which rebuilds the signing input by re-encoding the
// payload and hashes it again; the key type was already matched to the
// algorithm.
func (t *token) checkSignature(key any) bool {
	sig := t.signature
	switch pub := key.(type) {
	case *ecdsa.PublicKey:
		if len(sig) != 64 {
			return false
		}
		// Issuer keys verify millions of credentials each, so the check
		// uses a per-key precomputed table (internal/p256verify: 0.25x
		// crypto/ecdsa's time on amd64, 0.43x elsewhere, differentially
		// tested and fuzzed against it, and run on Wycheproof's
		// vectors). In FIPS 140-only mode the validated module's own
		// check is used instead.
		if fips140.Enabled() {
			r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
			return ecdsa.Verify(pub, t.input[:], r, s)
		}
		return p256verify.VerifyP1363(pub, t.input[:], sig)
	case ed25519.PublicKey:
		return len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, t.signingInput, sig)
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
