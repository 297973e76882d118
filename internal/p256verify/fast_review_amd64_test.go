//go:build !purego

package p256verify

// Adversarial review of the variable-time path (fast_amd64.go). The claim
// under test: Key.Verify decides exactly as crypto/ecdsa.Verify, even for
// signatures made by someone who knows the private key and so chooses u1 and
// u2 freely. The tests
//
//   - check the vendored mixed addition against a big.Int model of the same
//     formulas, including Z1 = 0, H = 0, y2 near p and aliasing res == in1;
//   - check the constants and the inversion;
//   - recode scalars independently (big.Int) and check Key.digit against it;
//   - make valid signatures for any chosen (u1, u2) (k = u1 + d*u2, r =
//     (kG).x mod n, s = r/u2, e = u1*s) and predict, from scalar arithmetic
//     mod n alone, whether one of the mixed additions meets a doubling or a
//     cancellation; verifyFast must be undecided exactly then, and every
//     decision must equal crypto/ecdsa's;
//   - build such collisions on purpose in the middle of the comb (a lattice
//     gives small scalars a, b with a + d*b = t mod n) and at its last step.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"filippo.io/nistec"
)

var (
	reviewP    = elliptic.P256().Params().P
	reviewR    = new(big.Int).Lsh(big.NewInt(1), 256)
	reviewRInv = new(big.Int).ModInverse(reviewR, elliptic.P256().Params().P)
)

// elemBig returns the raw 256-bit value of e's limbs (not reduced, not out
// of the Montgomery domain).
func elemBig(e *element) *big.Int {
	v := new(big.Int)
	for i := len(e) - 1; i >= 0; i-- {
		v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(e[i]))
	}
	return v
}

// bigElem returns the limbs of v < 2^256 as they are (no reduction).
func bigElem(v *big.Int) element {
	var e element
	w := new(big.Int).Set(v)
	mask := new(big.Int).SetUint64(^uint64(0))
	for i := range e {
		e[i] = new(big.Int).And(w, mask).Uint64()
		w.Rsh(w, 64)
	}
	return e
}

// montMul is the Montgomery product a*b/R mod p, the operation of the
// assembly's p256MulInternal, as a reference.
func montMul(a, b *big.Int) *big.Int {
	v := new(big.Int).Mul(a, b)
	v.Mul(v, reviewRInv)
	return v.Mod(v, reviewP)
}

func modSub(a, b *big.Int) *big.Int {
	v := new(big.Int).Sub(a, b)
	return v.Mod(v, reviewP)
}

// refAddAffine is the mixed addition of p256PointAddAffineAsm (sel = zero =
// 1) written out over big.Int in the Montgomery domain: H = x2*Z1^2 - X1,
// R = y2*Z1^3 - Y1, X3 = R^2 - H^3 - 2*X1*H^2, Y3 = R*(X1*H^2 - X3) -
// Y1*H^3, Z3 = Z1*H.
func refAddAffine(x1, y1, z1, x2, y2 *big.Int, neg bool) (x3, y3, z3 *big.Int) {
	if neg {
		y2 = modSub(big.NewInt(0), y2)
	}
	z1z1 := montMul(z1, z1)
	h := modSub(montMul(x2, z1z1), x1)
	r := modSub(montMul(montMul(y2, z1z1), z1), y1)
	hh := montMul(h, h)
	hhh := montMul(hh, h)
	v := montMul(x1, hh)
	x3 = modSub(modSub(montMul(r, r), hhh), new(big.Int).Lsh(v, 1))
	y3 = modSub(montMul(r, modSub(v, x3)), montMul(y1, hhh))
	z3 = montMul(z1, h)
	return x3, y3, z3
}

// TestReviewMixedAddAsm checks p256PointAddAffineAsm with sel = zero = 1 on
// arbitrary field elements (the formulas are algebraic: the inputs need not
// be on the curve) against refAddAffine, exactly mod p, and that every
// output limb vector is fully reduced (below p), which is what matchesX and
// isZero rely on. Z3 = Z1*H is the invariant the fast path's argument
// rests on; the cases include Z1 = 0 and H = 0, both signs, y2 in the range
// (2p - 2^256, p] where the assembly's conditional negation leaves 2p - y2
// unreduced for the multiplication, and res aliasing in1.
func TestReviewMixedAddAsm(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{'m', 'a', 'd', 'd'}))
	randElem := func() *big.Int {
		b := make([]byte, 40)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return new(big.Int).Mod(new(big.Int).SetBytes(b), reviewP)
	}
	pMinus := func(k int64) *big.Int { return new(big.Int).Sub(reviewP, big.NewInt(k)) }
	// 2p - 2^256 + 1: the smallest y2 whose negation p - y2 + p does not
	// carry out of 256 bits.
	lowQuirk := new(big.Int).Sub(new(big.Int).Lsh(reviewP, 1), reviewR)
	lowQuirk.Add(lowQuirk, big.NewInt(1))
	specialY2 := []*big.Int{big.NewInt(0), big.NewInt(1), pMinus(1), pMinus(2), lowQuirk, new(big.Int).Sub(lowQuirk, big.NewInt(2))}

	type addCase struct {
		name               string
		x1, y1, z1, x2, y2 *big.Int
	}
	var cases []addCase
	for i := range 300 {
		c := addCase{fmt.Sprintf("random %d", i), randElem(), randElem(), randElem(), randElem(), randElem()}
		switch i % 6 {
		case 1:
			c.name, c.z1 = fmt.Sprintf("Z1 = 0 %d", i), big.NewInt(0)
		case 2: // H = 0 with R != 0: the cancellation
			c.name = fmt.Sprintf("H = 0 %d", i)
			c.x1 = montMul(c.x2, montMul(c.z1, c.z1))
		case 3: // H = 0 and R = 0: the doubling
			c.name = fmt.Sprintf("H = R = 0 %d", i)
			z1z1 := montMul(c.z1, c.z1)
			c.x1 = montMul(c.x2, z1z1)
			c.y1 = montMul(montMul(c.y2, z1z1), c.z1)
		case 4:
			c.name = fmt.Sprintf("special y2 %d", i)
			c.y2 = specialY2[(i/6)%len(specialY2)]
		case 5:
			c.name = fmt.Sprintf("edge x1/z1 %d", i)
			c.x1, c.z1 = pMinus(1), pMinus(int64(1+i%3))
		}
		cases = append(cases, c)
	}
	for _, tt := range cases {
		for _, neg := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/neg=%v", tt.name, neg), func(t *testing.T) {
				in1 := jacobian{bigElem(tt.x1), bigElem(tt.y1), bigElem(tt.z1)}
				in2 := affinePoint{bigElem(tt.x2), bigElem(tt.y2)}
				sign := 0
				if neg {
					sign = 1
				}
				var res jacobian
				p256PointAddAffineAsm(&res, &in1, &in2, sign, 1, 1)
				aliased := in1
				p256PointAddAffineAsm(&aliased, &aliased, &in2, sign, 1, 1)
				if aliased != res {
					t.Fatalf("res == in1 gives %x, separate res %x", aliased, res)
				}
				wx, wy, wz := refAddAffine(tt.x1, tt.y1, tt.z1, tt.x2, tt.y2, neg)
				for _, c := range []struct {
					name string
					got  element
					want *big.Int
				}{{"X3", res.x, wx}, {"Y3", res.y, wy}, {"Z3", res.z, wz}} {
					g := elemBig(&c.got)
					if g.Cmp(reviewP) >= 0 {
						t.Errorf("%s = %x is not reduced below p", c.name, g)
					}
					if g.Cmp(c.want) != 0 {
						t.Errorf("%s = %x, want %x", c.name, g, c.want)
					}
				}
				if tt.z1.Sign() == 0 || tt.name[:5] == "H = 0" || tt.name[:5] == "H = R" {
					if res.z != (element{}) {
						t.Errorf("Z3 = %x, want exactly zero limbs", res.z)
					}
				}
			})
		}
	}
}

// TestReviewConstants recomputes the Montgomery constants, p, p - n and G
// from crypto/elliptic's parameters, and checks p256Inverse and p256Mul's
// canonical outputs on inputs at the top of the limb range.
func TestReviewConstants(t *testing.T) {
	params := elliptic.P256().Params()
	mont := func(v *big.Int) *big.Int { return new(big.Int).Mod(new(big.Int).Mul(v, reviewR), reviewP) }
	rr := new(big.Int).Mod(new(big.Int).Mul(reviewR, reviewR), reviewP)
	checks := []struct {
		name string
		got  element
		want *big.Int
	}{
		{"montOne", montOne, mont(big.NewInt(1))},
		{"montRR", montRR, rr},
		{"fieldP", fieldP, reviewP},
		{"generator.x", generator.x, mont(params.Gx)},
		{"generator.y", generator.y, mont(params.Gy)},
	}
	for _, c := range checks {
		if g := elemBig(&c.got); g.Cmp(c.want) != 0 {
			t.Errorf("%s = %x, want %x", c.name, g, c.want)
		}
	}
	if want := new(big.Int).Sub(params.P, params.N); pMinusN.Cmp(want) != 0 {
		t.Errorf("pMinusN = %x, want %x", pMinusN, want)
	}
	rng := rand.New(rand.NewChaCha8([32]byte{'i', 'n', 'v'}))
	for i := range 64 {
		var b [scalarSize]byte
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		v := new(big.Int).Mod(new(big.Int).SetBytes(b[:]), reviewP)
		if v.Sign() == 0 {
			continue
		}
		e := bigElem(v)
		var inv, prod element
		p256Inverse(&inv, &e)
		p256Mul(&prod, &inv, &e)
		if prod != montOne {
			t.Fatalf("p256Inverse(%x) * it = %x, want montOne", v, prod)
		}
		// p256Mul by montOne canonicalises any 256-bit input (xModNIs
		// relies on it): try v + p where it fits, and 2^256 - 1 - i.
		for _, raw := range []*big.Int{new(big.Int).Add(v, reviewP), new(big.Int).Sub(reviewR, big.NewInt(int64(1+i)))} {
			if raw.Cmp(reviewR) >= 0 {
				continue
			}
			in := bigElem(raw)
			var out element
			p256Mul(&out, &in, &montOne)
			if g, want := elemBig(&out), new(big.Int).Mod(raw, reviewP); g.Cmp(want) != 0 {
				t.Fatalf("p256Mul(%x, montOne) = %x, want %x", raw, g, want)
			}
		}
	}
}

// reviewDigits recodes 0 <= u < 2^256 into signed base-2^7 digits in
// [-63, 64], independently of Key.digit: d_i = v mod 128, taken as d_i - 128
// above 64, and v = (v - d_i) / 128.
func reviewDigits(t testing.TB, u *big.Int) []int64 {
	t.Helper()
	v := new(big.Int).Set(u)
	out := make([]int64, combWindows(defaultWindow))
	for i := range out {
		m := new(big.Int).And(v, big.NewInt(127)).Int64()
		if m > 64 {
			m -= 128
		}
		out[i] = m
		v.Sub(v, big.NewInt(m)).Rsh(v, defaultWindow)
	}
	if v.Sign() != 0 {
		t.Fatalf("scalar %x needs more than %d windows", u, len(out))
	}
	return out
}

// reviewScalars is a set of scalars that stress the recoding: digits at
// +half and -(half-1), carries through every window, values next to n and to
// powers of two.
func reviewScalars() map[string]*big.Int {
	n := order
	hex := func(s string) *big.Int { v, _ := new(big.Int).SetString(s, 16); return v }
	allHalf := new(big.Int) // digit 64 in every window below the top one
	all65 := new(big.Int)   // digit 65 (-63, carry) in every window below the top one
	for i := range combWindows(defaultWindow) - 1 {
		allHalf.Add(allHalf, new(big.Int).Lsh(big.NewInt(64), defaultWindow*i))
		all65.Add(all65, new(big.Int).Lsh(big.NewInt(65), defaultWindow*i))
	}
	return map[string]*big.Int{
		"1":               big.NewInt(1),
		"2":               big.NewInt(2),
		"64":              big.NewInt(64),
		"65":              big.NewInt(65),
		"127":             big.NewInt(127),
		"128":             big.NewInt(128),
		"n-1":             new(big.Int).Sub(n, big.NewInt(1)),
		"n-2":             new(big.Int).Sub(n, big.NewInt(2)),
		"(n-1)/2":         new(big.Int).Rsh(n, 1),
		"(n+1)/2":         new(big.Int).Rsh(new(big.Int).Add(n, big.NewInt(1)), 1),
		"2^255":           new(big.Int).Lsh(big.NewInt(1), 255),
		"2^252-1 (carry)": new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 252), big.NewInt(1)),
		"15*2^252":        new(big.Int).Lsh(big.NewInt(15), 252),
		"all digits 64":   allHalf,
		"all digits 65":   new(big.Int).Mod(all65, n),
		"random":          hex("9c1a6b0f2e5d4c3b2a19f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b3a"),
	}
}

// TestReviewDigitRecoding checks that Key.digit's signed digits equal the
// independent recoding for the review scalars and random ones, lie in
// [-(half-1), half], and leave no carry out of the top window.
func TestReviewDigitRecoding(t *testing.T) {
	k := &Key{w: defaultWindow, half: 1 << (defaultWindow - 1), windows: combWindows(defaultWindow)}
	scalars := reviewScalars()
	rng := rand.New(rand.NewChaCha8([32]byte{'d', 'i', 'g'}))
	for i := range 200 {
		var b [scalarSize]byte
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		scalars[fmt.Sprintf("random %d", i)] = new(big.Int).SetBytes(b[:]) // up to 2^256-1
	}
	scalars["2^256-1"] = new(big.Int).Sub(reviewR, big.NewInt(1))
	for name, u := range scalars {
		want := reviewDigits(t, u)
		var b [scalarSize]byte
		var l limbs
		l.setBytes((*[scalarSize]byte)(u.FillBytes(b[:])))
		var carry uint64
		for i := range k.windows {
			mag, neg := k.digit(&l, i, &carry)
			got := int64(mag)
			if neg {
				got = -got
			}
			if got != want[i] || mag > uint64(k.half) || (neg && mag == uint64(k.half)) {
				t.Fatalf("%s: window %d digit %d, want %d", name, i, got, want[i])
			}
		}
		if carry != 0 {
			t.Fatalf("%s: carry %d out of the top window", name, carry)
		}
	}
}

// expectDecided predicts from scalars mod n alone whether verifyFast can
// decide u1*G + u2*(d*G): it adds, window by window, the G digit and then
// the Q digit, and a mixed addition of b to an accumulator a is incomplete
// exactly when a = +-b (H = 0), after which Z stays 0.
func expectDecided(t testing.TB, d, u1, u2 *big.Int) bool {
	t.Helper()
	g, q := reviewDigits(t, u1), reviewDigits(t, u2)
	var acc *big.Int
	collided := false
	for i := range g {
		for _, step := range []struct {
			digit int64
			mult  *big.Int
		}{{g[i], big.NewInt(1)}, {q[i], d}} {
			if step.digit == 0 {
				continue
			}
			b := new(big.Int).Lsh(big.NewInt(step.digit), defaultWindow*uint(i))
			b.Mul(b, step.mult).Mod(b, order)
			if acc == nil {
				acc = b
				continue
			}
			negB := new(big.Int).Sub(order, b)
			if acc.Cmp(b) == 0 || acc.Cmp(negB) == 0 {
				collided = true
			}
			acc.Add(acc, b).Mod(acc, order)
		}
	}
	return acc != nil && !collided
}

// scalarSig is a signature made for chosen u1 and u2 by the holder of d.
type scalarSig struct {
	digest []byte
	r, s   *big.Int
	valid  bool // false when u1 + d*u2 = 0 mod n: R is the point at infinity
}

// signForScalars returns a signature under d whose verification computes
// exactly u1*G + u2*Q: R = (u1 + d*u2)*G, r = R.x mod n, s = r/u2, e = u1*s
// (the digest is e itself). When R is the point at infinity there is no
// valid r; r = 1 is used and the signature is invalid. u2 must be in
// [1, n-1], u1 in [0, n-1].
func signForScalars(t testing.TB, d, u1, u2 *big.Int) scalarSig {
	t.Helper()
	k := new(big.Int).Mul(d, u2)
	k.Add(k, u1).Mod(k, order)
	sig := scalarSig{r: big.NewInt(1), valid: k.Sign() != 0}
	if sig.valid {
		sig.r = baseX(t, k)
		if sig.r.Sign() == 0 {
			t.Fatal("R.x = 0 mod n")
		}
	}
	sig.s = new(big.Int).ModInverse(u2, order)
	sig.s.Mul(sig.s, sig.r).Mod(sig.s, order)
	e := new(big.Int).Mul(u1, sig.s)
	sig.digest = e.Mod(e, order).FillBytes(make([]byte, scalarSize))
	return sig
}

// seedScalar is the private scalar of keyFromSeed(seed), through
// PrivateKey.Bytes rather than the deprecated D field.
func seedScalar(t testing.TB, seed []byte) *big.Int {
	t.Helper()
	b, err := keyFromSeed(t, seed).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return new(big.Int).SetBytes(b)
}

// reviewKey is a private key d with its Key.
type reviewKey struct {
	name string
	d    *big.Int
	priv *ecdsa.PrivateKey
	key  *Key
}

func newReviewKey(t testing.TB, name string, d *big.Int) reviewKey {
	t.Helper()
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d.FillBytes(make([]byte, scalarSize)))
	if err != nil {
		t.Fatalf("key %s: %v", name, err)
	}
	k := mustKey(t, &priv.PublicKey)
	if !k.fast.ok() {
		t.Fatalf("key %s has no affine table", name)
	}
	return reviewKey{name, d, priv, k}
}

// reviewKeys are a random key and keys whose comb tables share entries with
// G's (Q = G, 2G, -G, 2^7*G: a Q entry of window i is the G entry of window
// i+1) or are far up the comb (2^252*G).
func reviewKeys(t testing.TB) []reviewKey {
	return []reviewKey{
		newReviewKey(t, "random", seedScalar(t, []byte("fast review"))),
		newReviewKey(t, "d=1", big.NewInt(1)),
		newReviewKey(t, "d=2", big.NewInt(2)),
		newReviewKey(t, "d=n-1", new(big.Int).Sub(order, big.NewInt(1))),
		newReviewKey(t, "d=2^7", big.NewInt(1<<defaultWindow)),
		newReviewKey(t, "d=2^252", new(big.Int).Lsh(big.NewInt(1), 252)),
	}
}

// checkScalarSig runs one chosen-scalar signature (and, when valid, the
// same with r+1) through crypto/ecdsa, Key.Verify, verifyComplete and
// verifyFast. want is the answer known by construction; wantDecided is
// expectDecided's prediction, which verifyFast must match exactly.
func checkScalarSig(t *testing.T, k reviewKey, u1, u2 *big.Int, sig scalarSig, wantDecided bool) {
	t.Helper()
	variants := []struct {
		name string
		r    *big.Int
		want bool
	}{{"as made", sig.r, sig.valid}}
	if sig.valid && sig.r.Cmp(new(big.Int).Sub(order, big.NewInt(1))) < 0 {
		variants = append(variants, struct {
			name string
			r    *big.Int
			want bool
		}{"r+1", new(big.Int).Add(sig.r, big.NewInt(1)), false})
	}
	for _, v := range variants {
		if got := ecdsa.Verify(&k.priv.PublicKey, sig.digest, v.r, sig.s); got != v.want {
			t.Fatalf("%s: crypto/ecdsa.Verify = %v, construction says %v", v.name, got, v.want)
		}
		if got := k.key.Verify(sig.digest, v.r, sig.s); got != v.want {
			t.Fatalf("%s: Key.Verify = %v, want %v", v.name, got, v.want)
		}
		gu1, gu2 := scalars(sig.digest, v.r, sig.s)
		var b1, b2 [scalarSize]byte
		if v.name == "as made" && (string(gu1[:]) != string(u1.FillBytes(b1[:])) || string(gu2[:]) != string(u2.FillBytes(b2[:]))) {
			t.Fatalf("signature computes u1 = %x, u2 = %x; made for %x, %x", gu1, gu2, u1, u2)
		}
		if got := k.key.verifyComplete(&gu1, &gu2, v.r); got != v.want {
			t.Fatalf("%s: verifyComplete = %v, want %v", v.name, got, v.want)
		}
		valid, decided := k.key.verifyFast(&gu1, &gu2, v.r)
		if decided && valid != v.want {
			t.Fatalf("%s: verifyFast decided %v, want %v", v.name, valid, v.want)
		}
		if v.name == "as made" && decided != wantDecided {
			t.Fatalf("verifyFast decided = %v, scalar model predicts %v", decided, wantDecided)
		}
	}
}

// TestReviewChosenScalars pairs every review scalar as u1 (and 0) with every
// review scalar as u2, for each review key, as valid signatures made with the
// private key; pairs with u1 + d*u2 = 0 give R at infinity and must fail.
func TestReviewChosenScalars(t *testing.T) {
	sc := reviewScalars()
	u1s := map[string]*big.Int{"0": big.NewInt(0)}
	for name, v := range sc {
		u1s[name] = v
	}
	undecided, infinity := 0, 0
	for _, k := range reviewKeys(t) {
		// Scalars that make R the point at infinity: u1 = -d*u2.
		for name, u2 := range sc {
			u1 := new(big.Int).Mul(k.d, u2)
			u1.Neg(u1).Mod(u1, order)
			u1s["-d*"+name] = u1
		}
		for n1, u1 := range u1s {
			for n2, u2 := range sc {
				t.Run(fmt.Sprintf("%s/u1=%s/u2=%s", k.name, n1, n2), func(t *testing.T) {
					sig := signForScalars(t, k.d, u1, u2)
					wantDecided := expectDecided(t, k.d, u1, u2)
					if !wantDecided {
						undecided++
					}
					if !sig.valid {
						infinity++
					}
					checkScalarSig(t, k, u1, u2, sig, wantDecided)
				})
			}
		}
		for name := range sc {
			delete(u1s, "-d*"+name)
		}
	}
	// The matrix must reach the cases it is for, or it proves nothing.
	if undecided < 50 || infinity < 6*len(sc) {
		t.Fatalf("only %d undecided and %d infinity cases reached", undecided, infinity)
	}
	t.Logf("%d undecided cases, %d with R at infinity", undecided, infinity)
}

// shortBasis returns a Lagrange-reduced basis of the lattice of (x, y) with
// x + d*y = 0 mod n; both vectors are about 2^128 long.
func shortBasis(d *big.Int) (u, v [2]*big.Int) {
	u = [2]*big.Int{new(big.Int).Set(order), big.NewInt(0)}
	v = [2]*big.Int{new(big.Int).Neg(d), big.NewInt(1)}
	dot := func(a, b [2]*big.Int) *big.Int {
		x := new(big.Int).Mul(a[0], b[0])
		return x.Add(x, new(big.Int).Mul(a[1], b[1]))
	}
	for {
		if dot(u, u).Cmp(dot(v, v)) > 0 {
			u, v = v, u
		}
		m := roundDiv(dot(u, v), dot(u, u))
		if m.Sign() == 0 {
			return u, v
		}
		v = [2]*big.Int{new(big.Int).Sub(v[0], new(big.Int).Mul(m, u[0])), new(big.Int).Sub(v[1], new(big.Int).Mul(m, u[1]))}
	}
}

// roundDiv is a/b rounded to the nearest integer, for b > 0.
func roundDiv(a, b *big.Int) *big.Int {
	num := new(big.Int).Lsh(a, 1)
	num.Add(num, b)
	return num.Div(num, new(big.Int).Lsh(b, 1)) // Euclidean: floor for b > 0
}

// smallSolution returns a, b in [0, 2^bound) with a + d*b = t mod n, by
// Babai rounding towards (2^(bound-2), 2^(bound-2)).
func smallSolution(t *testing.T, d, target *big.Int, bound uint) (a, b *big.Int) {
	t.Helper()
	u, v := shortBasis(d)
	c := new(big.Int).Lsh(big.NewInt(1), bound-2)
	tt := new(big.Int).Mod(target, order)
	// Find the lattice vector nearest (tt - c, -c); (tt, 0) minus it is a
	// solution near (c, c).
	tx, ty := new(big.Int).Sub(tt, c), new(big.Int).Neg(c)
	det := new(big.Int).Sub(new(big.Int).Mul(u[0], v[1]), new(big.Int).Mul(u[1], v[0]))
	alphaN := new(big.Int).Sub(new(big.Int).Mul(tx, v[1]), new(big.Int).Mul(ty, v[0]))
	betaN := new(big.Int).Sub(new(big.Int).Mul(u[0], ty), new(big.Int).Mul(u[1], tx))
	if det.Sign() < 0 {
		det.Neg(det)
		alphaN.Neg(alphaN)
		betaN.Neg(betaN)
	}
	alpha, beta := roundDiv(alphaN, det), roundDiv(betaN, det)
	limit := new(big.Int).Lsh(big.NewInt(1), bound)
	for _, da := range []int64{0, -1, 1} {
		for _, db := range []int64{0, -1, 1} {
			al, be := new(big.Int).Add(alpha, big.NewInt(da)), new(big.Int).Add(beta, big.NewInt(db))
			a = new(big.Int).Sub(tt, new(big.Int).Add(new(big.Int).Mul(al, u[0]), new(big.Int).Mul(be, v[0])))
			b = new(big.Int).Neg(new(big.Int).Add(new(big.Int).Mul(al, u[1]), new(big.Int).Mul(be, v[1])))
			if a.Sign() >= 0 && b.Sign() >= 0 && a.Cmp(limit) < 0 && b.Cmp(limit) < 0 {
				check := new(big.Int).Mul(d, b)
				check.Add(check, a).Sub(check, tt).Mod(check, order)
				if check.Sign() != 0 {
					t.Fatalf("a + d*b != t mod n")
				}
				return a, b
			}
		}
	}
	t.Fatalf("no solution below 2^%d", bound)
	return nil, nil
}

// TestReviewCraftedCollisions aims the comb's partial sums, for a random
// issuer key, at the point the next mixed addition adds, in the middle of the
// comb and at its very last step, as an issuer knowing d can. After window
// 18 the partial sums are a*G + b*Q for the low 133 bits a, b of u1, u2 (no
// carry out: a, b < 2^132), so a + d*b = t mod n with a small a, b places
// them where wanted; the high windows are then random, so R is an ordinary
// point and the signature valid. Each case must be a collision in the scalar
// model, undecided in verifyFast, and accepted by Key.Verify as by
// crypto/ecdsa.
func TestReviewCraftedCollisions(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{'c', 'o', 'l'}))
	randBits := func(n uint) *big.Int {
		b := make([]byte, (n+7)/8)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		v := new(big.Int).SetBytes(b)
		return v.Rsh(v, uint(len(b))*8-n)
	}
	const low = 18 // the windows 0..18 hold a and b
	w := uint(defaultWindow)
	at := func(digit int64, window uint) *big.Int {
		return new(big.Int).Lsh(big.NewInt(digit), w*window)
	}
	for _, key := range []reviewKey{
		newReviewKey(t, "random", seedScalar(t, []byte("fast review collisions"))),
		newReviewKey(t, "random 2", seedScalar(t, []byte("fast review collisions 2"))),
	} {
		d := key.d
		type collision struct {
			name string
			t    *big.Int // a + d*b = t
			// extra digits of u1 and u2 in window low+1 (as 0..127 values)
			g1, q1 int64
		}
		var cases []collision
		for _, g := range []int64{1, 37, 64} {
			cases = append(cases,
				collision{fmt.Sprintf("doubling at G add, digit %d", g), at(g, low+1), g, 0},
				collision{fmt.Sprintf("cancelling at G add, digit %d", g), new(big.Int).Neg(at(g, low+1)), g, 0},
				collision{fmt.Sprintf("doubling at Q add, digit %d", g), new(big.Int).Mul(at(g, low+1), d), 0, g},
				collision{fmt.Sprintf("cancelling at Q add, digit %d", g), new(big.Int).Neg(new(big.Int).Mul(at(g, low+1), d)), 0, g},
			)
		}
		for _, g := range []int64{1, 63} { // negative digits -g: value 128-g, carry 1
			cases = append(cases,
				collision{fmt.Sprintf("doubling at G add, digit -%d", g), new(big.Int).Neg(at(g, low+1)), 128 - g, 0},
				collision{fmt.Sprintf("cancelling at G add, digit -%d", g), at(g, low+1), 128 - g, 0},
				collision{fmt.Sprintf("doubling at Q add, digit -%d", g), new(big.Int).Neg(new(big.Int).Mul(at(g, low+1), d)), 0, 128 - g},
				collision{fmt.Sprintf("cancelling at Q add, digit -%d", g), new(big.Int).Mul(at(g, low+1), d), 0, 128 - g},
			)
		}
		cases = append(cases, collision{"partial sum at infinity after window 18", big.NewInt(0), 0, 0})
		for _, c := range cases {
			for _, high := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/%s/high windows %v", key.name, c.name, high), func(t *testing.T) {
					a, b := smallSolution(t, d, c.t, w*low+6)
					u1 := new(big.Int).Add(a, at(c.g1, low+1))
					u2 := new(big.Int).Add(b, at(c.q1, low+1))
					if high {
						// Random windows from low+2 up, below 2^254.
						u1.Add(u1, new(big.Int).Lsh(randBits(254-w*(low+2)), w*(low+2)))
						u2.Add(u2, new(big.Int).Lsh(randBits(254-w*(low+2)), w*(low+2)))
					}
					if expectDecided(t, d, u1, u2) {
						t.Fatal("construction error: the scalar model sees no collision")
					}
					sig := signForScalars(t, d, u1, u2)
					checkScalarSig(t, key, u1, u2, sig, false)
				})
			}
		}
		// The last mixed addition of the comb adds q*2^252*Q (u2's only
		// digit); u1 = +-q*2^252*d makes everything before it +-that point.
		for _, q := range []int64{1, 15} {
			for _, sign := range []int64{1, -1} {
				t.Run(fmt.Sprintf("%s/last step q=%d sign=%d", key.name, q, sign), func(t *testing.T) {
					u2 := new(big.Int).Lsh(big.NewInt(q), 252)
					u1 := new(big.Int).Mul(u2, d)
					u1.Mul(u1, big.NewInt(sign)).Mod(u1, order)
					if expectDecided(t, d, u1, u2) {
						t.Fatal("construction error: the scalar model sees no collision")
					}
					sig := signForScalars(t, d, u1, u2)
					if sig.valid != (sign == 1) {
						t.Fatalf("R at infinity = %v for sign %d", !sig.valid, sign)
					}
					checkScalarSig(t, key, u1, u2, sig, false)
				})
			}
		}
	}
}

// TestReviewFastAgreesWithComplete draws random u1, u2 for a random key,
// with r the true R.x mod n or a random value, and requires verifyFast to
// decide exactly as the scalar model predicts and as verifyComplete does.
func TestReviewFastAgreesWithComplete(t *testing.T) {
	k := newReviewKey(t, "random", seedScalar(t, []byte("fast review random")))
	rng := rand.New(rand.NewChaCha8([32]byte{'r', 'n', 'd'}))
	randScalar := func() *big.Int {
		b := make([]byte, 40)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return new(big.Int).Mod(new(big.Int).SetBytes(b), order)
	}
	runs := 2000
	if testing.Short() {
		runs = 200
	}
	for i := range runs {
		u1, u2 := randScalar(), randScalar()
		if u2.Sign() == 0 {
			continue
		}
		sig := signForScalars(t, k.d, u1, u2)
		r := sig.r
		if i%2 == 1 {
			r = randScalar()
			if r.Sign() == 0 {
				continue
			}
		}
		var b1, b2 [scalarSize]byte
		u1.FillBytes(b1[:])
		u2.FillBytes(b2[:])
		want := k.key.verifyComplete(&b1, &b2, r)
		if i%2 == 0 && !want {
			t.Fatalf("run %d: verifyComplete rejects the true r", i)
		}
		valid, decided := k.key.verifyFast(&b1, &b2, r)
		if wantDecided := expectDecided(t, k.d, u1, u2); decided != wantDecided {
			t.Fatalf("run %d: decided = %v, scalar model predicts %v (u1 %x, u2 %x)", i, decided, wantDecided, u1, u2)
		}
		if decided && valid != want {
			t.Fatalf("run %d: verifyFast = %v, verifyComplete = %v (u1 %x, u2 %x, r %x)", i, valid, want, u1, u2, r)
		}
	}
}

// TestReviewXAboveNFast makes R with x in [n, p) through a crafted key (no
// private key is known for it) and checks that verifyFast decides it: r =
// R.x - n accepted, r = R.x out of range, and r = R.x - n + 1 rejected.
func TestReviewXAboveNFast(t *testing.T) {
	digest := make([]byte, scalarSize)
	digest[31] = 7
	s := big.NewInt(0x1234567)
	rPoint, x := pointWithXAboveN(t)
	rReduced := new(big.Int).Sub(x, order)
	pub := craftKey(t, rPoint, digest, rReduced, s)
	key := mustKey(t, pub)
	tests := []struct {
		name string
		r    *big.Int
		want bool
	}{
		{"ok/r = R.x - n", rReduced, true},
		{"error/r = R.x - n + 1", new(big.Int).Add(rReduced, big.NewInt(1)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ecdsa.Verify(pub, digest, tt.r, s); got != tt.want {
				t.Fatalf("crypto/ecdsa.Verify = %v, case expects %v", got, tt.want)
			}
			u1, u2 := scalars(digest, tt.r, s)
			valid, decided := key.verifyFast(&u1, &u2, tt.r)
			if !decided || valid != tt.want {
				t.Fatalf("verifyFast = (valid %v, decided %v), want (%v, true)", valid, decided, tt.want)
			}
			if got := key.Verify(digest, tt.r, s); got != tt.want {
				t.Fatalf("Key.Verify = %v, want %v", got, tt.want)
			}
		})
	}
	if got := key.Verify(digest, x, s); got {
		t.Fatal("Key.Verify accepts r = R.x >= n")
	}
}

// TestReviewTablesFromNistec checks that the generator table's first entries
// of each window equal nistec's own multiples, so the fast path's G is the
// standard library's G (TestAffineTables checks every entry against
// ScalarMult of SetGenerator; this pins SetGenerator to elliptic's Gx, Gy).
func TestReviewTablesFromNistec(t *testing.T) {
	params := elliptic.P256().Params()
	enc := append([]byte{4}, params.Gx.FillBytes(make([]byte, scalarSize))...)
	enc = append(enc, params.Gy.FillBytes(make([]byte, scalarSize))...)
	g, err := nistec.NewP256Point().SetBytes(enc)
	if err != nil {
		t.Fatal(err)
	}
	if string(g.Bytes()) != string(nistec.NewP256Point().SetGenerator().Bytes()) {
		t.Fatal("nistec's generator is not elliptic's")
	}
	tab := generatorTable()
	e := tab[0]
	if string(append(append([]byte{4}, fromMontgomery(&e.x)...), fromMontgomery(&e.y)...)) != string(enc) {
		t.Fatal("generator table entry 0 is not G")
	}
}
