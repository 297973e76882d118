//go:build !purego

package p256verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"fmt"
	"math/big"
	"testing"

	"filippo.io/nistec"
)

// fromMontgomery returns e as 32 big-endian bytes, out of the domain.
func fromMontgomery(e *element) []byte {
	var out element
	p256Mul(&out, e, &element{1})
	b := make([]byte, scalarSize)
	for i, l := range out {
		for j := range 8 {
			b[scalarSize-1-8*i-j] = byte(l >> (8 * j))
		}
	}
	return b
}

// TestAffineTables checks every entry of the generator's table and of a
// key's table against nistec's ScalarMult: entry i*half + j-1 must be
// j * 2^(w*i) * base.
func TestAffineTables(t *testing.T) {
	priv := keyFromSeed(t, []byte("affine table"))
	k := mustKey(t, &priv.PublicKey)
	if !k.fast.ok() {
		t.Fatal("NewKey made no affine table on amd64")
	}
	g := nistec.NewP256Point().SetGenerator()
	tables := []struct {
		name  string
		base  *nistec.P256Point
		table []affinePoint
	}{
		{"generator", g, generatorTable()},
		{"key", k.q, k.fast.affine},
	}
	for _, tt := range tables {
		t.Run(tt.name, func(t *testing.T) {
			if want := int(combWindows(defaultWindow) << (defaultWindow - 1)); len(tt.table) != want {
				t.Fatalf("table has %d entries, want %d", len(tt.table), want)
			}
			half := uint(1) << (defaultWindow - 1)
			for idx, e := range tt.table {
				i, j := uint(idx)/half, uint(idx)%half+1
				m := new(big.Int).Lsh(big.NewInt(int64(j)), defaultWindow*i)
				m.Mod(m, order)
				want, err := nistec.NewP256Point().ScalarMult(tt.base, m.FillBytes(make([]byte, scalarSize)))
				if err != nil {
					t.Fatal(err)
				}
				got := append([]byte{4}, fromMontgomery(&e.x)...)
				got = append(got, fromMontgomery(&e.y)...)
				if string(got) != string(want.Bytes()) {
					t.Fatalf("entry %d (%d * 2^%d * base) = %x, want %x", idx, j, defaultWindow*i, got, want.Bytes())
				}
			}
		})
	}
}

// TestFastPathDecides shows when the variable-time path answers alone and
// that its answer is the complete formulas' and crypto/ecdsa's: valid and
// damaged signatures are decided there; u1*G and u2*Q that meet in a
// doubling (Q = G, u1 = u2) or cancel (Q = -G) are left to the complete
// formulas, which then decide as crypto/ecdsa does.
func TestFastPathDecides(t *testing.T) {
	priv := keyFromSeed(t, []byte("fast path"))
	keyG, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), big.NewInt(1).FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	keyNegG, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), new(big.Int).Sub(order, big.NewInt(1)).FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	type fastCase struct {
		name        string
		priv        *ecdsa.PrivateKey
		digest      []byte
		r, s        *big.Int
		wantValid   bool
		wantDecided bool
	}
	var cases []fastCase
	for i := range 32 {
		d := sha256.Sum256(fmt.Appendf(nil, "message %d", i))
		nonce := sha256.Sum256(fmt.Appendf(nil, "nonce %d", i))
		r, s, ok := signWithNonce(t, priv, d[:], nonce[:])
		if !ok {
			continue
		}
		cases = append(cases,
			fastCase{fmt.Sprintf("ok/valid %d", i), priv, d[:], r, s, true, true},
			fastCase{fmt.Sprintf("error/r+1 %d", i), priv, d[:], new(big.Int).Add(r, big.NewInt(1)), s, false, true},
			fastCase{fmt.Sprintf("error/other digest %d", i), priv, flipBit(new(big.Int).SetBytes(d[:]), 3).FillBytes(make([]byte, 32)), r, s, false, true},
		)
		// Q = G with e = r: u1 = u2, so the first window adds an entry of
		// G's table and then the same point from Q's table, a doubling.
		k := new(big.Int).Mod(new(big.Int).SetBytes(nonce[:]), order)
		rg := baseX(t, k)
		sg := new(big.Int).Lsh(rg, 1)
		sg.Mul(sg, new(big.Int).ModInverse(k, order)).Mod(sg, order)
		eg := rg.FillBytes(make([]byte, 32))
		cases = append(cases,
			fastCase{fmt.Sprintf("ok/Q=G u1=u2 %d", i), keyG, eg, rg, sg, true, false},
			fastCase{fmt.Sprintf("error/Q=-G at infinity %d", i), keyNegG, eg, rg, sg, false, false},
		)
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if want := ecdsa.Verify(&tt.priv.PublicKey, tt.digest, tt.r, tt.s); want != tt.wantValid {
				t.Fatalf("crypto/ecdsa.Verify = %v, case expects %v", want, tt.wantValid)
			}
			key := mustKey(t, &tt.priv.PublicKey)
			u1, u2 := scalars(tt.digest, tt.r, tt.s)
			valid, decided := key.verifyFast(&u1, &u2, tt.r)
			if decided != tt.wantDecided || (decided && valid != tt.wantValid) {
				t.Fatalf("verifyFast = (valid %v, decided %v), want (%v, %v)", valid, decided, tt.wantValid, tt.wantDecided)
			}
			if got := key.verifyComplete(&u1, &u2, tt.r); got != tt.wantValid {
				t.Fatalf("verifyComplete = %v, want %v", got, tt.wantValid)
			}
			if got := key.Verify(tt.digest, tt.r, tt.s); got != tt.wantValid {
				t.Fatalf("Key.Verify = %v, want %v", got, tt.wantValid)
			}
		})
	}
}

// scalars returns u1 = e/s and u2 = r/s mod n, as Key.Verify computes them.
func scalars(digest []byte, r, s *big.Int) (u1, u2 [scalarSize]byte) {
	e := hashToInt(new(big.Int), digest)
	w := new(big.Int).ModInverse(s, order)
	new(big.Int).Mod(new(big.Int).Mul(e, w), order).FillBytes(u1[:])
	new(big.Int).Mod(new(big.Int).Mul(r, w), order).FillBytes(u2[:])
	return u1, u2
}

// TestXModNIs checks the final comparison on made-up Jacobian coordinates,
// including the x in [n, p) that honest signatures reach with probability
// about 2^-128: such an x matches r = x - n, and only when x - n < p - n.
func TestXModNIs(t *testing.T) {
	n := order
	p := elliptic.P256().Params().P
	big5 := big.NewInt(5)
	tests := []struct {
		name        string
		x, z        *big.Int
		r           *big.Int
		wantValid   bool
		wantDecided bool
	}{
		{"ok/x = r, Z = 1", big5, big.NewInt(1), big5, true, true},
		{"ok/x = r, Z large", big5, new(big.Int).Sub(p, big.NewInt(2)), big5, true, true},
		{"ok/x = r + n", new(big.Int).Add(n, big5), big.NewInt(7), big5, true, true},
		{"ok/x = p - 1, r = p - 1 - n", new(big.Int).Sub(p, big.NewInt(1)), big.NewInt(3), new(big.Int).Sub(new(big.Int).Sub(p, big.NewInt(1)), n), true, true},
		{"error/x = r + n + 1", new(big.Int).Add(n, big.NewInt(6)), big.NewInt(7), big5, false, true},
		{"error/x = r - 1", big.NewInt(4), big.NewInt(9), big5, false, true},
		{"error/x = n - 1, r = n - 1 is not below p - n", new(big.Int).Sub(n, big.NewInt(1)), big.NewInt(2), new(big.Int).Sub(n, big.NewInt(2)), false, true},
		{"ok/x = n - 1, r = n - 1", new(big.Int).Sub(n, big.NewInt(1)), big.NewInt(2), new(big.Int).Sub(n, big.NewInt(1)), true, true},
		{"undecided/Z = 0", big5, big.NewInt(0), big5, false, false},
		{"undecided/Z = p", big5, new(big.Int).Set(p), big5, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// X = x * Z^2 mod p, all in the Montgomery domain.
			var acc jacobian
			acc.z = montgomeryOf(t, tt.z)
			x := new(big.Int).Mul(tt.x, new(big.Int).Mul(tt.z, tt.z))
			acc.x = montgomeryOf(t, x.Mod(x, p))
			if tt.z.Cmp(p) == 0 {
				acc.z = fieldP // the assembly's other form of zero
			}
			valid, decided := acc.xModNIs(tt.r)
			if valid != tt.wantValid || decided != tt.wantDecided {
				t.Fatalf("xModNIs = (valid %v, decided %v), want (%v, %v)", valid, decided, tt.wantValid, tt.wantDecided)
			}
		})
	}
}

func montgomeryOf(t *testing.T, v *big.Int) element {
	t.Helper()
	if v.Sign() < 0 || v.Cmp(elliptic.P256().Params().P) >= 0 {
		return element{}
	}
	return toMontgomery((*[scalarSize]byte)(v.FillBytes(make([]byte, scalarSize))))
}
