package credential

import (
	"bytes"
	"crypto/elliptic"
	"encoding/base64"
	"math/big"

	"github.com/go-jose/go-jose/v4"
)

// ECDSA signatures are malleable: if (r, s) verifies, so does (r, n-s),
// where n is the order of the P-256 group. Anyone holding one ES256 token
// can therefore make a second valid token with another SHA-256 (the token
// hash the verdict cache is keyed by and verifiers quote). Skillpass
// closes this in two places:
//
//   - signing always emits the low form, s <= n/2, whatever the
//     crypto.Signer returned (a KMS or HSM may return either);
//   - the token hash of an ES256 token with a high s is the hash of its
//     low-s twin, so both spellings have one name. Verification still
//     accepts both, for tokens signed by other software.
//
// Ed25519 is not malleable this way: RFC 8032 requires S < L, and Go's
// ed25519.Verify refuses a signature whose S is not reduced, so an EdDSA
// token has exactly one valid signature encoding per signer and message.

var (
	// p256Order is n, as 32 big-endian bytes; p256HalfOrder is floor(n/2).
	p256Order     = elliptic.P256().Params().N.FillBytes(make([]byte, 32))
	p256HalfOrder = new(big.Int).Rsh(elliptic.P256().Params().N, 1).FillBytes(make([]byte, 32))
)

// isHighS reports whether a JOSE ES256 signature r||s has n/2 < s < n,
// the half that has a low twin. s >= n is no signature at all (ECDSA
// verification refuses it), so it has no twin either.
func isHighS(sig []byte) bool {
	if len(sig) != esSignatureSize {
		return false
	}
	s := sig[esSignatureSize/2:]
	return bytes.Compare(s, p256HalfOrder) > 0 && bytes.Compare(s, p256Order) < 0
}

// toLowS replaces a high s by n-s in place; sig must satisfy isHighS.
func toLowS(sig []byte) {
	s := sig[esSignatureSize/2:]
	new(big.Int).Sub(elliptic.P256().Params().N, new(big.Int).SetBytes(s)).FillBytes(s)
}

// lowSTwin returns the signature part of the token's low-s twin, and
// false if the token is already its one canonical spelling. input is
// everything before the last dot, sig64 the signature part after it.
//
// The header is only looked at when the signature bytes read as a high s,
// which no token of Skillpass's own signer does; an EdDSA signature does
// half the time (its S is little-endian), and then its header decides
// that nothing is rewritten.
func lowSTwin(input, sig64 []byte) ([]byte, bool) {
	// Into an array on the stack: this runs for every token, and all but
	// a few end here. Exactly 86 characters without line breaks (which
	// the decoder would skip) have one strict decoding, as in decodePart.
	var sig [esSignatureSize]byte
	if len(sig64) != base64.RawURLEncoding.EncodedLen(esSignatureSize) || bytes.ContainsAny(sig64, "\r\n") {
		return nil, false
	}
	if n, err := strictBase64URL.Decode(sig[:], sig64); err != nil || n != esSignatureSize || !isHighS(sig[:]) {
		return nil, false
	}
	h64, _, _ := bytes.Cut(input, []byte{'.'})
	rawHeader, err := decodeHeaderPart(h64)
	if err != nil {
		return nil, false
	}
	if h, err := parseHeader(rawHeader); err != nil || h.Alg != string(jose.ES256) {
		return nil, false
	}
	toLowS(sig[:])
	return base64.RawURLEncoding.AppendEncode(make([]byte, 0, len(sig64)), sig[:]), true
}
