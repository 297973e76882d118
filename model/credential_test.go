package model

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestHolderHashKey(t *testing.T) {
	var key, other HolderHashKey
	for i := range key {
		key[i] = byte(i)
	}
	other[0] = 1
	const holder = "did:example:holder-7f3a"
	base := key.Hash("roc", holder)
	// Computed independently: HMAC-SHA-256(key, "skillpass holder v2\0" ||
	// uint32be(len("roc")) || "roc" || holder), here with Python's hmac.
	if got := hex.EncodeToString(base[:]); got != "f4b257beedf03e837278bc4e91930a2e5d25175701a22b27639c135b19300a47" {
		t.Fatalf("Hash = %s, want the independently computed vector", got)
	}
	tests := []struct {
		name      string
		got       [32]byte
		wantEqual bool
	}{
		{name: "ok/same issuer, holder and key", got: key.Hash("roc", holder), wantEqual: true},
		{name: "error/other issuer unlinkable", got: key.Hash("other", holder)},
		{name: "error/other key", got: other.Hash("roc", holder)},
		{name: "error/other holder", got: key.Hash("roc", holder+"x")},
		{name: "error/boundary moved between issuer and holder", got: key.Hash("ro", "c"+holder)},
		{name: "error/not the unkeyed hash", got: sha256.Sum256([]byte("skillpass holder v1\x00" + holder))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if (tc.got == base) != tc.wantEqual {
				t.Fatalf("equal to the base hash = %v, want %v", tc.got == base, tc.wantEqual)
			}
		})
	}
}
