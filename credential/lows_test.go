package credential

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
)

// p256N is the order of the P-256 group, computed here apart from lows.go.
var p256N = elliptic.P256().Params().N

// sigS returns s of an ES256 token's signature.
func sigS(t testing.TB, tok string) *big.Int {
	t.Helper()
	sig, err := base64.RawURLEncoding.DecodeString(tok[strings.LastIndexByte(tok, '.')+1:])
	if err != nil || len(sig) != 64 {
		t.Fatalf("signature %v, %d bytes", err, len(sig))
	}
	return new(big.Int).SetBytes(sig[32:])
}

// malleate returns tok with its ES256 signature (r, s) replaced by the
// other valid one, (r, n-s).
func malleate(t testing.TB, tok string) string {
	t.Helper()
	dot := strings.LastIndexByte(tok, '.')
	sig, err := base64.RawURLEncoding.DecodeString(tok[dot+1:])
	if err != nil || len(sig) != 64 {
		t.Fatalf("signature %v, %d bytes", err, len(sig))
	}
	new(big.Int).Sub(p256N, new(big.Int).SetBytes(sig[32:])).FillBytes(sig[32:])
	return tok[:dot+1] + b64(sig)
}

// wantTokenHash is the token hash by its definition: the SHA-256 of the
// token, or of its low-s twin for an ES256 token with n/2 < s < n.
func wantTokenHash(t testing.TB, tok string) [32]byte {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return sha256.Sum256([]byte(tok))
	}
	var h struct{ Alg string }
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(raw, &h) != nil || h.Alg != "ES256" {
		return sha256.Sum256([]byte(tok))
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(sig) != 64 || strings.ContainsAny(parts[2], "\r\n") {
		return sha256.Sum256([]byte(tok))
	}
	s := new(big.Int).SetBytes(sig[32:])
	if s.Cmp(new(big.Int).Rsh(p256N, 1)) <= 0 || s.Cmp(p256N) >= 0 {
		return sha256.Sum256([]byte(tok))
	}
	return sha256.Sum256([]byte(malleate(t, tok)))
}

// highSSigner is a crypto.Signer that, like some KMS, returns whichever
// of the two valid signatures it likes: here always the high one.
type highSSigner struct{ *ecdsa.PrivateKey }

func (h highSSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	der, err := h.PrivateKey.Sign(r, digest, opts)
	if err != nil {
		return nil, err
	}
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		return nil, err
	}
	if sig.S.Cmp(new(big.Int).Rsh(p256N, 1)) <= 0 {
		sig.S.Sub(p256N, sig.S)
	}
	return asn1.Marshal(sig)
}

// TestSignEmitsLowS: every ES256 signature Sign makes has s <= n/2, also
// through a signer that returns only high ones. With random nonces, 64
// signatures without normalisation all being low has odds of 2^-64.
func TestSignEmitsLowS(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	half := new(big.Int).Rsh(p256N, 1)
	signers := map[string]crypto.Signer{
		"ok/issuer key":    k.signer,
		"ok/high-s signer": highSSigner{k.signer.(*ecdsa.PrivateKey)},
	}
	c := testCredential(t)
	for name, signer := range signers {
		t.Run(name, func(t *testing.T) {
			for i := range 64 {
				c.Iat = int64(1795694400 + i)
				tok, err := Sign(c, signer, keys.ES256, k.kid)
				if err != nil {
					t.Fatal(err)
				}
				if s := sigS(t, tok); s.Cmp(half) > 0 {
					t.Fatalf("signature %d has a high s: %x", i, s)
				}
				mustVerify(t, tok, k)
			}
		})
	}
}

// TestMalleatedTokenHash: the twin (r, n-s) of a token verifies, and has
// the token hash of the original, from Digest and from Parse alike.
func TestMalleatedTokenHash(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	orig := signTest(t, testCredential(t), k)
	mal := malleate(t, orig)
	if mal == orig {
		t.Fatal("malleate changed nothing")
	}
	want := sha256.Sum256([]byte(orig)) // Sign's token is the canonical one
	for name, tok := range map[string]string{"ok/original": orig, "ok/malleated": mal} {
		t.Run(name, func(t *testing.T) {
			h, ok := Digest(tok).Hash()
			if !ok || h != want {
				t.Fatalf("Digest = %x, %v; want the original's %x", h, ok, want)
			}
			for _, parse := range []func() (*Parsed, error){func() (*Parsed, error) { return Parse(tok) }, Digest(tok).Parse} {
				p, err := parse()
				if err != nil {
					t.Fatal(err)
				}
				if p.TokenHash != want {
					t.Fatalf("TokenHash %x, want %x", p.TokenHash, want)
				}
				if err := p.Verify(&k.jwk); err != nil {
					t.Fatalf("Verify: %v", err)
				}
			}
		})
	}
}

// TestTokenHashOnlyRewritesES256: a signature whose bytes read as a high s
// is rewritten only under an ES256 header; an EdDSA token (whose S is
// little-endian and so often reads as high) and signatures of the wrong
// length or with s >= n keep their own SHA-256, and fail verification
// cleanly where they are not valid.
func TestTokenHashOnlyRewritesES256(t *testing.T) {
	es, ed := newTestKey(t, keys.ES256), newTestKey(t, keys.EdDSA)
	esTok := signTest(t, testCredential(t), es)
	input := esTok[:strings.LastIndexByte(esTok, '.')]
	high := func(n int, s []byte) string {
		sig := make([]byte, n)
		copy(sig[32:], s)
		sig[0] = 1
		return input + "." + b64(sig)
	}
	tests := []struct {
		name    string
		tok     string
		key     *keys.Key
		rewrite bool
		wantErr error
	}{
		{"ok/malleated ES256", malleate(t, esTok), &es.key, true, nil},
		{"error/s equal to n", high(64, p256Order), &es.key, false, ErrSignatureInvalid},
		{"error/s all ones", high(64, []byte(strings.Repeat("\xff", 32))), &es.key, false, ErrSignatureInvalid},
		{"error/63-byte signature", high(63, p256HalfOrder), &es.key, false, ErrSignatureInvalid},
		{"error/65-byte signature", high(65, []byte(strings.Repeat("\xff", 33))), &es.key, false, ErrSignatureInvalid},
		{"error/high s, r zero", input + "." + b64(append(make([]byte, 32), []byte(strings.Repeat("\xee", 32))...)), &es.key, true, ErrSignatureInvalid},
	}
	// EdDSA tokens whose S reads as a high big-endian number.
	for i := 0; len(tests) < 8 && i < 200; i++ {
		c := testCredential(t)
		c.Iat += int64(i)
		tok := signTest(t, c, ed)
		sig, _ := base64.RawURLEncoding.DecodeString(tok[strings.LastIndexByte(tok, '.')+1:])
		if isHighS(sig) {
			tests = append(tests, struct {
				name    string
				tok     string
				key     *keys.Key
				rewrite bool
				wantErr error
			}{"ok/EdDSA with high-looking S", tok, &ed.key, false, nil})
		}
	}
	if len(tests) < 8 {
		t.Fatal("no EdDSA signature reads as a high s")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := Digest(tt.tok).Hash()
			own := sha256.Sum256([]byte(tt.tok))
			if !ok || (h != own) != tt.rewrite || h != wantTokenHash(t, tt.tok) {
				t.Fatalf("hash %x (own %x); want rewritten %v", h, own, tt.rewrite)
			}
			p, err := Parse(tt.tok)
			if err != nil {
				t.Fatal(err)
			}
			err = p.Verify(&tt.key.PublicJWK)
			if !errors.Is(err, tt.wantErr) && !(err == nil && tt.wantErr == nil) {
				t.Fatalf("Verify: %v, want %v", err, tt.wantErr)
			}
		})
	}
}
