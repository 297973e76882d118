//lint:file-ignore SA1019 these tests build malformed and hand-made keys through the raw coordinates on purpose

package p256verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"filippo.io/nistec"
)

func TestNewKey(t *testing.T) {
	pub := keyFromSeed(t, []byte("new key")).PublicKey
	p := elliptic.P256().Params().P
	priv384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	with := func(x, y *big.Int) *ecdsa.PublicKey {
		return &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}
	}
	tests := []struct {
		name string
		pub  *ecdsa.PublicKey
		want error
	}{
		{"ok", &pub, nil},
		{"error/nil key", nil, ErrInvalidPublicKey},
		{"error/P-384 key", &priv384.PublicKey, ErrUnsupportedCurve},
		{"error/nil curve", &ecdsa.PublicKey{X: pub.X, Y: pub.Y}, ErrUnsupportedCurve},
		{"error/missing X", with(nil, pub.Y), ErrInvalidPublicKey},
		{"error/missing Y", with(pub.X, nil), ErrInvalidPublicKey},
		{"error/point not on curve", with(pub.X, new(big.Int).Add(pub.Y, big.NewInt(1))), ErrInvalidPublicKey},
		{"error/infinity as (0,0)", with(new(big.Int), new(big.Int)), ErrInvalidPublicKey},
		{"error/negative X", with(new(big.Int).Neg(pub.X), pub.Y), ErrInvalidPublicKey},
		{"error/X not reduced mod p", with(new(big.Int).Add(pub.X, p), pub.Y), ErrInvalidPublicKey},
		{"error/X over 256 bits", with(new(big.Int).Lsh(pub.X, 64), pub.Y), ErrInvalidPublicKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := NewKey(tt.pub)
			if !errors.Is(err, tt.want) {
				t.Fatalf("NewKey error = %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			want := 37 * 64 * pointSize // the portable table
			if k.fast.ok() {
				want = 37 * 64 * affineSize // the affine table of the fast path, alone
			}
			if k.TableBytes() != want {
				t.Fatalf("NewKey table size = %d, want %d", k.TableBytes(), want)
			}
		})
	}
}

// TestMulQ checks the comb multiplication against nistec's own ScalarMult for
// every window width and for scalars that stress the signed recoding: digits
// at +half, -1, carries through every window, and the top bits.
func TestMulQ(t *testing.T) {
	pub := keyFromSeed(t, []byte("mulq")).PublicKey
	ones := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	scalars := map[string]*big.Int{
		"zero":       new(big.Int),
		"one":        big.NewInt(1),
		"two":        big.NewInt(2),
		"n-1":        new(big.Int).Sub(order, big.NewInt(1)),
		"n":          new(big.Int).Set(order),
		"2^255":      new(big.Int).Lsh(big.NewInt(1), 255),
		"2^256-1":    ones,
		"0x40 bytes": new(big.Int).SetBytes(repeat(0x40)),
		"0x7f bytes": new(big.Int).SetBytes(repeat(0x7f)),
		"0x80 bytes": new(big.Int).SetBytes(repeat(0x80)),
		"0xaa bytes": new(big.Int).SetBytes(repeat(0xaa)),
	}
	for i := range 64 {
		d := sha256.Sum256(fmt.Appendf(nil, "scalar %d", i))
		scalars[fmt.Sprintf("random %d", i)] = new(big.Int).SetBytes(d[:])
	}
	q, err := decodePublicKey(&pub)
	if err != nil {
		t.Fatal(err)
	}
	for w := uint(2); w <= 8; w++ {
		k := portableKey(q, w)
		for name, sc := range scalars {
			t.Run(fmt.Sprintf("ok/w=%d/%s", w, name), func(t *testing.T) {
				var b [scalarSize]byte
				sc.FillBytes(b[:])
				want, err := nistec.NewP256Point().ScalarMult(k.q, b[:])
				if err != nil {
					t.Fatal(err)
				}
				got := nistec.NewP256Point()
				if k.addMulQ(got, &b); got.Equal(want) != 1 {
					t.Fatalf("0 + %x*Q = %x, want %x", b, got.Bytes(), want.Bytes())
				}
				// From a non-zero start, including start = -scalar*Q,
				// where the sum is the point at infinity.
				start := nistec.NewP256Point().SetGenerator()
				wantG := nistec.NewP256Point().Add(want, start)
				if k.addMulQ(start, &b); start.Equal(wantG) != 1 {
					t.Fatalf("G + %x*Q = %x, want %x", b, start.Bytes(), wantG.Bytes())
				}
				neg := nistec.NewP256Point().Negate(want)
				if k.addMulQ(neg, &b); neg.IsInfinity() != 1 {
					t.Fatalf("-%x*Q + %x*Q = %x, want infinity", b, b, neg.Bytes())
				}
			})
		}
	}
}

func repeat(b byte) []byte {
	out := make([]byte, scalarSize)
	for i := range out {
		out[i] = b
	}
	return out
}

// TestVerifyDifferential compares Key.Verify with crypto/ecdsa.Verify on
// random keys and digests of several lengths, for valid signatures and for
// every kind of damage the brief lists. Each case also states the expected
// answer, so a bug shared by both would still fail.
func TestVerifyDifferential(t *testing.T) {
	nKeys := 24
	if testing.Short() {
		nKeys = 4
	}
	n := order
	ones := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	specials := map[string]*big.Int{
		"0": new(big.Int), "1": big.NewInt(1), "n-1": new(big.Int).Sub(n, big.NewInt(1)),
		"n": new(big.Int).Set(n), "n+1": new(big.Int).Add(n, big.NewInt(1)),
		"2^256-1": ones, "-1": big.NewInt(-1),
	}
	digestLens := []int{32, 0, 1, 20, 31, 33, 48, 64, 32, 32, 32}
	// The last three digests are fixed values at or above n and all zeros
	// (e = 0, so u1*G is the point at infinity).
	specialDigests := map[int][]byte{
		8:  repeat(0xff),
		9:  n.FillBytes(make([]byte, scalarSize)),
		10: make([]byte, scalarSize),
	}
	for ki := range nKeys {
		priv := keyFromSeed(t, fmt.Appendf(nil, "differential key %d", ki))
		other := keyFromSeed(t, fmt.Appendf(nil, "differential other %d", ki))
		k := mustKey(t, &priv.PublicKey)
		for di, dl := range digestLens {
			seed := sha256.Sum256(fmt.Appendf(nil, "digest %d %d", ki, dl))
			digest := make([]byte, dl)
			for i := range digest {
				digest[i] = seed[i%len(seed)] ^ byte(i/len(seed))
			}
			if special, ok := specialDigests[di]; ok {
				digest = special
			}
			r, s, err := ecdsa.Sign(nil, priv, digest)
			if err != nil {
				t.Fatal(err)
			}
			bit := int(seed[0])
			cases := []verifyCase{
				{"ok/valid", nil, digest, r, s, true},
				{"ok/s replaced by n-s", nil, digest, r, new(big.Int).Sub(n, s), true},
				{"error/bit flipped in r", nil, digest, flipBit(r, bit), s, false},
				{"error/bit flipped in s", nil, digest, r, flipBit(s, bit), false},
				{"error/r replaced by r+n", nil, digest, new(big.Int).Add(r, n), s, false},
				{"error/s replaced by s+n", nil, digest, r, new(big.Int).Add(s, n), false},
				{"error/wrong key", &other.PublicKey, digest, r, s, false},
			}
			if dl > 0 {
				// Flipping a bit beyond the first 32 bytes is ignored by
				// ECDSA (the digest is truncated), so flip one inside.
				flipped := append([]byte(nil), digest...)
				flipped[int(seed[1])%min(dl, scalarSize)] ^= 1 << (seed[2] % 8)
				cases = append(cases, verifyCase{"error/bit flipped in digest", nil, flipped, r, s, false})
			}
			if dl > scalarSize {
				extra := append([]byte(nil), digest...)
				extra[dl-1] ^= 1
				cases = append(cases, verifyCase{"ok/bits past 256 ignored", nil, extra, r, s, true})
			}
			for name, v := range specials {
				cases = append(cases,
					verifyCase{"error/r=" + name, nil, digest, v, s, false},
					verifyCase{"error/s=" + name, nil, digest, r, v, false})
			}
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s/key%d/digest%d_len%d", c.name, ki, di, len(digest)), func(t *testing.T) {
					kk, pub := k, &priv.PublicKey
					if c.pub != nil {
						kk, pub = mustKey(t, c.pub), c.pub
					}
					want := ecdsa.Verify(pub, c.digest, c.r, c.s)
					if want != c.want {
						t.Fatalf("crypto/ecdsa.Verify = %v, case expects %v", want, c.want)
					}
					if got := kk.Verify(c.digest, c.r, c.s); got != want {
						t.Fatalf("Key.Verify = %v, crypto/ecdsa.Verify = %v", got, want)
					}
				})
			}
		}
	}
}

func TestVerifyNilInputs(t *testing.T) {
	priv := keyFromSeed(t, []byte("nil"))
	k := mustKey(t, &priv.PublicKey)
	digest := sha256.Sum256([]byte("m"))
	r, s, err := ecdsa.Sign(nil, priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		key  *Key
		r, s *big.Int
	}{
		{"ok", k, r, s},
		{"error/nil r", k, nil, s},
		{"error/nil s", k, r, nil},
		{"error/nil r and s", k, nil, nil},
		{"error/nil Key", nil, r, s},
		{"error/zero Key", &Key{}, r, s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.name == "ok"
			if got := tt.key.Verify(digest[:], tt.r, tt.s); got != want {
				t.Fatalf("Verify = %v, want %v", got, want)
			}
		})
	}
}

// TestZeroKeyRejectsForgery shows why a Key without a table must refuse: a
// signature made without the private key, valid for R = u1*G alone.
func TestZeroKeyRejectsForgery(t *testing.T) {
	digest := sha256.Sum256([]byte("forged"))
	nonce := sha256.Sum256([]byte("attacker nonce"))
	// R = kG, r = R.x, s = e/k, so that u1 = e/s = k and u1*G = R.
	kk := new(big.Int).SetBytes(nonce[:])
	kk.Mod(kk, order)
	r := baseX(t, kk)
	s := hashToInt(new(big.Int), digest[:])
	s.Mul(s, new(big.Int).ModInverse(kk, order)).Mod(s, order)
	if (&Key{}).Verify(digest[:], r, s) {
		t.Fatal("zero Key accepted a forgery")
	}
}

// craftKey returns the public key Q for which (r, s) over digest makes
// R = u1*G + u2*Q equal to target (the way Wycheproof builds edge cases):
// Q = u2^-1 * (target - u1*G).
func craftKey(t *testing.T, target *nistec.P256Point, digest []byte, r, s *big.Int) *ecdsa.PublicKey {
	t.Helper()
	w := new(big.Int).ModInverse(s, order)
	u1 := hashToInt(new(big.Int), digest)
	u1.Mul(u1, w).Mod(u1, order)
	u2inv := new(big.Int).Mul(r, w)
	u2inv.Mod(u2inv, order).ModInverse(u2inv, order)
	var b1, b2 [scalarSize]byte
	u1.FillBytes(b1[:])
	u2inv.FillBytes(b2[:])
	u1G, err := nistec.NewP256Point().ScalarBaseMult(b1[:])
	if err != nil {
		t.Fatal(err)
	}
	q := nistec.NewP256Point().Add(target, u1G.Negate(u1G))
	if _, err := q.ScalarMult(q, b2[:]); err != nil {
		t.Fatal(err)
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), q.Bytes())
	if err != nil {
		t.Fatalf("crafted key: %v", err)
	}
	return pub
}

// pointWithXAboveN finds a curve point whose x-coordinate lies in [n, p), the
// case where R.x must be reduced mod n before comparing with r.
func pointWithXAboveN(t *testing.T) (*nistec.P256Point, *big.Int) {
	t.Helper()
	params := elliptic.P256().Params()
	for x := new(big.Int).Set(order); x.Cmp(params.P) < 0; x.Add(x, big.NewInt(1)) {
		// y^2 = x^3 - 3x + b
		y2 := new(big.Int).Exp(x, big.NewInt(3), params.P)
		y2.Sub(y2, new(big.Int).Mul(x, big.NewInt(3))).Add(y2, params.B).Mod(y2, params.P)
		y := new(big.Int).ModSqrt(y2, params.P)
		if y == nil {
			continue
		}
		enc := make([]byte, 65)
		enc[0] = 4
		x.FillBytes(enc[1:33])
		y.FillBytes(enc[33:])
		p, err := nistec.NewP256Point().SetBytes(enc)
		if err != nil {
			t.Fatal(err)
		}
		return p, x
	}
	t.Fatal("no point with x in [n, p)")
	return nil, nil
}

// TestVerifyCraftedEdgeCases covers the two branches random signatures never
// reach: R.x >= n, and R the point at infinity.
func TestVerifyCraftedEdgeCases(t *testing.T) {
	digest := sha256.Sum256([]byte("edge"))
	s := bigHex(t, "4cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76")
	rPoint, x := pointWithXAboveN(t)
	rReduced := new(big.Int).Sub(x, order)
	keyXAboveN := craftKey(t, rPoint, digest[:], rReduced, s)
	keyInfinity := craftKey(t, nistec.NewP256Point(), digest[:], big.NewInt(12345), s)

	tests := []struct {
		name string
		pub  *ecdsa.PublicKey
		r    *big.Int
		want bool
	}{
		{"ok/R.x >= n, r = R.x - n", keyXAboveN, rReduced, true},
		{"error/R.x >= n, r = R.x", keyXAboveN, x, false},
		{"error/R is the point at infinity", keyInfinity, big.NewInt(12345), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := ecdsa.Verify(tt.pub, digest[:], tt.r, s)
			if want != tt.want {
				t.Fatalf("crypto/ecdsa.Verify = %v, case expects %v", want, tt.want)
			}
			if got := mustKey(t, tt.pub).Verify(digest[:], tt.r, s); got != want {
				t.Fatalf("Key.Verify = %v, crypto/ecdsa.Verify = %v", got, want)
			}
		})
	}
}
