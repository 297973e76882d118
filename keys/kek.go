package keys

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// KEKSize is the length of a key-encryption key: an AES-256 key.
const KEKSize = 32

// maxKEKFileSize bounds what LoadKEKFile reads: a KEK file holds at most a
// line of hex, so anything larger is the wrong file, not a key.
const maxKEKFileSize = 1024

// kekIDLabel separates the KEK fingerprint from any other SHA-256 use of the
// same bytes.
const kekIDLabel = "skillpass kek id v1\x00"

// KEK is a key-encryption key: the AES-256-GCM key under which issuer private
// keys are sealed at rest. It formats as its id only, so it cannot leak
// through logs or error messages by accident.
type KEK struct {
	key [KEKSize]byte
	id  [8]byte
}

// NewKEK makes a KEK from exactly 32 raw bytes. It copies b; the caller may
// clear its slice afterwards.
func NewKEK(b []byte) (*KEK, error) {
	if len(b) != KEKSize {
		return nil, fmt.Errorf("%w: it is %d bytes; want %d", ErrKEKInvalid, len(b), KEKSize)
	}
	k := &KEK{}
	copy(k.key[:], b)
	h := sha256.New()
	h.Write([]byte(kekIDLabel))
	h.Write(k.key[:])
	copy(k.id[:], h.Sum(nil))
	return k, nil
}

// GenerateKEK makes a new random KEK, for first start and for re-wrapping.
func GenerateKEK() (*KEK, error) {
	var b [KEKSize]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("generate KEK: %w", err)
	}
	defer clear(b[:])
	return NewKEK(b[:])
}

// ID is the KEK's public fingerprint (first 8 bytes of a labelled SHA-256,
// base64url). Sealed keys carry it so the wrong KEK is reported as such
// instead of as a corrupt key, and so a re-wrap can tell which keys are done.
func (k KEK) ID() string { return base64.RawURLEncoding.EncodeToString(k.id[:]) }

// Format prints the KEK as "KEK(<id>)" under every verb, so %x, %d or %v
// never print key bytes. It has a value receiver so a dereferenced KEK is
// covered too.
func (k KEK) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprintf(f, "KEK(%s)", k.ID())
}

// Destroy overwrites the key bytes. The KEK is unusable afterwards; callers
// destroy an old KEK once a re-wrap has finished.
func (k *KEK) Destroy() { clear(k.key[:]) }

// LoadKEKFile reads a KEK from a file holding 32 raw bytes, or the hex or
// base64 text of 32 bytes (surrounding whitespace ignored). The file must not
// be accessible to group or others: a readable KEK file defeats encryption
// at rest, so a mode like 0644 is refused rather than merely warned about.
func LoadKEKFile(path string) (*KEK, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKEKInvalid, err)
	}
	defer f.Close()
	// Stat the open file, not the path, so the mode checked is the mode of
	// the bytes read.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKEKInvalid, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrKEKInvalid, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o; it must not be accessible to group or others (chmod 600)",
			ErrKEKInvalid, path, perm)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKEKFileSize+1))
	defer clear(data)
	if err != nil {
		return nil, fmt.Errorf("%w: read %s: %w", ErrKEKInvalid, path, err)
	}
	if len(data) > maxKEKFileSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes; it is not a KEK file", ErrKEKInvalid, path, maxKEKFileSize)
	}
	// 32 bytes that all look like text are a short hex or base64 key, not a
	// raw one (a random key is all-text with probability about 2^-64);
	// decoding them reports the wrong length instead of accepting a weak key.
	if len(data) == KEKSize && !looksLikeText(data) {
		return NewKEK(data)
	}
	k, err := decodeKEKText(string(data))
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return k, nil
}

// ParseKEK reads a KEK from text, as given in an environment variable: the
// hex or base64 (standard or URL alphabet, padded or not) encoding of 32
// bytes. Error messages never repeat the text.
func ParseKEK(text string) (*KEK, error) {
	return decodeKEKText(text)
}

func decodeKEKText(text string) (*KEK, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return nil, fmt.Errorf("%w: it is empty", ErrKEKInvalid)
	}
	b, err := decodeHexOrBase64(s)
	defer clear(b)
	if err != nil {
		return nil, err
	}
	if len(b) != KEKSize {
		return nil, fmt.Errorf("%w: it decodes to %d bytes; want %d", ErrKEKInvalid, len(b), KEKSize)
	}
	return NewKEK(b)
}

// decodeHexOrBase64 tries hex first: an even-length all-hex string is never
// the base64 of 32 bytes (43 or 44 characters), so the order is unambiguous
// for valid keys.
func decodeHexOrBase64(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%w: it is neither 32 raw bytes nor hex or base64 text", ErrKEKInvalid)
}

func looksLikeText(b []byte) bool {
	const alphabet = "0123456789abcdefABCDEFghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ+/=-_ \t\r\n"
	for _, c := range b {
		if !strings.ContainsRune(alphabet, rune(c)) {
			return false
		}
	}
	return true
}

// WriteKEKFile writes k as 32 raw bytes to a new file with mode 0600. It
// refuses to overwrite an existing file: replacing a KEK file that still
// seals keys would lose those keys.
func WriteKEKFile(path string, k *KEK) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write KEK file: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write KEK file: %w", cerr)
		}
		if err != nil {
			_ = os.Remove(path)
		}
	}()
	if _, err := f.Write(k.key[:]); err != nil {
		return fmt.Errorf("write KEK file: %w", err)
	}
	// The key must be on disk before anything is sealed under it.
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write KEK file: %w", err)
	}
	return nil
}
