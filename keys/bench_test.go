package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// These are the baselines issue 3 compares credential verification
// against: the raw signature operations and go-jose on top of them, over a
// 1 KiB message (about the size of a compact VC-JOSE credential). The ES256
// figures include hashing the message, as any JWS check must.

var benchMsg = bytes.Repeat([]byte("skillpass "), 103)[:1024]

func benchSigner(b *testing.B, alg Algorithm) (Key, crypto.Signer) {
	kek := testKEK(b)
	k := testKey(b, alg, kek, issuerA, t0)
	s, err := k.Signer(kek, issuerA)
	if err != nil {
		b.Fatal(err)
	}
	return k, s
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func BenchmarkRawSign(b *testing.B) {
	b.Run("ES256", func(b *testing.B) {
		_, s := benchSigner(b, ES256)
		for b.Loop() {
			sum := sha256.Sum256(benchMsg)
			if _, err := s.Sign(nil, sum[:], crypto.SHA256); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("Ed25519", func(b *testing.B) {
		_, s := benchSigner(b, EdDSA)
		for b.Loop() {
			if _, err := s.Sign(nil, benchMsg, crypto.Hash(0)); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}

func BenchmarkRawVerify(b *testing.B) {
	b.Run("ES256", func(b *testing.B) {
		_, s := benchSigner(b, ES256)
		sum := sha256.Sum256(benchMsg)
		sig, err := s.Sign(nil, sum[:], crypto.SHA256)
		if err != nil {
			b.Fatal(err)
		}
		pub := s.Public().(*ecdsa.PublicKey)
		for b.Loop() {
			sum := sha256.Sum256(benchMsg)
			if !ecdsa.VerifyASN1(pub, sum[:], sig) {
				b.Fatal("signature does not verify")
			}
		}
		reportRate(b)
	})
	b.Run("Ed25519", func(b *testing.B) {
		_, s := benchSigner(b, EdDSA)
		sig, err := s.Sign(nil, benchMsg, crypto.Hash(0))
		if err != nil {
			b.Fatal(err)
		}
		pub := s.Public().(ed25519.PublicKey)
		for b.Loop() {
			if !ed25519.Verify(pub, benchMsg, sig) {
				b.Fatal("signature does not verify")
			}
		}
		reportRate(b)
	})
}

// BenchmarkJOSE measures signing through NewJOSESigner and compact
// parse-plus-verify with go-jose, the layer between raw crypto and a
// Skillpass verdict.
func BenchmarkJOSE(b *testing.B) {
	for _, alg := range []Algorithm{ES256, EdDSA} {
		k, s := benchSigner(b, alg)
		js, err := NewJOSESigner(s, string(alg), k.Kid, map[jose.HeaderKey]any{"typ": "vc+jwt", "cty": "vc"})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("sign/"+string(alg), func(b *testing.B) {
			for b.Loop() {
				obj, err := js.Sign(benchMsg)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := obj.CompactSerialize(); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b)
		})
		obj, err := js.Sign(benchMsg)
		if err != nil {
			b.Fatal(err)
		}
		token, err := obj.CompactSerialize()
		if err != nil {
			b.Fatal(err)
		}
		algs := []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)}
		b.Run("verify/"+string(alg), func(b *testing.B) {
			for b.Loop() {
				parsed, err := jose.ParseSignedCompact(token, algs)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := parsed.Verify(k.PublicJWK); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b)
		})
	}
}
