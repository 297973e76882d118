package verifier

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/credential"
)

// Benchmarks of the verification path against its baselines, all in one
// run (go test -bench . ./verifier): the raw signature checks, go-jose's
// own parse and verify, and Verify on a cache miss (a distinct ES256
// credential each time) and on a cache hit. The goal is miss <= 1.5x the
// raw P-256 check.

// benchPool is how many distinct tokens the miss benchmark cycles through;
// with a one-entry cache every Verify is a miss.
const benchPool = 512

func benchTokens(b *testing.B, n int) (*world, []string) {
	b.Helper()
	w := newWorldWith(b, Config{CacheEntries: 1})
	toks := make([]string, n)
	for i := range toks {
		toks[i] = w.mint()
	}
	return w, toks
}

// signingInput is a token's header.payload, what a JWS signature covers.
func signingInput(tok string) []byte { return []byte(tok[:strings.LastIndexByte(tok, '.')]) }

// p256Signature signs a token's signing input with a fresh P-256 key, for
// the raw baseline: the same message size as a real credential.
func p256Signature(b *testing.B, tok string) (*ecdsa.PublicKey, []byte, []byte) {
	b.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256(signingInput(tok))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	return &key.PublicKey, digest[:], sig
}

func BenchmarkBaselineP256Verify(b *testing.B) {
	_, toks := benchTokens(b, 1)
	pub, digest, sig := p256Signature(b, toks[0])
	b.ResetTimer()
	for b.Loop() {
		if !ecdsa.VerifyASN1(pub, digest, sig) {
			b.Fatal("signature does not verify")
		}
	}
}

func BenchmarkBaselineEd25519Verify(b *testing.B) {
	_, toks := benchTokens(b, 1)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	msg := signingInput(toks[0])
	sig := ed25519.Sign(priv, msg)
	b.ResetTimer()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("signature does not verify")
		}
	}
}

func BenchmarkBaselineGoJOSE(b *testing.B) {
	w, toks := benchTokens(b, 1)
	pub := w.signingKey(rocID, w.clk.Now()).PublicJWK.Key
	b.ResetTimer()
	for b.Loop() {
		jws, err := jose.ParseSignedCompact(toks[0], []jose.SignatureAlgorithm{jose.ES256})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := jws.Verify(pub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineParseVerify is the floor of a miss as the credential
// package stands: its strict Parse and the signature check, nothing else.
func BenchmarkBaselineParseVerify(b *testing.B) {
	w, toks := benchTokens(b, 1)
	key := w.signingKey(rocID, w.clk.Now()).PublicJWK
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := credential.Parse(toks[0])
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Verify(&key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyMiss(b *testing.B) {
	w, toks := benchTokens(b, benchPool)
	w.verify(toks[0]) // fill the snapshots, as a running server has
	i := 1
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		v := w.verify(toks[i%len(toks)])
		if v.Cached || v.Verdict != Valid {
			b.Fatalf("cached %v verdict %s", v.Cached, v.Verdict)
		}
		i++
	}
}

func BenchmarkVerifyHit(b *testing.B) {
	w, toks := benchTokens(b, 1)
	w.verify(toks[0])
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if v := w.verify(toks[0]); !v.Cached {
			b.Fatal("not served from the cache")
		}
	}
}

// BenchmarkMissVersusP256 alternates a raw P-256 check, credential.Parse
// with the signature check (the floor the credential package sets) and a
// cache-miss Verify in one loop, and reports each and their ratios, so
// that load from other processes on a shared machine weighs on all alike.
func BenchmarkMissVersusP256(b *testing.B) {
	w, toks := benchTokens(b, benchPool)
	w.verify(toks[0])
	rawPub, digest, sig := p256Signature(b, toks[0])
	pub := w.signingKey(rocID, w.clk.Now()).PublicJWK
	var raw, floor, miss time.Duration
	i := 1
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if !ecdsa.VerifyASN1(rawPub, digest, sig) {
			b.Fatal("signature does not verify")
		}
		t1 := time.Now()
		p, err := credential.Parse(toks[(i+1)%len(toks)])
		if err != nil || p.Verify(&pub) != nil {
			b.Fatal("parse or verify failed")
		}
		t2 := time.Now()
		if v := w.verify(toks[i%len(toks)]); v.Cached || v.Verdict != Valid {
			b.Fatalf("cached %v verdict %s", v.Cached, v.Verdict)
		}
		miss += time.Since(t2)
		floor += t2.Sub(t1)
		raw += t1.Sub(t0)
		i++
	}
	n := float64(b.N)
	b.ReportMetric(float64(raw.Nanoseconds())/n, "raw-ns/op")
	b.ReportMetric(float64(floor.Nanoseconds())/n, "floor-ns/op")
	b.ReportMetric(float64(miss.Nanoseconds())/n, "miss-ns/op")
	b.ReportMetric(float64(miss)/float64(raw), "miss/raw")
	b.ReportMetric(float64(floor)/float64(raw), "floor/raw")
	b.ReportMetric(float64(miss)/float64(floor), "miss/floor")
}
