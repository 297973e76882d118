package p256verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"
	"math/big"

	"filippo.io/nistec"
)

// Errors returned by NewKey. They are stable reasons for a caller to test with
// errors.Is; the wrapped message names the field at fault.
var (
	ErrUnsupportedCurve = errors.New("p256verify: curve is not P-256")
	ErrInvalidPublicKey = errors.New("p256verify: invalid public key")
)

// defaultWindow is the comb width w. Measured on the 2-core reference machine
// (see BenchmarkWindow and the package report): w=7 gives 37 additions per
// u2*Q with a table built in about 1 ms, 222 KiB of Jacobian points on the
// portable path and 148 KiB of affine ones on amd64; w=8 would save 4
// additions but needs 396 KiB (portable), over the 300 KiB per-key budget.
const defaultWindow = 7

// pointSize is the in-memory size of a nistec.P256Point (Jacobian X, Y, Z of
// four 64-bit limbs each); used to report table sizes.
const pointSize = 3 * 4 * 8

// affineSize is the in-memory size of an affine point (x, y) of the
// variable-time path's table.
const affineSize = 2 * 4 * 8

// Key is a P-256 public key with a precomputed comb table for verifying many
// signatures. It is immutable after NewKey and safe for concurrent use.
type Key struct {
	q *nistec.P256Point
	// w is the comb width; half = 2^(w-1) is the largest digit magnitude.
	w, half, windows uint
	// table[i*half + j-1] = j * 2^(w*i) * Q for window i and digit j in
	// [1, half]. Negative digits use the negated entry. Empty when fast
	// holds the same entries in affine form (amd64).
	table []nistec.P256Point
	fast  fastKey
}

// NewKey validates pub and builds its table (about 1 ms; 148 KiB on amd64,
// 222 KiB elsewhere).
func NewKey(pub *ecdsa.PublicKey) (*Key, error) {
	return newKey(pub, defaultWindow)
}

func newKey(pub *ecdsa.PublicKey, w uint) (*Key, error) {
	q, err := decodePublicKey(pub)
	if err != nil {
		return nil, err
	}
	return tableKey(q, w), nil
}

// newKeyFromEncoding builds a key from its uncompressed SEC 1 encoding,
// validating the point.
func newKeyFromEncoding(enc []byte, w uint) (*Key, error) {
	q, err := nistec.NewP256Point().SetBytes(enc)
	if err != nil {
		return nil, fmt.Errorf("%w: public key point: %v", ErrInvalidPublicKey, err)
	}
	if q.IsInfinity() == 1 {
		return nil, fmt.Errorf("%w: public key is the point at infinity", ErrInvalidPublicKey)
	}
	return tableKey(q, w), nil
}

// combWindows is the number of windows of width w: signed digits of width w
// lie in (-2^(w-1), 2^(w-1)], and with 256/w+1 windows the top window holds
// at most w-1 bits of a 256-bit scalar, so the recoding never carries out of
// it.
func combWindows(w uint) uint { return 256/w + 1 }

// tableKey precomputes the table of the valid point q: the affine one of the
// variable-time path where there is one, else the portable one.
func tableKey(q *nistec.P256Point, w uint) *Key {
	if f := newFastKey(q, w); f.ok() {
		return &Key{q: q, w: w, half: 1 << (w - 1), windows: combWindows(w), fast: f}
	}
	return portableKey(q, w)
}

// portableKey precomputes the Jacobian table that the complete formulas of
// nistec use.
func portableKey(q *nistec.P256Point, w uint) *Key {
	k := &Key{q: q, w: w, half: 1 << (w - 1), windows: combWindows(w)}
	k.table = make([]nistec.P256Point, k.windows*k.half)
	base := nistec.NewP256Point().Set(q)
	for i := uint(0); i < k.windows; i++ {
		row := k.table[i*k.half : (i+1)*k.half]
		row[0].Set(base)
		for j := 1; j < len(row); j++ {
			// Add is complete, so the j=1 case (base+base) is a doubling.
			row[j].Add(&row[j-1], base)
		}
		// 2^w * base = 2 * (half * base): one doubling per window.
		base.Double(&row[len(row)-1])
	}
	return k
}

// decodePublicKey checks that pub is a valid P-256 point, never panicking on
// a malformed key.
func decodePublicKey(pub *ecdsa.PublicKey) (*nistec.P256Point, error) {
	if pub == nil {
		return nil, fmt.Errorf("%w: public key is nil", ErrInvalidPublicKey)
	}
	if pub.Curve != elliptic.P256() {
		return nil, fmt.Errorf("%w: public key curve", ErrUnsupportedCurve)
	}
	// PublicKey.Bytes panics on nil coordinates, so they are checked first.
	//lint:ignore SA1019 the coordinates are only compared with nil
	if x, y := pub.X, pub.Y; x == nil || y == nil {
		return nil, fmt.Errorf("%w: public key X or Y is missing", ErrInvalidPublicKey)
	}
	// PublicKey.Bytes rejects negative or oversized coordinates and points
	// not on the curve (which includes the affine (0,0) stand-in for the
	// point at infinity).
	enc, err := pub.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%w: public key point: %v", ErrInvalidPublicKey, err)
	}
	q, err := nistec.NewP256Point().SetBytes(enc)
	if err != nil {
		return nil, fmt.Errorf("%w: public key point: %v", ErrInvalidPublicKey, err)
	}
	if q.IsInfinity() == 1 {
		return nil, fmt.Errorf("%w: public key is the point at infinity", ErrInvalidPublicKey)
	}
	return q, nil
}

// TableBytes is the memory held by the key's table.
func (k *Key) TableBytes() int { return len(k.table)*pointSize + k.fast.tableBytes() }

// Verify reports whether (r, s) is a valid ECDSA signature by k over digest.
// It accepts and rejects exactly what crypto/ecdsa.Verify does for this key.
// A nil or zero Key (not made by NewKey) rejects everything: without a table,
// R would be u1*G alone, which anyone can forge.
func (k *Key) Verify(digest []byte, r, s *big.Int) bool {
	if k == nil || k.q == nil || (len(k.table) == 0 && !k.fast.ok()) {
		return false
	}
	// FIPS 186-5 6.4.2 step 1: r and s must lie in [1, n-1].
	if !inScalarRange(r) || !inScalarRange(s) {
		return false
	}
	var e, w, u big.Int
	hashToInt(&e, digest)
	// n is prime and s is in [1, n-1], so the inverse exists; the nil
	// check only guards against a future change breaking that.
	if w.ModInverse(s, order) == nil {
		return false
	}
	var u1, u2 [scalarSize]byte
	u.Mul(&e, &w).Mod(&u, order).FillBytes(u1[:])
	u.Mul(r, &w).Mod(&u, order).FillBytes(u2[:])
	if valid, decided := k.verifyFast(&u1, &u2, r); decided {
		return valid
	}
	return k.verifyComplete(&u1, &u2, r)
}

// verifyComplete decides whether u1*G + u2*Q has an x coordinate equal to r
// mod n with nistec's complete formulas, which are right for every input.
func (k *Key) verifyComplete(u1, u2 *[scalarSize]byte, r *big.Int) bool {
	p, err := nistec.NewP256Point().ScalarBaseMult(u1[:])
	if err != nil {
		return false
	}
	if len(k.table) > 0 {
		// Accumulating into u1*G rather than into the point at infinity
		// saves the final addition.
		k.addMulQ(p, u2)
	} else {
		q, err := nistec.NewP256Point().ScalarMult(k.q, u2[:])
		if err != nil {
			return false
		}
		p.Add(p, q)
	}
	// BytesX fails only for the point at infinity, which must be rejected.
	x, err := p.BytesX()
	if err != nil {
		return false
	}
	// Accept iff R.x mod n == r; R.x < p < 2n, so one subtraction reduces it.
	var u big.Int
	u.SetBytes(x)
	if u.Cmp(order) >= 0 {
		u.Sub(&u, order)
	}
	return u.Cmp(r) == 0
}

// VerifyP1363 verifies a signature in the IEEE P1363 / JWS ES256 form: r and s
// as 32-byte big-endian integers, concatenated. Any other length is rejected.
func (k *Key) VerifyP1363(digest, sig []byte) bool {
	r, s, ok := splitP1363(sig)
	return ok && k.Verify(digest, r, s)
}

func splitP1363(sig []byte) (r, s *big.Int, ok bool) {
	if len(sig) != 2*scalarSize {
		return nil, nil, false
	}
	return new(big.Int).SetBytes(sig[:scalarSize]), new(big.Int).SetBytes(sig[scalarSize:]), true
}

// addMulQ sets acc = acc + scalar*Q using the comb table: the scalar is
// recoded into signed w-bit digits d_i and scalar*Q = sum of d_i * 2^(w*i) * Q,
// one table lookup and one addition per non-zero digit. Add is complete, so acc
// may be or become the point at infinity or equal the point being added.
func (k *Key) addMulQ(acc *nistec.P256Point, scalar *[scalarSize]byte) {
	var l limbs
	l.setBytes(scalar)
	var neg nistec.P256Point
	var carry uint64
	for i := uint(0); i < k.windows; i++ {
		d, negative := k.digit(&l, i, &carry)
		row := k.table[i*k.half : (i+1)*k.half]
		switch {
		case d == 0:
		case negative:
			acc.Add(acc, neg.Negate(&row[d-1]))
		default:
			acc.Add(acc, &row[d-1])
		}
	}
}

// digit returns the magnitude and sign of the signed w-bit digit of window i
// of s, and sets the carry into the next window; both comb paths recode
// scalars with it.
func (k *Key) digit(s *limbs, i uint, carry *uint64) (magnitude uint64, negative bool) {
	full := uint64(1) << k.w
	d := s.bits(i*k.w, k.w) + *carry
	*carry = 0
	switch {
	case d == 0 || d == full:
		// d == full only arises as 2^w-1 plus a carry: digit 0, carry 1.
		*carry = d >> k.w
		return 0, false
	case d <= uint64(k.half):
		return d, false
	default:
		// Digit d - 2^w is negative: subtract (2^w - d) and carry one
		// into the next window.
		*carry = 1
		return full - d, true
	}
}
