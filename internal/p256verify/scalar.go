package p256verify

import (
	"crypto/elliptic"
	"encoding/binary"
	"math/big"
)

// order is n, the order of the P-256 base point.
var order = elliptic.P256().Params().N

// scalarSize is the byte length of a P-256 scalar (and of r and s).
const scalarSize = 32

// hashToInt turns a digest into e exactly as crypto/ecdsa does (its
// hashToNat): the leftmost 256 bits of the digest (P-256's n is 256 bits long,
// so no bit shift is needed), as a big-endian integer reduced modulo n. A
// shorter digest is used whole; an empty digest gives e = 0.
func hashToInt(e *big.Int, digest []byte) *big.Int {
	if len(digest) > scalarSize {
		digest = digest[:scalarSize]
	}
	e.SetBytes(digest)
	if e.Cmp(order) >= 0 {
		e.Sub(e, order)
	}
	return e
}

// inScalarRange reports whether 1 <= x <= n-1, the range FIPS 186-5 requires
// of r and s. A nil x is out of range.
func inScalarRange(x *big.Int) bool {
	return x != nil && x.Sign() > 0 && x.Cmp(order) < 0
}

// limbs is a scalar as four little-endian 64-bit words, the form the signed
// window recoding reads bits from.
type limbs [4]uint64

// setBytes reads a 32-byte big-endian scalar.
func (l *limbs) setBytes(b *[scalarSize]byte) {
	for i := range l {
		l[i] = binary.BigEndian.Uint64(b[scalarSize-8*(i+1):])
	}
}

// bits returns the w bits of l starting at bit position pos (w < 64); bits
// above 255 read as zero.
func (l *limbs) bits(pos, w uint) uint64 {
	i, off := pos/64, pos%64
	if i >= uint(len(l)) {
		return 0
	}
	v := l[i] >> off
	if off+w > 64 && i+1 < uint(len(l)) {
		v |= l[i+1] << (64 - off)
	}
	return v & (1<<w - 1)
}
