package credential

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
)

// Benchmarks of the verifier's hot path against the raw signature check it
// cannot avoid, measured in the same run so the ratio is meaningful:
//
//	go test ./credential -run '^$' -bench . -benchmem
//
// BenchmarkVerify/<alg>/raw is the bare signature check over the same
// signing input; /parse is Parse alone (all structural and JSON checks);
// /verify is Parsed.Verify alone;
// /parse+verify is what the verifier pays per distinct token.
func BenchmarkVerify(b *testing.B) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		k := newTestKey(b, alg)
		tok := signTest(b, testCredential(b), k)
		dot := strings.LastIndexByte(tok, '.')
		input := []byte(tok[:dot])
		sig, err := base64.RawURLEncoding.DecodeString(tok[dot+1:])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(alg)+"/raw", func(b *testing.B) {
			raw := rawVerifier(b, k, input, sig)
			for b.Loop() {
				if !raw() {
					b.Fatal("raw verify failed")
				}
			}
		})
		b.Run(string(alg)+"/parse", func(b *testing.B) {
			b.SetBytes(int64(len(tok)))
			for b.Loop() {
				if _, err := Parse(tok); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(alg)+"/verify", func(b *testing.B) {
			p, err := Parse(tok)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := p.Verify(&k.jwk); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(alg)+"/parse+verify", func(b *testing.B) {
			for b.Loop() {
				p, err := Parse(tok)
				if err != nil {
					b.Fatal(err)
				}
				if err := p.Verify(&k.jwk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func rawVerifier(b *testing.B, k testKey, input, sig []byte) func() bool {
	switch pub := k.signer.Public().(type) {
	case *ecdsa.PublicKey:
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return func() bool {
			sum := sha256.Sum256(input)
			return ecdsa.Verify(pub, sum[:], r, s)
		}
	case ed25519.PublicKey:
		return func() bool { return ed25519.Verify(pub, input, sig) }
	}
	b.Fatalf("unsupported key %T", k.signer.Public())
	return nil
}

// BenchmarkSign is the issuer's per-credential cost: New plus Sign.
func BenchmarkSign(b *testing.B) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		k := newTestKey(b, alg)
		in := testInput(b)
		b.Run(string(alg), func(b *testing.B) {
			for b.Loop() {
				c, err := New(in)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Sign(c, k.signer, k.alg, k.kid); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
