package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
)

const issuerA = "https://skillpass.example/issuers/roc-a"

func TestOpen(t *testing.T) {
	kek := testKEK(t)
	es := testKey(t, ES256, kek, issuerA, t0)
	ed := testKey(t, EdDSA, kek, issuerA, t0)
	other := testKey(t, ES256, kek, "https://skillpass.example/issuers/roc-b", t0)

	tamper := func(s Sealed, f func(*Sealed)) Sealed {
		s.Nonce = bytes.Clone(s.Nonce)
		s.Ciphertext = bytes.Clone(s.Ciphertext)
		f(&s)
		return s
	}
	tests := []struct {
		name     string
		sealed   Sealed
		kek      *KEK
		issuerID string
		kid      string
		wantErr  error
	}{
		{name: "ok/ES256", sealed: es.Sealed, kek: kek, issuerID: issuerA, kid: es.Kid},
		{name: "ok/EdDSA", sealed: ed.Sealed, kek: kek, issuerID: issuerA, kid: ed.Kid},
		{name: "error/wrong KEK", sealed: es.Sealed, kek: testKEK(t), issuerID: issuerA, kid: es.Kid, wantErr: ErrWrongKEK},
		{
			name:   "error/wrong KEK claiming the right id",
			sealed: tamper(es.Sealed, func(s *Sealed) {}), kek: func() *KEK {
				k := testKEK(t)
				k.id = kek.id // a KEK whose fingerprint lies still cannot open the key
				return k
			}(), issuerID: issuerA, kid: es.Kid, wantErr: ErrUnsealFailed,
		},
		{name: "error/tampered ciphertext", sealed: tamper(es.Sealed, func(s *Sealed) { s.Ciphertext[3] ^= 1 }), kek: kek, issuerID: issuerA, kid: es.Kid, wantErr: ErrUnsealFailed},
		{name: "error/tampered tag", sealed: tamper(es.Sealed, func(s *Sealed) { s.Ciphertext[len(s.Ciphertext)-1] ^= 0x80 }), kek: kek, issuerID: issuerA, kid: es.Kid, wantErr: ErrUnsealFailed},
		{name: "error/tampered nonce", sealed: tamper(es.Sealed, func(s *Sealed) { s.Nonce[0] ^= 1 }), kek: kek, issuerID: issuerA, kid: es.Kid, wantErr: ErrUnsealFailed},
		{name: "error/truncated ciphertext", sealed: tamper(es.Sealed, func(s *Sealed) { s.Ciphertext = s.Ciphertext[:len(s.Ciphertext)-1] }), kek: kek, issuerID: issuerA, kid: es.Kid, wantErr: ErrUnsealFailed},
		{name: "error/ciphertext shorter than a tag", sealed: tamper(es.Sealed, func(s *Sealed) { s.Ciphertext = s.Ciphertext[:8] }), kek: kek, issuerID: issuerA, kid: es.Kid, wantErr: ErrSealedMalformed},
		{name: "error/opened for another issuer", sealed: es.Sealed, kek: kek, issuerID: "https://skillpass.example/issuers/roc-b", kid: es.Kid, wantErr: ErrKeyBinding},
		{name: "error/opened under another kid", sealed: es.Sealed, kek: kek, issuerID: issuerA, kid: ed.Kid, wantErr: ErrKeyBinding},
		{
			name:   "error/stored issuer swapped to another issuer",
			sealed: tamper(other.Sealed, func(s *Sealed) { s.IssuerID = issuerA }), kek: kek, issuerID: issuerA, kid: other.Kid, wantErr: ErrUnsealFailed,
		},
		{
			name:   "error/stored kid swapped to another key's kid",
			sealed: tamper(es.Sealed, func(s *Sealed) { s.Kid = other.Kid }), kek: kek, issuerID: issuerA, kid: other.Kid, wantErr: ErrUnsealFailed,
		},
		{
			name:   "error/stored algorithm swapped",
			sealed: tamper(es.Sealed, func(s *Sealed) { s.Alg = EdDSA }), kek: kek, issuerID: issuerA, kid: es.Kid, wantErr: ErrUnsealFailed,
		},
		{name: "error/unknown version", sealed: tamper(es.Sealed, func(s *Sealed) { s.Version = 2 }), kek: kek, issuerID: issuerA, kid: es.Kid, wantErr: ErrSealedMalformed},
		{name: "error/empty sealed key", sealed: Sealed{}, kek: kek, issuerID: "", kid: "", wantErr: ErrKeyBinding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer, err := Open(tt.sealed, tt.kek, tt.issuerID, tt.kid)
			checkErr(t, err, tt.wantErr, "")
			if err != nil {
				return
			}
			got, err := Thumbprint(signer.Public())
			if err != nil || got != tt.kid {
				t.Fatalf("opened key has thumbprint %s (%v); want %s", got, err, tt.kid)
			}
			assertSigns(t, signer)
		})
	}
}

// assertSigns checks that a signer from Open produces signatures its public
// key accepts, i.e. the private key survived sealing and the zeroing of the
// decrypted bytes.
func assertSigns(t *testing.T, s crypto.Signer) {
	t.Helper()
	msg := []byte("Skillpass key check")
	switch pub := s.Public().(type) {
	case *ecdsa.PublicKey:
		sum := sha256.Sum256(msg)
		sig, err := s.Sign(nil, sum[:], crypto.SHA256)
		if err != nil || !ecdsa.VerifyASN1(pub, sum[:], sig) {
			t.Fatalf("ES256 signature does not verify (err %v)", err)
		}
	case ed25519.PublicKey:
		sig, err := s.Sign(nil, msg, crypto.Hash(0))
		if err != nil || !ed25519.Verify(pub, msg, sig) {
			t.Fatalf("Ed25519 signature does not verify (err %v)", err)
		}
	default:
		t.Fatalf("unexpected public key %T", pub)
	}
}

func TestSealRefusesInconsistentNames(t *testing.T) {
	kek := testKEK(t)
	k := testKey(t, ES256, kek, issuerA, t0)
	priv, err := Open(k.Sealed, kek, issuerA, k.Kid)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		alg      Algorithm
		issuerID string
		kid      string
		wantErr  error
	}{
		{name: "ok", alg: ES256, issuerID: issuerA, kid: k.Kid},
		{name: "error/kid is not the thumbprint", alg: ES256, issuerID: issuerA, kid: "not-the-thumbprint", wantErr: ErrKeyBinding},
		{name: "error/algorithm does not fit the key", alg: EdDSA, issuerID: issuerA, kid: k.Kid, wantErr: ErrKeyBinding},
		{name: "error/empty issuer id", alg: ES256, issuerID: "", kid: k.Kid, wantErr: ErrKeyBinding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := seal(priv, tt.alg, kek, tt.issuerID, tt.kid)
			checkErr(t, err, tt.wantErr, "")
		})
	}
}

func TestSealedEncoding(t *testing.T) {
	kek := testKEK(t)
	k := testKey(t, EdDSA, kek, issuerA, t0)
	b, err := k.Sealed.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ok/round trip opens", func(t *testing.T) {
		var s Sealed
		if err := s.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		signer, err := Open(s, kek, issuerA, k.Kid)
		if err != nil {
			t.Fatal(err)
		}
		assertSigns(t, signer)
	})
	// Every proper prefix must be refused by the parser or by Open; none may
	// panic or open.
	t.Run("error/every truncation", func(t *testing.T) {
		for n := range len(b) {
			s, err := ParseSealed(b[:n])
			if err == nil {
				_, err = Open(s, kek, issuerA, k.Kid)
			}
			if err == nil {
				t.Fatalf("a %d-byte prefix of %d bytes opened", n, len(b))
			}
		}
	})
	tests := []struct {
		name    string
		mutate  func([]byte)
		wantErr error
	}{
		{name: "error/unknown version", mutate: func(b []byte) { b[0] = 9 }, wantErr: ErrSealedMalformed},
		{name: "error/unknown algorithm code", mutate: func(b []byte) { b[1] = 7 }, wantErr: ErrSealedMalformed},
		{name: "error/issuer length beyond the end", mutate: func(b []byte) { b[22], b[23] = 0xff, 0xff }, wantErr: ErrSealedMalformed},
		{name: "error/flipped KEK id", mutate: func(b []byte) { b[2] ^= 1 }, wantErr: ErrWrongKEK},
		{name: "error/flipped issuer byte", mutate: func(b []byte) { b[30] ^= 1 }, wantErr: ErrKeyBinding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bytes.Clone(b)
			tt.mutate(c)
			s, err := ParseSealed(c)
			if err == nil {
				_, err = Open(s, kek, issuerA, k.Kid)
			}
			checkErr(t, err, tt.wantErr, "")
		})
	}
}

func TestRewrap(t *testing.T) {
	oldKEK, newKEK := testKEK(t), testKEK(t)
	k := testKey(t, ES256, oldKEK, issuerA, t0)
	tests := []struct {
		name    string
		sealed  Sealed
		old     *KEK
		wantErr error
	}{
		{name: "ok", sealed: k.Sealed, old: oldKEK},
		{name: "error/wrong old KEK", sealed: k.Sealed, old: testKEK(t), wantErr: ErrWrongKEK},
		{
			name: "error/tampered ciphertext is not re-wrapped",
			sealed: func() Sealed {
				s := k.Sealed
				s.Ciphertext = bytes.Clone(s.Ciphertext)
				s.Ciphertext[0] ^= 1
				return s
			}(), old: oldKEK, wantErr: ErrUnsealFailed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Rewrap(tt.sealed, tt.old, newKEK)
			checkErr(t, err, tt.wantErr, "")
			if err != nil {
				return
			}
			if got.KEKID != newKEK.ID() || bytes.Equal(got.Nonce, tt.sealed.Nonce) {
				t.Errorf("re-wrapped under %s with nonce reused %v; want %s and a fresh nonce",
					got.KEKID, bytes.Equal(got.Nonce, tt.sealed.Nonce), newKEK.ID())
			}
			if _, err := Open(got, oldKEK, issuerA, k.Kid); err == nil {
				t.Error("re-wrapped key still opens under the old KEK")
			}
			signer, err := Open(got, newKEK, issuerA, k.Kid)
			if err != nil {
				t.Fatal(err)
			}
			assertSigns(t, signer)
			again, err := Rewrap(got, oldKEK, newKEK)
			if err != nil || !bytes.Equal(again.Ciphertext, got.Ciphertext) {
				t.Errorf("second re-wrap changed the key or failed (%v); want it unchanged", err)
			}
		})
	}
}
