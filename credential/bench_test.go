package credential

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

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
// BenchmarkParseVerifyVersusRaw measures the same claim as a ratio
// (parse+verify/raw) in one interleaved loop; the goal is at most 1.5 for
// the whole verification (see verifier's BenchmarkMissVersusP256).
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

// BenchmarkParseVerifyVersusRaw alternates, in one loop, the raw P-256
// check (ecdsa.VerifyASN1 over a precomputed digest: the floor of any ES256
// verification) with Parse and Verify of a distinct token each time, and
// reports each and their ratio, so that load from other processes on a
// shared machine weighs on both alike. parse+verify/raw is the claim.
func BenchmarkParseVerifyVersusRaw(b *testing.B) {
	k := newTestKey(b, keys.ES256)
	toks := make([]string, 256)
	for i := range toks {
		c := testCredential(b)
		c.Iat += int64(i) // distinct tokens: nothing is served from a cache of tokens
		toks[i] = signTest(b, c, k)
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte(toks[0][:strings.LastIndexByte(toks[0], '.')]))
	sig, err := ecdsa.SignASN1(rand.Reader, priv, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	var raw, parse, verify time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if !ecdsa.VerifyASN1(&priv.PublicKey, digest[:], sig) {
			b.Fatal("raw verify failed")
		}
		t1 := time.Now()
		p, err := Parse(toks[i%len(toks)])
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := p.Verify(&k.jwk); err != nil {
			b.Fatal(err)
		}
		verify += time.Since(t2)
		parse += t2.Sub(t1)
		raw += t1.Sub(t0)
		i++
	}
	reportNsPerOp(b, raw, "raw-ns/op")
	reportNsPerOp(b, parse, "parse-ns/op")
	reportNsPerOp(b, verify, "verify-ns/op")
	b.ReportMetric(float64(parse+verify)/float64(raw), "parse+verify/raw")
}

// reportNsPerOp reports d, the time one part of an interleaved loop took
// over all of b's iterations, per iteration.
func reportNsPerOp(b *testing.B, d time.Duration, unit string) {
	b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), unit)
}
