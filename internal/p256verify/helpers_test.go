//lint:file-ignore SA1019 these tests build malformed and hand-made keys through the raw coordinates on purpose

package p256verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"math/big"
	"testing"

	"filippo.io/nistec"
)

// keyFromSeed derives a P-256 key deterministically from seed, so failures
// found by the fuzzer or the random tests can be replayed.
func keyFromSeed(t testing.TB, seed []byte) *ecdsa.PrivateKey {
	t.Helper()
	for ctr := byte(0); ; ctr++ {
		d := sha256.Sum256(append([]byte{ctr}, seed...))
		if priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d[:]); err == nil {
			return priv
		}
	}
}

// signWithNonce is textbook ECDSA signing with a caller-chosen nonce, used to
// make valid signatures deterministically (the tests judge them with
// crypto/ecdsa, never with this). ok is false for the rare nonces that give r
// or s = 0.
func signWithNonce(t testing.TB, priv *ecdsa.PrivateKey, digest, nonce []byte) (r, s *big.Int, ok bool) {
	t.Helper()
	k := new(big.Int).SetBytes(nonce)
	k.Mod(k, order)
	if k.Sign() == 0 {
		return nil, nil, false
	}
	r = baseX(t, k)
	e := hashToInt(new(big.Int), digest)
	s = new(big.Int).Mul(r, priv.D)
	s.Add(s, e).Mul(s, new(big.Int).ModInverse(k, order)).Mod(s, order)
	if r.Sign() == 0 || s.Sign() == 0 {
		return nil, nil, false
	}
	return r, s, true
}

// baseX returns (k*G).x mod n for k in [1, n-1]: the r of a signature with
// nonce k.
func baseX(t testing.TB, k *big.Int) *big.Int {
	t.Helper()
	var kb [scalarSize]byte
	k.FillBytes(kb[:])
	p, err := nistec.NewP256Point().ScalarBaseMult(kb[:])
	if err != nil {
		t.Fatal(err)
	}
	x, err := p.BytesX()
	if err != nil {
		t.Fatal(err)
	}
	return new(big.Int).Mod(new(big.Int).SetBytes(x), order)
}

// mustKey builds a Key or fails the test.
func mustKey(t testing.TB, pub *ecdsa.PublicKey) *Key {
	t.Helper()
	k, err := NewKey(pub)
	if err != nil {
		t.Fatalf("NewKey: %v", err)
	}
	return k
}

func bigHex(t testing.TB, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("bad hex %q", s)
	}
	return v
}

// flipBit returns a copy of x with bit i flipped.
func flipBit(x *big.Int, i int) *big.Int {
	return new(big.Int).SetBit(new(big.Int).Set(x), i, x.Bit(i)^1)
}

// verifyCase is one signature check with its expected answer; a nil pub
// stands for the key under test.
type verifyCase struct {
	name   string
	pub    *ecdsa.PublicKey
	digest []byte
	r, s   *big.Int
	want   bool
}
