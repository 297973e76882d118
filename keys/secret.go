package keys

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// SecretSize is the length of a deployment secret and of every key derived
// from it.
const SecretSize = 32

// secretV1 is the first byte of a sealed deployment secret and of a data
// key's ciphertext, so a later format can be told apart without guessing.
const secretV1 = 1

// secretAADLabel separates a sealed deployment secret from every other
// ciphertext under the same KEK (issuer keys use their own label), so one
// can never be passed off as the other.
const secretAADLabel = "skillpass deployment secret v1\x00"

// sealedSecretSize is version, KEK id, nonce, then the secret and GCM tag.
const sealedSecretSize = 1 + kekIDSize + nonceSize + SecretSize + gcmTagSize

// DeploymentSecret is a random secret of one Skillpass database. Keys for
// purposes other than signing are derived from it (Derive): the key of
// holder-id hashes and the key that seals request results. It is kept in
// the database sealed under the KEK rather than derived from the KEK
// itself: a KEK rewrap must not change the derived keys (holder hashes
// would stop matching, sealed results would stop opening), and a backup
// restored under the same KEK brings it back with everything sealed under
// it. Like a KEK it formats without its bytes.
type DeploymentSecret struct {
	b [SecretSize]byte
}

// GenerateDeploymentSecret makes a new random secret, once per database.
func GenerateDeploymentSecret() (*DeploymentSecret, error) {
	s := &DeploymentSecret{}
	if _, err := rand.Read(s.b[:]); err != nil {
		return nil, fmt.Errorf("generate deployment secret: %w", err)
	}
	return s, nil
}

// Format prints "DeploymentSecret" under every verb, never the bytes.
func (s DeploymentSecret) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, "DeploymentSecret") }

// Destroy overwrites the secret.
func (s *DeploymentSecret) Destroy() { clear(s.b[:]) }

// Derive returns the key for one purpose (HKDF-SHA-256, RFC 5869, with
// label as info). Distinct labels give independent keys, so the holder
// hash key reveals nothing about the result sealing key.
func (s *DeploymentSecret) Derive(label string) ([SecretSize]byte, error) {
	var out [SecretSize]byte
	k, err := hkdf.Key(sha256.New, s.b[:], nil, label, SecretSize)
	if err != nil {
		return out, fmt.Errorf("derive key %q: %w", label, err)
	}
	copy(out[:], k)
	clear(k)
	return out, nil
}

// Seal encrypts the secret under kek for storage:
//
//	version(1) kekID(8) nonce(12) ciphertext(32+16)
//
// Everything before the ciphertext is authenticated with it.
func (s *DeploymentSecret) Seal(kek *KEK) ([]byte, error) {
	aead, err := newAEAD(kek)
	if err != nil {
		return nil, err
	}
	header := append([]byte{secretV1}, kek.id[:]...)
	return gcmSeal(aead, header, s.b[:], []byte(secretAADLabel))
}

// OpenDeploymentSecret decrypts what Seal wrote. A secret sealed under
// another KEK is ErrWrongKEK; tampered bytes are ErrUnsealFailed.
func OpenDeploymentSecret(sealed []byte, kek *KEK) (*DeploymentSecret, error) {
	if err := checkSealedSecret(sealed, kek); err != nil {
		return nil, err
	}
	aead, err := newAEAD(kek)
	if err != nil {
		return nil, err
	}
	plain, err := gcmOpen(aead, 1+kekIDSize, sealed, []byte(secretAADLabel))
	if err != nil {
		return nil, fmt.Errorf("%w: deployment secret", ErrUnsealFailed)
	}
	defer clear(plain)
	s := &DeploymentSecret{}
	copy(s.b[:], plain)
	return s, nil
}

// SealedSecretKEKID returns the id of the KEK a sealed secret is sealed
// under, so a re-wrap can tell whether it is done.
func SealedSecretKEKID(sealed []byte) (string, error) {
	if err := checkSealedSecret(sealed, nil); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed[1 : 1+kekIDSize]), nil
}

// RewrapDeploymentSecret re-seals a sealed secret from oldKEK to newKEK.
// One already under newKEK is returned unchanged with moved false.
func RewrapDeploymentSecret(sealed []byte, oldKEK, newKEK *KEK) (out []byte, moved bool, err error) {
	if id, err := SealedSecretKEKID(sealed); err != nil {
		return nil, false, err
	} else if id == newKEK.ID() {
		return sealed, false, nil
	}
	s, err := OpenDeploymentSecret(sealed, oldKEK)
	if err != nil {
		return nil, false, err
	}
	defer s.Destroy()
	out, err = s.Seal(newKEK)
	return out, err == nil, err
}

// checkSealedSecret checks the structure of a sealed secret and, with a
// kek, that it is sealed under that KEK.
func checkSealedSecret(sealed []byte, kek *KEK) error {
	switch {
	case len(sealed) != sealedSecretSize:
		return fmt.Errorf("%w: sealed deployment secret is %d bytes; want %d", ErrSealedMalformed, len(sealed), sealedSecretSize)
	case sealed[0] != secretV1:
		return fmt.Errorf("%w: sealed deployment secret has unsupported version %d", ErrSealedMalformed, sealed[0])
	case kek != nil && string(sealed[1:1+kekIDSize]) != string(kek.id[:]):
		return fmt.Errorf("%w: deployment secret is sealed under KEK %s, not %s", ErrWrongKEK,
			base64.RawURLEncoding.EncodeToString(sealed[1:1+kekIDSize]), kek.ID())
	}
	return nil
}

// DataKey seals small records at rest (AES-256-GCM) under a key derived
// from the deployment secret. The caller's AAD binds each ciphertext to the
// record it belongs to, so one cannot be moved onto another.
type DataKey struct {
	aead cipher.AEAD
}

// NewDataKey makes a DataKey from a derived key.
func NewDataKey(key [SecretSize]byte) (*DataKey, error) {
	aead, err := newGCM(key[:])
	if err != nil {
		return nil, err
	}
	return &DataKey{aead: aead}, nil
}

// Seal encrypts plain bound to aad: version(1) nonce(12) ciphertext.
func (d *DataKey) Seal(plain, aad []byte) ([]byte, error) {
	return gcmSeal(d.aead, []byte{secretV1}, plain, aad)
}

// Open decrypts what Seal wrote with the same aad; anything else, including
// a ciphertext made for another record, is ErrUnsealFailed.
func (d *DataKey) Open(sealed, aad []byte) ([]byte, error) {
	if len(sealed) < 1+nonceSize+gcmTagSize || sealed[0] != secretV1 {
		return nil, fmt.Errorf("%w: sealed record of %d bytes has an unknown format", ErrSealedMalformed, len(sealed))
	}
	plain, err := gcmOpen(d.aead, 1, sealed, aad)
	if err != nil {
		return nil, fmt.Errorf("%w: sealed record", ErrUnsealFailed)
	}
	return plain, nil
}

// gcmSeal returns header ‖ nonce ‖ ciphertext with a fresh random nonce;
// header and nonce are authenticated along with aad.
func gcmSeal(aead cipher.AEAD, header, plain, aad []byte) ([]byte, error) {
	out := make([]byte, len(header)+nonceSize, len(header)+nonceSize+len(plain)+gcmTagSize)
	copy(out, header)
	nonce := out[len(header):]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return aead.Seal(out, nonce, plain, boundAAD(out, aad)), nil
}

// gcmOpen opens what gcmSeal wrote with a header of headerLen bytes.
func gcmOpen(aead cipher.AEAD, headerLen int, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < headerLen+nonceSize+gcmTagSize {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrSealedMalformed, len(sealed))
	}
	prefix := sealed[:headerLen+nonceSize]
	return aead.Open(nil, prefix[headerLen:], sealed[len(prefix):], boundAAD(prefix, aad))
}

// boundAAD is the caller's AAD followed by the stored header and nonce.
func boundAAD(prefix, aad []byte) []byte {
	return append(append(make([]byte, 0, len(aad)+len(prefix)), aad...), prefix...)
}
