package credential

import (
	"crypto"

	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

// The signing half of the JWS layer. It signs the JWS signing input
// through the crypto.Signer directly instead of through
// keys.NewJOSESigner: go-jose builds a header map, marshals and encodes
// it, and serialises the result again, which together cost as much as the
// ECDSA signature. The checks NewJOSESigner makes on the signer are made
// here too, and the header is byte for byte the one it produces
// (TestSignMatchesGoJOSE).

// esSignatureSize is the JOSE form of an ES256 signature: r and s as
// 32-byte big-endian integers (RFC 7518 §3.4); Ed25519's is also 64 bytes.
const esSignatureSize = 64

// protectedHeader is the Skillpass JWS header. The members are in the
// order go-jose writes them (sorted), and encoding/json escapes as go-jose's
// encoder does, so both produce the same bytes.
type protectedHeader struct {
	Alg string `json:"alg"`
	Cty string `json:"cty"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

// signCompact signs payload as a compact JWS with the Skillpass header
// (alg, kid, typ vc+jwt, cty vc) and checks that the result fits maxBytes,
// so nothing is signed that Parse would refuse for its size.
func signCompact(payload []byte, signer crypto.Signer, alg keys.Algorithm, kid string, maxBytes int) (string, error) {
	if err := checkSigner(signer, alg, kid); err != nil {
		return "", err
	}
	header, err := json.Marshal(protectedHeader{Alg: string(alg), Cty: CtyVC, Kid: kid, Typ: TypVC})
	if err != nil {
		return "", fmt.Errorf("sign: header: %w", err)
	}
	enc := base64.RawURLEncoding
	inputLen := enc.EncodedLen(len(header)) + 1 + enc.EncodedLen(len(payload))
	// The size is known before signing: refuse without spending a signature.
	if n := inputLen + 1 + enc.EncodedLen(esSignatureSize); n > maxBytes {
		return "", fmt.Errorf("%w: signed token is %d bytes, the maximum is %d", ErrTooLarge, n, maxBytes)
	}
	buf := make([]byte, 0, inputLen+1+enc.EncodedLen(esSignatureSize))
	buf = enc.AppendEncode(buf, header)
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, payload)
	sig, err := signInput(signer, alg, buf)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	buf = append(buf, '.')
	buf = enc.AppendEncode(buf, sig)
	return string(buf), nil
}

// checkSigner makes NewJOSESigner's checks: a signer, a named supported
// algorithm its key is for, and a kid that is the key's thumbprint (a token
// whose kid names another key would fail verification far from here).
func checkSigner(signer crypto.Signer, alg keys.Algorithm, kid string) error {
	if signer == nil {
		return model.Invalid("signer", "is nil")
	}
	if _, err := keys.ParseAlgorithm(string(alg)); err != nil {
		return err
	}
	switch {
	case alg == "":
		return model.Invalid("algorithm", "is required")
	case kid == "":
		return model.Invalid("kid", "is required")
	}
	pub := signer.Public()
	if keyAlg, err := algForKey(pub); err != nil || keyAlg != string(alg) {
		return fmt.Errorf("%w: a %T is not a key for %s", keys.ErrKeyBinding, pub, alg)
	}
	want, err := keys.Thumbprint(pub)
	if err != nil {
		return err
	}
	if want != kid {
		return fmt.Errorf("%w: key's thumbprint is %s, not kid %s", keys.ErrKeyBinding, want, kid)
	}
	return nil
}

// signInput signs a JWS signing input: ES256 signs its SHA-256 and returns
// the signature as r||s, EdDSA signs the input itself.
func signInput(signer crypto.Signer, alg keys.Algorithm, input []byte) ([]byte, error) {
	if alg == keys.EdDSA {
		sig, err := signer.Sign(rand.Reader, input, crypto.Hash(0))
		if err != nil {
			return nil, err
		}
		if len(sig) != esSignatureSize {
			return nil, fmt.Errorf("Ed25519 signer returned %d bytes, want %d", len(sig), esSignatureSize)
		}
		return sig, nil
	}
	digest := sha256.Sum256(input)
	der, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	return joseECDSASignature(der)
}

// joseECDSASignature converts an ASN.1 DER ECDSA signature, which
// crypto.Signer returns, to the fixed-size r||s of JOSE. A signer that
// returns anything else (trailing bytes, a negative or oversized number) is
// refused rather than trusted. A high s is normalised to n-s.
func joseECDSASignature(der []byte) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &rs)
	switch {
	case err != nil:
		return nil, fmt.Errorf("ECDSA signer returned no ASN.1 signature: %w", err)
	case len(rest) != 0:
		return nil, fmt.Errorf("ECDSA signer returned %d bytes after the signature", len(rest))
	case rs.R.Sign() <= 0 || rs.S.Sign() <= 0 || rs.R.BitLen() > 256 || rs.S.BitLen() > 256:
		return nil, fmt.Errorf("ECDSA signer returned r or s outside 1..2^256")
	}
	sig := make([]byte, esSignatureSize)
	rs.R.FillBytes(sig[:esSignatureSize/2])
	rs.S.FillBytes(sig[esSignatureSize/2:])
	// A signer may return either of the two valid s (see lows.go); the
	// token always carries the low one, so its hash is its only name.
	if isHighS(sig) {
		toLowS(sig)
	}
	return sig, nil
}
