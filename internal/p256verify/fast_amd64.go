//go:build !purego

package p256verify

import (
	"crypto/elliptic"
	"math/big"
	"math/bits"
	"sync"

	"filippo.io/nistec"
)

// The variable-time path: on amd64 a Key also holds its comb table in affine
// coordinates, and a verification adds affine entries of two comb tables, one
// of G and one of Q, with the mixed-addition assembly of the standard library
// (vendored in p256_amd64.s). No doubling, no constant-time table scan, no
// inversion: u1*G + u2*Q costs about 2 x 37 mixed additions, and R.x = r is
// checked as X = r*Z^2 in Jacobian coordinates.
//
// Mixed addition is incomplete: it is wrong when the accumulator equals the
// point added (a doubling) and when the sum is the point at infinity. Both
// cases compute H = 0 and so a Z of zero, and a zero Z stays zero through
// every later mixed addition (Z3 = Z1*H). So a final Z that is not zero
// proves that no such case occurred and the result is exact; a zero Z leaves
// the decision to the complete formulas (verifyComplete). Honest signatures
// reach it with negligible probability; crafted ones (an issuer who knows its
// private key can aim a partial sum at a table entry, see the tests) get the
// same answer as crypto/ecdsa, only slower.

// element is a field element mod p in the Montgomery domain (R = 2^256), as
// four little-endian 64-bit limbs in [0, p), the form the assembly uses.
type element [4]uint64

// jacobian is (X:Y:Z) with x = X/Z^2, y = Y/Z^3, laid out as the assembly
// expects; Z = 0 is the point at infinity.
type jacobian struct{ x, y, z element }

// affinePoint is (x, y), never the point at infinity.
type affinePoint struct{ x, y element }

// Montgomery multiplication: res = in1 * in2 * R^-1 mod p.
//
//go:noescape
func p256Mul(res, in1, in2 *element)

// Montgomery squaring, repeated n >= 1 times.
//
//go:noescape
func p256Sqr(res, in *element, n int)

// Mixed addition res = in1 + in2 (in1 - in2 if sign is not 0); sel = 0 gives
// res = in1 and zero = 0 gives res = in2. Callers here pass sel = zero = 1:
// see the package comment above on the cases it gets wrong.
//
//go:noescape
func p256PointAddAffineAsm(res, in1 *jacobian, in2 *affinePoint, sign, sel, zero int)

// Jacobian addition res = in1 + in2; returns 1 if in1 == in2 (the result is
// then wrong). Undefined for the point at infinity.
//
//go:noescape
func p256PointAddAsm(res, in1, in2 *jacobian) int

// Doubling res = 2 * in.
//
//go:noescape
func p256PointDoubleAsm(res, in *jacobian)

var (
	// montOne is 1 in the Montgomery domain (R mod p).
	montOne = element{0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff, 0x00000000fffffffe}
	// montRR is R^2 mod p: p256Mul(x, a, &montRR) brings a into the domain.
	montRR = element{0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe, 0x00000004fffffffd}
	// fieldP is p itself (not in the domain).
	fieldP = element{0xffffffffffffffff, 0x00000000ffffffff, 0x0000000000000000, 0xffffffff00000001}
	// pMinusN is p - n: an R.x in [n, p) reduces to r = R.x - n < p - n.
	pMinusN = new(big.Int).Sub(elliptic.P256().Params().P, order)
)

// generator is G in the Montgomery domain (the constants of nistec's
// SetGenerator).
var generator = affinePoint{
	x: element{0x79e730d418a9143c, 0x75ba95fc5fedb601, 0x79fb732b77622510, 0x18905f76a53755c6},
	y: element{0xddf25357ce95560a, 0x8b4ab8e4ba19e45c, 0xd2e88688dd21f325, 0x8571ff1825885d85},
}

// generatorTable is G's affine comb table of width defaultWindow (about
// 150 KiB), built on first use.
var generatorTable = sync.OnceValue(func() []affinePoint {
	t, ok := affineComb(&generator, defaultWindow)
	if !ok {
		panic("p256verify: generator table") // G is a valid point of prime order
	}
	return t
})

// fastKey is a Key's affine comb table, or nil where the key has none.
type fastKey struct{ affine []affinePoint }

// newFastKey builds q's affine comb table when the key uses the window the
// generator's table has; keys of other widths (benchmarks) get none and use
// the portable path.
func newFastKey(q *nistec.P256Point, w uint) fastKey {
	if w != defaultWindow {
		return fastKey{}
	}
	enc := q.Bytes() // uncompressed, validated when q was made
	var a affinePoint
	a.x = toMontgomery((*[scalarSize]byte)(enc[1:33]))
	a.y = toMontgomery((*[scalarSize]byte)(enc[33:65]))
	t, ok := affineComb(&a, w)
	if !ok {
		return fastKey{} // unreachable for a valid point; the portable path serves
	}
	return fastKey{affine: t}
}

func (f *fastKey) ok() bool        { return f.affine != nil }
func (f *fastKey) tableBytes() int { return len(f.affine) * affineSize }

// toMontgomery reads a big-endian value below p into the Montgomery domain.
func toMontgomery(b *[scalarSize]byte) element {
	var l limbs
	l.setBytes(b)
	e := element(l)
	p256Mul(&e, &e, &montRR)
	return e
}

// affineComb returns the comb table of base for width w: entry i*half + j-1
// is j * 2^(w*i) * base, for windows i and digits j in [1, half], as in
// tableKey. It reports false if an addition met a case it cannot handle,
// which no point of prime order does (j*B = B only for j = 1 mod n).
func affineComb(base *affinePoint, w uint) ([]affinePoint, bool) {
	half, windows := uint(1)<<(w-1), combWindows(w)
	jac := make([]jacobian, windows*half)
	b := jacobian{x: base.x, y: base.y, z: montOne}
	for i := range windows {
		row := jac[i*half : (i+1)*half]
		row[0] = b
		p256PointDoubleAsm(&row[1], &b)
		for j := 2; j < len(row); j++ {
			if p256PointAddAsm(&row[j], &row[j-1], &b) != 0 {
				return nil, false
			}
		}
		p256PointDoubleAsm(&b, &row[len(row)-1]) // 2^w * B = 2 * (half * B)
	}
	return toAffine(jac)
}

// toAffine converts points to affine form with one inversion in all
// (Montgomery's trick). It reports false if a point is at infinity.
func toAffine(jac []jacobian) ([]affinePoint, bool) {
	out := make([]affinePoint, len(jac))
	prod := montOne
	for i := range jac {
		if isZero(&jac[i].z) {
			return nil, false
		}
		out[i].x = prod // the product of the Zs before i, for the way back
		p256Mul(&prod, &prod, &jac[i].z)
	}
	var inv element
	p256Inverse(&inv, &prod)
	for i := len(jac) - 1; i >= 0; i-- {
		var zinv, zinv2, zinv3 element
		p256Mul(&zinv, &inv, &out[i].x)
		p256Mul(&inv, &inv, &jac[i].z)
		p256Sqr(&zinv2, &zinv, 1)
		p256Mul(&zinv3, &zinv2, &zinv)
		p256Mul(&out[i].x, &jac[i].x, &zinv2)
		p256Mul(&out[i].y, &jac[i].y, &zinv3)
	}
	return out, true
}

// isZero reports whether e is 0 mod p. Callers pass fully reduced values
// (products with montOne), so p itself never arrives; accepting it too is a
// defence should that change.
func isZero(e *element) bool {
	return *e == element{} || *e == fieldP
}

// negate returns p - e for e in (0, p).
func negate(e *element) element {
	var out element
	var b uint64
	out[0], b = bits.Sub64(fieldP[0], e[0], 0)
	out[1], b = bits.Sub64(fieldP[1], e[1], b)
	out[2], b = bits.Sub64(fieldP[2], e[2], b)
	out[3], _ = bits.Sub64(fieldP[3], e[3], b)
	return out
}

// verifyFast decides whether u1*G + u2*Q has an x coordinate equal to r mod
// n, for keys with an affine table. decided is false when the mixed additions
// could not give an exact answer (see above): the caller then uses the
// complete formulas.
func (k *Key) verifyFast(u1, u2 *[scalarSize]byte, r *big.Int) (valid, decided bool) {
	if !k.fast.ok() {
		return false, false
	}
	g := generatorTable()
	var s1, s2 limbs
	s1.setBytes(u1)
	s2.setBytes(u2)
	var acc jacobian
	started := false
	add := func(t []affinePoint, d uint64, neg bool) {
		p := &t[d-1]
		switch {
		case !started:
			acc.x, acc.y, acc.z = p.x, p.y, montOne
			if neg {
				acc.y = negate(&p.y)
			}
			started = true
		case neg:
			p256PointAddAffineAsm(&acc, &acc, p, 1, 1, 1)
		default:
			p256PointAddAffineAsm(&acc, &acc, p, 0, 1, 1)
		}
	}
	var c1, c2 uint64
	for i := range k.windows {
		row := i * k.half
		if d, neg := k.digit(&s1, i, &c1); d != 0 {
			add(g[row:], d, neg)
		}
		if d, neg := k.digit(&s2, i, &c2); d != 0 {
			add(k.fast.affine[row:], d, neg)
		}
	}
	if !started {
		return false, false
	}
	return acc.xModNIs(r)
}

// xModNIs reports whether the affine x of p, reduced mod n, is r; decided is
// false for a Z of zero (the point at infinity, or an incomplete addition).
func (acc *jacobian) xModNIs(r *big.Int) (valid, decided bool) {
	// Bring Z and X to their canonical residues (multiplying by R is the
	// identity in the domain, and the product is fully reduced).
	var z, x element
	p256Mul(&z, &acc.z, &montOne)
	if isZero(&z) {
		return false, false
	}
	p256Mul(&x, &acc.x, &montOne)
	// R.x = X/Z^2 lies in [0, p); R.x mod n = r means R.x = r, or R.x = r+n
	// when that is still below p.
	var zz element
	p256Sqr(&zz, &z, 1)
	if matchesX(&x, &zz, r) {
		return true, true
	}
	if r.Cmp(pMinusN) < 0 {
		return matchesX(&x, &zz, new(big.Int).Add(r, order)), true
	}
	return false, true
}

// matchesX reports whether X = v * Z^2, that is, whether v is the affine x of
// the point with Jacobian X and Z (zz = Z^2); v < p.
func matchesX(x, zz *element, v *big.Int) bool {
	var b [scalarSize]byte
	v.FillBytes(b[:])
	vm := toMontgomery(&b)
	var t element
	p256Mul(&t, &vm, zz)
	return t == *x
}

// p256Inverse sets out = in^-1 (in^(p-2), Fermat), in the Montgomery domain;
// the addition chain is nistec's (12 multiplications, 255 squarings).
func p256Inverse(out, in *element) {
	var z, t0, t1 element
	p256Sqr(&z, in, 1)
	p256Mul(&z, in, &z)
	p256Sqr(&z, &z, 1)
	p256Mul(&z, in, &z)
	p256Sqr(&t0, &z, 3)
	p256Mul(&t0, &z, &t0)
	p256Sqr(&t1, &t0, 6)
	p256Mul(&t0, &t0, &t1)
	p256Sqr(&t0, &t0, 3)
	p256Mul(&z, &z, &t0)
	p256Sqr(&t0, &z, 1)
	p256Mul(&t0, in, &t0)
	p256Sqr(&t1, &t0, 16)
	p256Mul(&t0, &t0, &t1)
	p256Sqr(&t0, &t0, 15)
	p256Mul(&z, &z, &t0)
	p256Sqr(&t0, &t0, 17)
	p256Mul(&t0, in, &t0)
	p256Sqr(&t0, &t0, 143)
	p256Mul(&t0, &z, &t0)
	p256Sqr(&t0, &t0, 47)
	p256Mul(&z, &z, &t0)
	p256Sqr(&z, &z, 2)
	p256Mul(out, in, &z)
}
