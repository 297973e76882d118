package keys

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// sealedV1 is the only sealed-key format so far. The version is the first
// byte so a later format (another AEAD, a KMS-wrapped key) can be told apart
// without guessing.
const sealedV1 = 1

const (
	kekIDSize   = 8
	nonceSize   = 12 // the 96-bit GCM nonce
	gcmTagSize  = 16
	maxIDLength = 1<<16 - 1
)

// aadLabel names what the AAD protects, so a ciphertext made for another
// purpose under the same KEK can never authenticate as an issuer key.
const aadLabel = "skillpass sealed issuer key\x00"

// Sealed is an issuer private key encrypted at rest: PKCS#8 bytes sealed
// with AES-256-GCM under a KEK. The issuer id, kid and algorithm are stored
// in the clear and bound into the AAD, so a sealed key copied onto another
// issuer or kid fails to open; they are stored (not only bound) so a re-wrap
// needs nothing but the two KEKs.
type Sealed struct {
	Version    byte
	Alg        Algorithm
	KEKID      string // KEK.ID() of the KEK it is sealed under
	IssuerID   string
	Kid        string
	Nonce      []byte // 12 random bytes
	Ciphertext []byte // GCM ciphertext with its tag
}

// seal encrypts a private key under kek for issuerID and kid. It checks that
// the key is a key of alg and that kid is its thumbprint, so a sealed key is
// always consistent with the names it is filed under.
func seal(priv crypto.Signer, alg Algorithm, kek *KEK, issuerID, kid string) (Sealed, error) {
	if err := checkPublicKey(alg, priv.Public()); err != nil {
		return Sealed{}, err
	}
	if err := checkKid(priv.Public(), kid); err != nil {
		return Sealed{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return Sealed{}, fmt.Errorf("seal key %s: %w", kid, err)
	}
	defer clear(der)
	return sealBytes(der, alg, kek, issuerID, kid)
}

func sealBytes(plain []byte, alg Algorithm, kek *KEK, issuerID, kid string) (Sealed, error) {
	if err := checkIDs(issuerID, kid); err != nil {
		return Sealed{}, err
	}
	s := Sealed{Version: sealedV1, Alg: alg, KEKID: kek.ID(), IssuerID: issuerID, Kid: kid, Nonce: make([]byte, nonceSize)}
	if _, err := rand.Read(s.Nonce); err != nil {
		return Sealed{}, fmt.Errorf("seal key %s: %w", kid, err)
	}
	aead, err := newAEAD(kek)
	if err != nil {
		return Sealed{}, err
	}
	aad, err := s.aad()
	if err != nil {
		return Sealed{}, err
	}
	s.Ciphertext = aead.Seal(nil, s.Nonce, plain, aad)
	return s, nil
}

// Open decrypts a sealed key and returns it as a crypto.Signer (the standard
// library key). issuerID and kid are what the caller expects the key to
// belong to; a key filed under other names is refused before decryption and,
// if its stored names were edited, fails authentication. The decrypted PKCS#8
// bytes are cleared once parsed.
func Open(s Sealed, kek *KEK, issuerID, kid string) (crypto.Signer, error) {
	if err := checkIDs(issuerID, kid); err != nil {
		return nil, err
	}
	if s.IssuerID != issuerID || s.Kid != kid {
		return nil, fmt.Errorf("%w: sealed key is for issuer %q kid %q, not issuer %q kid %q",
			ErrKeyBinding, s.IssuerID, s.Kid, issuerID, kid)
	}
	der, err := s.decrypt(kek)
	if err != nil {
		return nil, err
	}
	defer clear(der)
	priv, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		// Authentic bytes that do not parse mean a bug at sealing time; the
		// parser's error is dropped because it may quote the bytes.
		return nil, fmt.Errorf("%w: key %s is not a PKCS#8 private key", ErrSealedMalformed, kid)
	}
	signer, ok := priv.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%w: key %s is a %T, which cannot sign", ErrKeyBinding, kid, priv)
	}
	if err := checkPublicKey(s.Alg, signer.Public()); err != nil {
		return nil, err
	}
	if err := checkKid(signer.Public(), kid); err != nil {
		return nil, err
	}
	return signer, nil
}

// Rewrap re-encrypts a sealed key under newKEK with a fresh nonce. A key
// already sealed under newKEK is returned unchanged, so an interrupted
// re-wrap of many keys can simply be run again.
func Rewrap(s Sealed, oldKEK, newKEK *KEK) (Sealed, error) {
	if s.KEKID == newKEK.ID() {
		return s, nil
	}
	plain, err := s.decrypt(oldKEK)
	if err != nil {
		return Sealed{}, err
	}
	defer clear(plain)
	return sealBytes(plain, s.Alg, newKEK, s.IssuerID, s.Kid)
}

func (s Sealed) decrypt(kek *KEK) ([]byte, error) {
	if s.KEKID != kek.ID() {
		return nil, fmt.Errorf("%w: key %s is sealed under KEK %s, not %s", ErrWrongKEK, s.Kid, s.KEKID, kek.ID())
	}
	if len(s.Nonce) != nonceSize || len(s.Ciphertext) < gcmTagSize {
		return nil, fmt.Errorf("%w: key %s has a %d-byte nonce and %d-byte ciphertext",
			ErrSealedMalformed, s.Kid, len(s.Nonce), len(s.Ciphertext))
	}
	aad, err := s.aad()
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(kek)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, s.Nonce, s.Ciphertext, aad)
	if err != nil {
		return nil, fmt.Errorf("%w: key %s of issuer %q", ErrUnsealFailed, s.Kid, s.IssuerID)
	}
	return plain, nil
}

func newAEAD(kek *KEK) (cipher.AEAD, error) { return newGCM(kek.key[:]) }

// newGCM is AES-256-GCM under key.
func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKEKInvalid, err)
	}
	return cipher.NewGCM(block)
}

// aad is the label followed by the encoded header: version, algorithm, KEK
// id, nonce, issuer id and kid. Everything stored beside the ciphertext is
// authenticated.
func (s Sealed) aad() ([]byte, error) {
	h, err := s.header()
	if err != nil {
		return nil, err
	}
	return append([]byte(aadLabel), h...), nil
}

// header encodes everything but the ciphertext:
//
//	version(1) alg(1) kekID(8) nonce(12) len(issuer)(2) issuer len(kid)(2) kid
//
// Lengths are big-endian; the length prefixes keep ("ab","c") and ("a","bc")
// apart.
func (s Sealed) header() ([]byte, error) {
	if s.Version != sealedV1 {
		return nil, fmt.Errorf("%w: unsupported version %d", ErrSealedMalformed, s.Version)
	}
	code, ok := s.Alg.code()
	if !ok {
		return nil, fmt.Errorf("%w: unsupported algorithm %q", ErrSealedMalformed, string(s.Alg))
	}
	kekID, err := base64.RawURLEncoding.DecodeString(s.KEKID)
	if err != nil || len(kekID) != kekIDSize {
		return nil, fmt.Errorf("%w: KEK id %q is not %d base64url bytes", ErrSealedMalformed, s.KEKID, kekIDSize)
	}
	if len(s.Nonce) != nonceSize {
		return nil, fmt.Errorf("%w: nonce is %d bytes; want %d", ErrSealedMalformed, len(s.Nonce), nonceSize)
	}
	if err := checkIDs(s.IssuerID, s.Kid); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 2+kekIDSize+nonceSize+4+len(s.IssuerID)+len(s.Kid))
	b = append(b, s.Version, code)
	b = append(b, kekID...)
	b = append(b, s.Nonce...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.IssuerID)))
	b = append(b, s.IssuerID...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(s.Kid)))
	b = append(b, s.Kid...)
	return b, nil
}

// MarshalBinary encodes the sealed key for storage: the header, then the
// ciphertext.
func (s Sealed) MarshalBinary() ([]byte, error) {
	h, err := s.header()
	if err != nil {
		return nil, err
	}
	return append(h, s.Ciphertext...), nil
}

// ParseSealed decodes what MarshalBinary wrote. It checks structure only;
// authenticity is checked by Open.
func ParseSealed(b []byte) (Sealed, error) {
	const fixed = 2 + kekIDSize + nonceSize
	if len(b) < fixed {
		return Sealed{}, fmt.Errorf("%w: %d bytes is shorter than the %d-byte header", ErrSealedMalformed, len(b), fixed)
	}
	s := Sealed{Version: b[0]}
	if s.Version != sealedV1 {
		return Sealed{}, fmt.Errorf("%w: unsupported version %d", ErrSealedMalformed, s.Version)
	}
	alg, ok := algorithmFromCode(b[1])
	if !ok {
		return Sealed{}, fmt.Errorf("%w: unknown algorithm code %d", ErrSealedMalformed, b[1])
	}
	s.Alg = alg
	s.KEKID = base64.RawURLEncoding.EncodeToString(b[2 : 2+kekIDSize])
	s.Nonce = append([]byte(nil), b[2+kekIDSize:fixed]...)
	rest := b[fixed:]
	var err error
	if s.IssuerID, rest, err = readString(rest, "issuer id"); err != nil {
		return Sealed{}, err
	}
	if s.Kid, rest, err = readString(rest, "kid"); err != nil {
		return Sealed{}, err
	}
	if len(rest) < gcmTagSize+1 {
		return Sealed{}, fmt.Errorf("%w: ciphertext of %d bytes is truncated", ErrSealedMalformed, len(rest))
	}
	s.Ciphertext = append([]byte(nil), rest...)
	return s, nil
}

// UnmarshalBinary is ParseSealed for encoding.BinaryUnmarshaler users.
func (s *Sealed) UnmarshalBinary(b []byte) error {
	p, err := ParseSealed(b)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

func readString(b []byte, what string) (string, []byte, error) {
	if len(b) < 2 {
		return "", nil, fmt.Errorf("%w: truncated before the %s length", ErrSealedMalformed, what)
	}
	n := int(binary.BigEndian.Uint16(b))
	b = b[2:]
	if len(b) < n {
		return "", nil, fmt.Errorf("%w: %s of %d bytes is truncated to %d", ErrSealedMalformed, what, n, len(b))
	}
	return string(b[:n]), b[n:], nil
}

func checkIDs(issuerID, kid string) error {
	switch {
	case issuerID == "":
		return fmt.Errorf("%w: issuer id is empty", ErrKeyBinding)
	case kid == "":
		return fmt.Errorf("%w: kid is empty", ErrKeyBinding)
	case len(issuerID) > maxIDLength || len(kid) > maxIDLength:
		return fmt.Errorf("%w: issuer id or kid is longer than %d bytes", ErrKeyBinding, maxIDLength)
	}
	return nil
}

// checkKid is the guarantee behind "kid is the thumbprint": a key is only
// ever sealed or opened under its own thumbprint.
func checkKid(pub crypto.PublicKey, kid string) error {
	want, err := Thumbprint(pub)
	if err != nil {
		return err
	}
	if want != kid {
		return fmt.Errorf("%w: key's thumbprint is %s, not kid %s", ErrKeyBinding, want, kid)
	}
	return nil
}
