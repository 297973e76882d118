//lint:file-ignore SA1019 these tests build malformed and hand-made keys through the raw coordinates on purpose

package p256verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"
)

type signedMessage struct {
	pub    *ecdsa.PublicKey
	digest []byte
	r, s   *big.Int
}

func signed(t testing.TB, seed string) signedMessage {
	t.Helper()
	priv := keyFromSeed(t, []byte(seed))
	digest := sha256.Sum256([]byte("message for " + seed))
	r, s, err := ecdsa.Sign(rand.Reader, priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return signedMessage{&priv.PublicKey, digest[:], r, s}
}

// TestCacheBuildsOnSecondUse checks the admission rule: no table after the
// first use, a table after the second, and the right answer every time.
func TestCacheBuildsOnSecondUse(t *testing.T) {
	c := NewCache(4)
	m := signed(t, "second use")
	for use, wantTables := range []int{0, 1, 1} {
		if !c.Verify(m.pub, m.digest, m.r, m.s) {
			t.Fatalf("use %d: valid signature rejected", use+1)
		}
		if got := c.Len(); got != wantTables {
			t.Fatalf("after use %d: %d tables, want %d", use+1, got, wantTables)
		}
	}
	if c.Verify(m.pub, m.digest, m.s, m.r) {
		t.Fatal("table path accepted swapped r and s")
	}
}

func TestCacheFirstUseKeepsNoTable(t *testing.T) {
	c := NewCache(4)
	m := signed(t, "first use")
	if !c.Verify(m.pub, m.digest, m.r, m.s) {
		t.Fatal("valid signature rejected")
	}
	if got := c.Len(); got != 0 {
		t.Fatalf("tables after one use = %d, want 0", got)
	}
}

// TestCacheBounded checks that no more than size tables are kept, and that a
// stream of one-off keys does not evict the table of a busy key.
func TestCacheBounded(t *testing.T) {
	const size = 3
	c := NewCache(size)
	busy := signed(t, "busy")
	for range 2 {
		c.Verify(busy.pub, busy.digest, busy.r, busy.s)
	}
	for i := range 2 * size {
		m := signed(t, fmt.Sprintf("reused %d", i))
		for range 2 {
			if !c.Verify(m.pub, m.digest, m.r, m.s) {
				t.Fatalf("key %d: valid signature rejected", i)
			}
		}
		if got := c.Len(); got > size {
			t.Fatalf("tables = %d, want at most %d", got, size)
		}
	}
	if got := c.Len(); got != size {
		t.Fatalf("tables = %d, want %d", got, size)
	}
	c2 := NewCache(size)
	for range 2 {
		c2.Verify(busy.pub, busy.digest, busy.r, busy.s)
	}
	for i := range 10 * size {
		m := signed(t, fmt.Sprintf("one-off %d", i))
		c2.Verify(m.pub, m.digest, m.r, m.s)
	}
	enc, _ := encodeKey(busy.pub)
	c2.mu.Lock()
	el, ok := c2.entries[enc]
	kept := ok && el.Value.(*cacheEntry).key != nil
	c2.mu.Unlock()
	if !kept {
		t.Fatal("one-off keys evicted the busy key's table")
	}
}

// TestCacheInputs checks that the cached path never panics and agrees with
// crypto/ecdsa on keys it cannot or must not build a table for.
func TestCacheInputs(t *testing.T) {
	m := signed(t, "inputs")
	priv384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	r384, s384, err := ecdsa.Sign(rand.Reader, priv384, m.digest)
	if err != nil {
		t.Fatal(err)
	}
	offCurve := &ecdsa.PublicKey{Curve: elliptic.P256(), X: m.pub.X, Y: new(big.Int).Add(m.pub.Y, big.NewInt(1))}
	tests := []struct {
		name string
		pub  *ecdsa.PublicKey
		r, s *big.Int
		want bool
	}{
		{"ok/P-256", m.pub, m.r, m.s, true},
		{"ok/P-384 goes to crypto/ecdsa", &priv384.PublicKey, r384, s384, true},
		{"error/P-384 wrong signature", &priv384.PublicKey, s384, r384, false},
		{"error/nil key", nil, m.r, m.s, false},
		{"error/nil curve", &ecdsa.PublicKey{X: m.pub.X, Y: m.pub.Y}, m.r, m.s, false},
		{"error/nil X", &ecdsa.PublicKey{Curve: elliptic.P256(), Y: m.pub.Y}, m.r, m.s, false},
		{"error/point not on curve", offCurve, m.r, m.s, false},
		{"error/negative X", &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Neg(m.pub.X), Y: m.pub.Y}, m.r, m.s, false},
		{"error/nil r", m.pub, nil, m.s, false},
		{"error/nil s", m.pub, m.r, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCache(2)
			// Three uses: the first goes to crypto/ecdsa, the second builds
			// the table (where possible), the third uses it.
			for use := range 3 {
				if got := c.Verify(tt.pub, m.digest, tt.r, tt.s); got != tt.want {
					t.Fatalf("use %d: Verify = %v, want %v", use+1, got, tt.want)
				}
			}
		})
	}
}

func TestCacheP1363(t *testing.T) {
	m := signed(t, "p1363")
	sig := make([]byte, 64)
	m.r.FillBytes(sig[:32])
	m.s.FillBytes(sig[32:])
	tests := []struct {
		name string
		sig  []byte
		want bool
	}{
		{"ok", sig, true},
		{"error/short", sig[:63], false},
		{"error/long", append(append([]byte(nil), sig...), 0), false},
		{"error/empty", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for use := range 3 {
				if got := VerifyP1363(m.pub, m.digest, tt.sig); got != tt.want {
					t.Fatalf("use %d: VerifyP1363 = %v, want %v", use+1, got, tt.want)
				}
			}
		})
	}
}

// TestCacheConcurrent runs many goroutines over a few keys, with a cache too
// small for all of them so that builds, hits and evictions interleave; run
// with -race.
func TestCacheConcurrent(t *testing.T) {
	c := NewCache(2)
	msgs := make([]signedMessage, 4)
	for i := range msgs {
		msgs[i] = signed(t, fmt.Sprintf("concurrent %d", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				m := msgs[(g+i)%len(msgs)]
				valid := i%3 != 0
				s := m.s
				if !valid {
					s = new(big.Int).Add(m.s, big.NewInt(1))
				}
				if got := c.Verify(m.pub, m.digest, m.r, s); got != valid {
					errs <- fmt.Errorf("goroutine %d call %d: Verify = %v, want %v", g, i, got, valid)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := c.Len(); got > 2 {
		t.Fatalf("tables = %d, want at most 2", got)
	}
}

// TestCacheBuildBudget: table builds are rate limited, so cycling through
// more keys than the cache holds cannot make every other call build a
// table; past the budget calls are still answered, by crypto/ecdsa.
func TestCacheBuildBudget(t *testing.T) {
	c := NewCache(32)
	for i := range maxBuildBurst + 4 {
		m := signed(t, fmt.Sprintf("budget %d", i))
		for range 2 {
			if !c.Verify(m.pub, m.digest, m.r, m.s) {
				t.Fatalf("key %d: valid signature rejected", i)
			}
		}
	}
	// The test runs in far less than the second one more build would need.
	if got := c.Len(); got != maxBuildBurst {
		t.Errorf("tables = %d, want the burst of %d", got, maxBuildBurst)
	}
}

func TestBuildBudget(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	tests := []struct {
		name  string
		times []time.Duration // offsets from t0 of successive takes
		want  []bool
	}{
		{name: "ok/burst then refused", times: repeatN[time.Duration](0, maxBuildBurst+1), want: append(repeatN(true, maxBuildBurst), false)},
		{name: "ok/refills at the rate", times: append(repeatN[time.Duration](0, maxBuildBurst), time.Second/maxBuildsPerSecond), want: repeatN(true, maxBuildBurst+1)},
		{name: "ok/refill is capped at the burst", times: append([]time.Duration{0}, repeatN(time.Hour, maxBuildBurst+1)...), want: append(repeatN(true, maxBuildBurst+1), false)},
		{name: "ok/clock going back adds nothing", times: append(repeatN(time.Second, maxBuildBurst), 0), want: append(repeatN(true, maxBuildBurst), false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b buildBudget
			for i, d := range tt.times {
				if got := b.take(t0.Add(d)); got != tt.want[i] {
					t.Fatalf("take %d at +%v = %v, want %v", i, d, got, tt.want[i])
				}
			}
		})
	}
}

func repeatN[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}
