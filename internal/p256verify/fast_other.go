//go:build !amd64 || purego

package p256verify

import (
	"math/big"

	"filippo.io/nistec"
)

// fastKey is empty where there is no variable-time path (see fast_amd64.go):
// every key uses the portable comb table.
type fastKey struct{}

func newFastKey(*nistec.P256Point, uint) fastKey { return fastKey{} }

func (*fastKey) ok() bool        { return false }
func (*fastKey) tableBytes() int { return 0 }

func (*Key) verifyFast(_, _ *[scalarSize]byte, _ *big.Int) (valid, decided bool) {
	return false, false
}
