//lint:file-ignore SA1019 these tests build hand-made keys through the raw coordinates on purpose

package p256verify

// Review tests: differential checks against crypto/ecdsa for the paths the
// other tests reach only indirectly — the cache's table path (third use) on
// Wycheproof's vectors, cache isolation between keys whose encodings are
// close (negated Y, leading zero bytes), and keys Q = G and Q = -G, where
// the comb's additions meet the generator multiple and can cancel to the
// point at infinity.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"fmt"
	"math/big"
	"testing"
	"time"
)

// TestReviewWycheproofCached runs Wycheproof's vectors through a Cache, so
// that every vector after a group's first is judged by the table the cache
// built (the path credential/jws.go takes), and through the package-level
// VerifyP1363 with its shared cache.
func TestReviewWycheproofCached(t *testing.T) {
	f := loadWycheproof(t)
	c := NewCache(2) // smaller than the number of groups: evictions too
	ran := 0
	for gi, g := range f.TestGroups {
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), mustHex(t, g.PublicKey))
		if err != nil {
			t.Fatalf("public key %s: %v", g.PublicKey, err)
		}
		// Two warm-up uses so the group's vectors run on the table.
		warm := sha256.Sum256([]byte("warm"))
		c.VerifyP1363(pub, warm[:], make([]byte, 64))
		c.VerifyP1363(pub, warm[:], make([]byte, 64))
		for _, tv := range g.Tests {
			ran++
			t.Run(fmt.Sprintf("group%d/%d/%s", gi, tv.TcID, tv.Result), func(t *testing.T) {
				digest := sha256.Sum256(mustHex(t, tv.Msg))
				sig := mustHex(t, tv.Sig)
				r, s, ok := splitP1363(sig)
				want := ok && ecdsa.Verify(pub, digest[:], r, s)
				if tv.Result == "valid" && !want || tv.Result == "invalid" && want {
					t.Fatalf("crypto/ecdsa = %v for a %q vector", want, tv.Result)
				}
				if got := c.VerifyP1363(pub, digest[:], sig); got != want {
					t.Fatalf("Cache.VerifyP1363 = %v, crypto/ecdsa = %v (flags %v)", got, want, tv.Flags)
				}
				if got := VerifyP1363(pub, digest[:], sig); got != want {
					t.Fatalf("VerifyP1363 = %v, crypto/ecdsa = %v (flags %v)", got, want, tv.Flags)
				}
			})
		}
	}
	if ran != f.NumberOfTests {
		t.Fatalf("ran %d vectors, file declares %d", ran, f.NumberOfTests)
	}
}

// keyWithLeadingZeroX finds a key whose X has a leading zero byte, the case
// where an encoding that is not fixed-width (big.Int.Bytes) would be shorter
// and could be confused with another key's.
func keyWithLeadingZeroX(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	for i := range 1 << 14 {
		priv := keyFromSeed(t, fmt.Appendf(nil, "leading zero %d", i))
		if priv.X.BitLen() <= 248 {
			return priv
		}
	}
	t.Fatal("no key with a leading zero byte in X")
	return nil
}

// TestReviewCacheIsolation builds tables for keys whose encodings are close
// — a key and its negation (same X), a key with a leading zero byte in X —
// and checks every signature against every key through the table path: a
// table must serve exactly its own key.
func TestReviewCacheIsolation(t *testing.T) {
	a := keyFromSeed(t, []byte("isolation a"))
	lz := keyWithLeadingZeroX(t)
	negA := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Set(a.X),
		Y: new(big.Int).Sub(elliptic.P256().Params().P, a.Y)}
	// The private key of -Q is n-d; sign with it so the negated key has a
	// valid signature of its own.
	negPriv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), new(big.Int).Sub(order, a.D).FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if negPriv.X.Cmp(negA.X) != 0 || negPriv.Y.Cmp(negA.Y) != 0 {
		t.Fatal("n-d does not give -Q")
	}
	privs := map[string]*ecdsa.PrivateKey{"a": a, "-a": negPriv, "leading zero": lz}
	digest := sha256.Sum256([]byte("isolation"))
	type sig struct{ r, s *big.Int }
	sigs := make(map[string]sig)
	for name, p := range privs {
		r, s, ok := signWithNonce(t, p, digest[:], []byte("nonce "+name))
		if !ok {
			t.Fatal("nonce gave r or s = 0")
		}
		sigs[name] = sig{r, s}
	}
	c := NewCache(len(privs))
	for range 2 { // admit every key's table
		for _, p := range privs {
			c.Verify(&p.PublicKey, digest[:], big.NewInt(1), big.NewInt(1))
		}
	}
	if got := c.Len(); got != len(privs) {
		t.Fatalf("tables = %d, want %d", got, len(privs))
	}
	for keyName, p := range privs {
		for sigName, sg := range sigs {
			name := "error/" + sigName + " signature under key " + keyName
			if keyName == sigName {
				name = "ok/" + keyName
			}
			t.Run(name, func(t *testing.T) {
				want := ecdsa.Verify(&p.PublicKey, digest[:], sg.r, sg.s)
				if want != (keyName == sigName) {
					t.Fatalf("crypto/ecdsa.Verify = %v", want)
				}
				if got := c.Verify(&p.PublicKey, digest[:], sg.r, sg.s); got != want {
					t.Fatalf("Cache.Verify = %v, crypto/ecdsa.Verify = %v", got, want)
				}
			})
		}
	}
	if got := c.Len(); got != len(privs) {
		t.Fatalf("tables after the checks = %d, want %d (a table was dropped or rebuilt)", got, len(privs))
	}
}

// TestReviewGeneratorKeys uses Q = G (d = 1) and Q = -G (d = n-1) with
// digests chosen so that e = r, hence u1 = u2: R = 2*u1*G for Q = G and
// R = u1*G - u1*G = infinity for Q = -G, which must be refused whatever s is.
func TestReviewGeneratorKeys(t *testing.T) {
	one := big.NewInt(1)
	keyG, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), one.FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	keyNegG, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), new(big.Int).Sub(order, one).FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	var cases []verifyCase
	for i := range 16 {
		nonce := sha256.Sum256(fmt.Appendf(nil, "generator nonce %d", i))
		k := new(big.Int).Mod(new(big.Int).SetBytes(nonce[:]), order)
		r := baseX(t, k)
		digest := r.FillBytes(make([]byte, 32)) // e = r
		// Q = G: s = (e + r*1)/k = 2r/k, a valid signature with u1 = u2.
		s := new(big.Int).Lsh(r, 1)
		s.Mul(s, new(big.Int).ModInverse(k, order)).Mod(s, order)
		cases = append(cases,
			verifyCase{fmt.Sprintf("ok/Q=G u1=u2 %d", i), &keyG.PublicKey, digest, r, s, true},
			verifyCase{fmt.Sprintf("error/Q=G s+1 %d", i), &keyG.PublicKey, digest, r, new(big.Int).Add(s, one), false},
			// Q = -G: u1*G + u2*(-G) is the point at infinity for any s.
			verifyCase{fmt.Sprintf("error/Q=-G R at infinity %d", i), &keyNegG.PublicKey, digest, r, s, false},
			verifyCase{fmt.Sprintf("error/Q=-G R at infinity s=1 %d", i), &keyNegG.PublicKey, digest, r, one, false},
		)
	}
	c := NewCache(2)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			want := ecdsa.Verify(tt.pub, tt.digest, tt.r, tt.s)
			if want != tt.want {
				t.Fatalf("crypto/ecdsa.Verify = %v, case expects %v", want, tt.want)
			}
			if got := mustKey(t, tt.pub).Verify(tt.digest, tt.r, tt.s); got != want {
				t.Fatalf("Key.Verify = %v, crypto/ecdsa.Verify = %v", got, want)
			}
			for use := range 3 {
				if got := c.Verify(tt.pub, tt.digest, tt.r, tt.s); got != want {
					t.Fatalf("use %d: Cache.Verify = %v, crypto/ecdsa.Verify = %v", use+1, got, want)
				}
			}
		})
	}
}

// TestReviewCallerMutatesKeyAfterUse shows that a table is bound to the key
// value seen when it was built, not to the *ecdsa.PublicKey pointer: after
// the caller overwrites the key's coordinates in place (another valid key),
// the cache must judge with the new key, never with the old table.
func TestReviewCallerMutatesKeyAfterUse(t *testing.T) {
	a := signed(t, "mutate a")
	b := signed(t, "mutate b")
	c := NewCache(4)
	pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Set(a.pub.X), Y: new(big.Int).Set(a.pub.Y)}
	for use := range 3 {
		if !c.Verify(pub, a.digest, a.r, a.s) {
			t.Fatalf("use %d: a's signature refused under a", use+1)
		}
	}
	pub.X.Set(b.pub.X)
	pub.Y.Set(b.pub.Y)
	tests := []struct {
		name   string
		digest []byte
		r, s   *big.Int
		want   bool
	}{
		{"ok/b's signature under b", b.digest, b.r, b.s, true},
		{"error/a's signature under b", a.digest, a.r, a.s, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for use := range 3 {
				if got := c.Verify(pub, tt.digest, tt.r, tt.s); got != tt.want {
					t.Fatalf("use %d: Cache.Verify = %v, want %v", use+1, got, tt.want)
				}
			}
		})
	}
}

// BenchmarkReviewThrash measures the cache under an access pattern a caller
// can choose when more than DefaultCacheSize P-256 keys can be named (every
// issuer key, retired ones included, is public and selectable by kid): each
// of DefaultCacheSize+1 keys is used twice in a row, so every second call
// builds a table and evicts another. It reports the cost per call as a
// multiple of crypto/ecdsa.Verify on the same inputs, and the ratio for the
// steady state (one hot key) beside it.
func BenchmarkReviewThrash(b *testing.B) {
	const nKeys = DefaultCacheSize + 1
	type keyed struct {
		pub    *ecdsa.PublicKey
		digest []byte
		r, s   *big.Int
	}
	keys := make([]keyed, nKeys)
	for i := range keys {
		priv := keyFromSeed(b, fmt.Appendf(nil, "thrash %d", i))
		d := sha256.Sum256(fmt.Appendf(nil, "thrash message %d", i))
		r, s, ok := signWithNonce(b, priv, d[:], d[:])
		if !ok {
			b.Fatal("nonce gave r or s = 0")
		}
		keys[i] = keyed{&priv.PublicKey, d[:], r, s}
	}
	baseline := func(n int) float64 {
		n = min(max(n, 200), 2000)
		start := time.Now()
		for i := range n {
			k := keys[(i/2)%nKeys]
			if !ecdsa.Verify(k.pub, k.digest, k.r, k.s) {
				b.Fatal("baseline rejected a valid signature")
			}
		}
		return float64(time.Since(start).Nanoseconds()) / float64(n)
	}
	run := func(b *testing.B, pick func(i int) keyed) {
		c := NewCache(DefaultCacheSize)
		i := 0
		for b.Loop() {
			k := pick(i)
			if !c.Verify(k.pub, k.digest, k.r, k.s) {
				b.Fatal("valid signature rejected")
			}
			i++
		}
		perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(perOp/baseline(b.N), "x_crypto_ecdsa")
	}
	b.Run("one_hot_key", func(b *testing.B) { run(b, func(int) keyed { return keys[0] }) })
	b.Run("pairs_over_65_keys", func(b *testing.B) { run(b, func(i int) keyed { return keys[(i/2)%nKeys] }) })
}
