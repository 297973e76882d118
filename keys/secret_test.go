package keys

import (
	"bytes"
	"fmt"
	"testing"
)

func TestDeploymentSecretSealing(t *testing.T) {
	kek, other := testKEK(t), testKEK(t)
	secret, err := GenerateDeploymentSecret()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := secret.Seal(kek)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 1
		return b
	}
	tests := []struct {
		name   string
		sealed []byte
		kek    *KEK
		want   error
	}{
		{name: "ok", sealed: sealed, kek: kek},
		{name: "error/other KEK", sealed: sealed, kek: other, want: ErrWrongKEK},
		{name: "error/ciphertext tampered", sealed: flip(len(sealed) - 1), kek: kek, want: ErrUnsealFailed},
		{name: "error/nonce tampered", sealed: flip(1 + kekIDSize), kek: kek, want: ErrUnsealFailed},
		{name: "error/truncated", sealed: sealed[:len(sealed)-1], kek: kek, want: ErrSealedMalformed},
		{name: "error/unknown version", sealed: append([]byte{2}, sealed[1:]...), kek: kek, want: ErrSealedMalformed},
		{name: "error/empty", sealed: nil, kek: kek, want: ErrSealedMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := OpenDeploymentSecret(tc.sealed, tc.kek)
			checkErr(t, err, tc.want, "")
			if err == nil && got.b != secret.b {
				t.Fatal("opened secret differs from the sealed one")
			}
		})
	}
}

func TestRewrapDeploymentSecret(t *testing.T) {
	oldKEK, newKEK, wrong := testKEK(t), testKEK(t), testKEK(t)
	secret, err := GenerateDeploymentSecret()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := secret.Seal(oldKEK)
	if err != nil {
		t.Fatal(err)
	}
	moved, ok, err := RewrapDeploymentSecret(sealed, oldKEK, newKEK)
	if err != nil || !ok {
		t.Fatalf("rewrap: moved %v, %v", ok, err)
	}
	tests := []struct {
		name      string
		sealed    []byte
		old, new  *KEK
		want      error
		wantMoved bool
	}{
		{name: "ok/already under the new KEK is left alone", sealed: moved, old: oldKEK, new: newKEK},
		{name: "ok/moves back", sealed: moved, old: newKEK, new: oldKEK, wantMoved: true},
		{name: "error/wrong old KEK", sealed: sealed, old: wrong, new: newKEK, want: ErrWrongKEK},
		{name: "error/malformed", sealed: sealed[:10], old: oldKEK, new: newKEK, want: ErrSealedMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, gotMoved, err := RewrapDeploymentSecret(tc.sealed, tc.old, tc.new)
			checkErr(t, err, tc.want, "")
			if err != nil {
				return
			}
			if gotMoved != tc.wantMoved {
				t.Fatalf("moved = %v, want %v", gotMoved, tc.wantMoved)
			}
			if id, _ := SealedSecretKEKID(out); id != tc.new.ID() {
				t.Fatalf("sealed under %s, want %s", id, tc.new.ID())
			}
			got, err := OpenDeploymentSecret(out, tc.new)
			if err != nil || got.b != secret.b {
				t.Fatalf("open after rewrap: %v (same secret %v)", err, err == nil && got.b == secret.b)
			}
		})
	}
	if _, err := OpenDeploymentSecret(moved, oldKEK); err == nil {
		t.Fatal("the old KEK still opens the re-wrapped secret")
	}
}

func TestDeploymentSecretDerive(t *testing.T) {
	a, _ := GenerateDeploymentSecret()
	b, _ := GenerateDeploymentSecret()
	derive := func(s *DeploymentSecret, label string) [SecretSize]byte {
		t.Helper()
		k, err := s.Derive(label)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	if x1, x2 := derive(a, "x"), derive(a, "x"); x1 != x2 {
		t.Error("Derive is not deterministic")
	}
	if derive(a, "x") == derive(a, "y") {
		t.Error("two labels give the same key")
	}
	if derive(a, "x") == derive(b, "x") {
		t.Error("two secrets give the same key")
	}
	if s := fmt.Sprintf("%v %x %s %d", *a, *a, a, a); bytes.Contains([]byte(s), fmt.Appendf(nil, "%x", a.b[:4])) {
		t.Errorf("formatting leaks the secret: %s", s)
	}
}

func TestDataKey(t *testing.T) {
	secret, _ := GenerateDeploymentSecret()
	k, err := secret.Derive("test records")
	if err != nil {
		t.Fatal(err)
	}
	dk, err := NewDataKey(k)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewDataKey([SecretSize]byte{1})
	plain, aad := []byte("eyJhbGciOiJFUzI1NiJ9.payload.sig"), []byte("record A")
	sealed, err := dk.Seal(plain, aad)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, plain[:8]) {
		t.Fatal("sealed record contains the plain text")
	}
	tests := []struct {
		name   string
		key    *DataKey
		sealed []byte
		aad    []byte
		want   error
	}{
		{name: "ok", key: dk, sealed: sealed, aad: aad},
		{name: "error/bound to another record", key: dk, sealed: sealed, aad: []byte("record B"), want: ErrUnsealFailed},
		{name: "error/other key", key: other, sealed: sealed, aad: aad, want: ErrUnsealFailed},
		{name: "error/plain text", key: dk, sealed: plain, aad: aad, want: ErrSealedMalformed},
		{name: "error/truncated", key: dk, sealed: sealed[:12], aad: aad, want: ErrSealedMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.key.Open(tc.sealed, tc.aad)
			checkErr(t, err, tc.want, "")
			if err == nil && !bytes.Equal(got, plain) {
				t.Fatalf("opened %q, want %q", got, plain)
			}
		})
	}
}
