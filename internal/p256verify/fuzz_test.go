package p256verify

import (
	"crypto/ecdsa"
	"math/big"
	"sync"
	"testing"
)

// fuzzKeys memoises keys and their tables by seed inside one fuzz worker, so
// most executions spend their time verifying rather than building tables.
var fuzzKeys = struct {
	sync.Mutex
	m map[string]fuzzKey
}{m: make(map[string]fuzzKey)}

type fuzzKey struct {
	priv *ecdsa.PrivateKey
	key  *Key
}

func fuzzKeyFor(t *testing.T, seed []byte) fuzzKey {
	fuzzKeys.Lock()
	defer fuzzKeys.Unlock()
	if fk, ok := fuzzKeys.m[string(seed)]; ok {
		return fk
	}
	if len(fuzzKeys.m) >= 32 {
		clear(fuzzKeys.m)
	}
	priv := keyFromSeed(t, seed)
	fk := fuzzKey{priv, mustKey(t, &priv.PublicKey)}
	fuzzKeys.m[string(seed)] = fk
	return fk
}

var fuzzCache = NewCache(4)

// FuzzVerifyDifferential compares the accept/reject decision of Key.Verify
// and of the cached Verify with crypto/ecdsa.Verify. mode selects how (r, s)
// is made, so that the fuzzer reaches valid signatures and near misses, not
// only random garbage that every implementation rejects:
//
//	mode%4 == 0: r and s as given
//	mode%4 == 1: a valid signature with nonce r
//	mode%4 == 2: the same, with s replaced by n-s
//	mode%4 == 3: the same, with bit s[0] of r (mode&4), s (mode&8) or the
//	             digest (otherwise) flipped
//
// and mode&16 negates r.
func FuzzVerifyDifferential(f *testing.F) {
	f.Add([]byte("seed"), []byte("0123456789abcdef0123456789abcdef"), []byte{1}, []byte{1}, uint8(0))
	f.Add([]byte("seed"), []byte("0123456789abcdef0123456789abcdef"), []byte("nonce"), []byte{0}, uint8(1))
	f.Fuzz(func(t *testing.T, keySeed, digest, rb, sb []byte, mode uint8) {
		if len(rb) > 40 || len(sb) > 40 || len(digest) > 80 {
			return
		}
		fk := fuzzKeyFor(t, keySeed)
		r, s := new(big.Int).SetBytes(rb), new(big.Int).SetBytes(sb)
		if mode%4 != 0 {
			var ok bool
			if r, s, ok = signWithNonce(t, fk.priv, digest, rb); !ok {
				return
			}
			if !ecdsa.Verify(&fk.priv.PublicKey, digest, r, s) {
				t.Fatal("test signer made a signature crypto/ecdsa rejects")
			}
		}
		bit := 0
		if len(sb) > 0 {
			bit = int(sb[0])
		}
		switch mode % 4 {
		case 2:
			s = new(big.Int).Sub(order, s)
		case 3:
			switch {
			case mode&4 != 0:
				r = flipBit(r, bit)
			case mode&8 != 0:
				s = flipBit(s, bit)
			case len(digest) > 0:
				digest = append([]byte(nil), digest...)
				digest[bit%len(digest)] ^= 1 << (bit % 8)
			}
		}
		if mode&16 != 0 {
			r.Neg(r)
		}
		want := ecdsa.Verify(&fk.priv.PublicKey, digest, r, s)
		if got := fk.key.Verify(digest, r, s); got != want {
			t.Fatalf("Key.Verify = %v, crypto/ecdsa.Verify = %v (r=%x s=%x digest=%x)", got, want, r, s, digest)
		}
		if got := fuzzCache.Verify(&fk.priv.PublicKey, digest, r, s); got != want {
			t.Fatalf("Cache.Verify = %v, crypto/ecdsa.Verify = %v (r=%x s=%x digest=%x)", got, want, r, s, digest)
		}
	})
}
