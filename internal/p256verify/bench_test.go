package p256verify

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"testing"
	"time"
)

// benchFixture holds distinct signatures by one key, so every iteration
// verifies a different credential as the service does.
type benchFixture struct {
	priv *ecdsa.PrivateKey
	sigs []benchSig
}

type benchSig struct {
	digest []byte
	r, s   *big.Int
}

func newBenchFixture(b *testing.B) *benchFixture {
	b.Helper()
	f := &benchFixture{priv: keyFromSeed(b, []byte("bench"))}
	for i := range 64 {
		d := sha256.Sum256(fmt.Appendf(nil, "credential %d", i))
		r, s, err := ecdsa.Sign(rand.Reader, f.priv, d[:])
		if err != nil {
			b.Fatal(err)
		}
		f.sigs = append(f.sigs, benchSig{d[:], r, s})
	}
	return f
}

func (f *benchFixture) run(b *testing.B, verify func(benchSig) bool) {
	i := 0
	for b.Loop() {
		if !verify(f.sigs[i%len(f.sigs)]) {
			b.Fatal("valid signature rejected")
		}
		i++
	}
}

// reportRatio reports the time per operation as a multiple of
// crypto/ecdsa.Verify on the same signatures, timed right after the
// benchmark's own loop (outside it) so that both see the same machine load.
// The baseline runs up to 2000 times, or b.N times when that is more
// representative.
func (f *benchFixture) reportRatio(b *testing.B) {
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	n := min(max(b.N, 200), 2000)
	start := time.Now()
	for i := range n {
		s := f.sigs[i%len(f.sigs)]
		if !ecdsa.Verify(&f.priv.PublicKey, s.digest, s.r, s.s) {
			b.Fatal("baseline rejected a valid signature")
		}
	}
	baseline := float64(time.Since(start).Nanoseconds()) / float64(n)
	b.ReportMetric(perOp/baseline, "x_crypto_ecdsa")
}

func BenchmarkVerify(b *testing.B) {
	f := newBenchFixture(b)
	b.Run("crypto_ecdsa", func(b *testing.B) {
		f.run(b, func(s benchSig) bool { return ecdsa.Verify(&f.priv.PublicKey, s.digest, s.r, s.s) })
		f.reportRatio(b)
	})
	b.Run("Key.Verify", func(b *testing.B) {
		k := mustKey(b, &f.priv.PublicKey)
		f.run(b, func(s benchSig) bool { return k.Verify(s.digest, s.r, s.s) })
		f.reportRatio(b)
	})
	b.Run("Key.Verify_portable", func(b *testing.B) {
		// The complete formulas and Jacobian table that every platform
		// has; on amd64 Key.Verify takes the variable-time path instead.
		q, err := decodePublicKey(&f.priv.PublicKey)
		if err != nil {
			b.Fatal(err)
		}
		k := portableKey(q, defaultWindow)
		f.run(b, func(s benchSig) bool { return k.Verify(s.digest, s.r, s.s) })
		f.reportRatio(b)
	})
	b.Run("Verify_cached", func(b *testing.B) {
		// Two uses beforehand, so the table exists when timing starts.
		c := NewCache(DefaultCacheSize)
		for range 2 {
			c.Verify(&f.priv.PublicKey, f.sigs[0].digest, f.sigs[0].r, f.sigs[0].s)
		}
		f.run(b, func(s benchSig) bool { return c.Verify(&f.priv.PublicKey, s.digest, s.r, s.s) })
		f.reportRatio(b)
	})
}

// BenchmarkNewKey measures building a table; x_crypto_ecdsa says how many
// crypto/ecdsa verifications one build costs.
func BenchmarkNewKey(b *testing.B) {
	f := newBenchFixture(b)
	var k *Key
	for b.Loop() {
		k = mustKey(b, &f.priv.PublicKey)
	}
	f.reportRatio(b)
	b.ReportMetric(float64(k.TableBytes())/1024, "table_KiB")
}

// BenchmarkWindow shows the trade-off behind defaultWindow: table size and
// build time against verification time, per comb width. Only w =
// defaultWindow gets the variable-time path on amd64 (the generator's table
// has that width); the other widths time the portable path.
func BenchmarkWindow(b *testing.B) {
	f := newBenchFixture(b)
	for w := uint(4); w <= 8; w++ {
		b.Run(fmt.Sprintf("w=%d/NewKey", w), func(b *testing.B) {
			var k *Key
			for b.Loop() {
				var err error
				if k, err = newKey(&f.priv.PublicKey, w); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(k.TableBytes())/1024, "table_KiB")
		})
		b.Run(fmt.Sprintf("w=%d/Verify", w), func(b *testing.B) {
			k, err := newKey(&f.priv.PublicKey, w)
			if err != nil {
				b.Fatal(err)
			}
			f.run(b, func(s benchSig) bool { return k.Verify(s.digest, s.r, s.s) })
			f.reportRatio(b)
		})
	}
}
