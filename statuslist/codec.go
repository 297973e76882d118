package statuslist

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// multibasePrefix marks base64url without padding in multibase; it is the
// only encoding the specification allows for encodedList.
const multibasePrefix = 'u'

// maxDeflateRatio is DEFLATE's worst-case expansion (258 bytes from a
// 2-bit code, ~1032:1). It bounds how much output a compressed input can
// honestly claim, so the gzip size hint cannot make us over-allocate.
const maxDeflateRatio = 1032

// Encode returns the list as the spec's encodedList: GZIP, then multibase
// base64url without padding ("u" + RFC 4648 §5 alphabet). The gzip header
// carries no name and a zero time, so equal lists encode to equal strings
// and a published list only changes when a bit does (good for caches and
// for privacy: nothing observable happens on allocation).
//
// It uses gzip's default level: on a list with 1% of bits set, the best
// level is ~10% smaller but about 20 times slower (about a second per
// 8 Mbit list), which would stall revocations on large lists.
func (s *Bitstring) Encode() (string, error) {
	if err := checkSize(s.Len()); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return "", fmt.Errorf("statuslist: gzip writer: %w", err)
	}
	if _, err := zw.Write(s.b); err != nil {
		return "", fmt.Errorf("statuslist: compress: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("statuslist: compress: %w", err)
	}
	var out strings.Builder
	out.Grow(1 + base64.RawURLEncoding.EncodedLen(buf.Len()))
	out.WriteByte(multibasePrefix)
	enc := base64.NewEncoder(base64.RawURLEncoding, &out)
	_, _ = enc.Write(buf.Bytes()) // writes to a strings.Builder cannot fail
	_ = enc.Close()
	return out.String(), nil
}

// Decoder decodes encoded lists under a size cap.
type Decoder struct {
	// MaxBytes caps the uncompressed list; 0 means DefaultMaxBytes. A cap
	// below MinBytes could never admit a valid list, so MinBytes is the floor.
	MaxBytes int
}

// Decode decodes an encodedList with the default cap.
func Decode(encoded string) (*Bitstring, error) { return Decoder{}.Decode(encoded) }

// Decode implements the spec's Bitstring Expansion Algorithm, strictly.
// Every error wraps ErrDecode (malformed input), ErrLength (fewer than
// MinBits entries) or ErrTooLarge (over the cap).
func (d Decoder) Decode(encoded string) (*Bitstring, error) {
	maxBytes := d.maxBytes()
	raw, err := decodeMultibase(encoded, maxBytes)
	if err != nil {
		return nil, err
	}
	list, err := gunzipOne(raw, maxBytes)
	if err != nil {
		return nil, err
	}
	if len(list) < MinBytes {
		return nil, fmt.Errorf("%w: %d entries, the minimum is %d", ErrLength, len(list)*8, MinBits)
	}
	return &Bitstring{b: list}, nil
}

func (d Decoder) maxBytes() int {
	switch {
	case d.MaxBytes <= 0:
		return DefaultMaxBytes
	case d.MaxBytes < MinBytes:
		return MinBytes
	}
	return d.MaxBytes
}

// maxEncodedLen bounds the encoded form of a list of at most maxBytes:
// stored (incompressible) deflate blocks add 5 bytes per 64 KiB, gzip 18
// bytes of header and trailer; the slack admits optional header fields.
func maxEncodedLen(maxBytes int) int {
	compressed := maxBytes + maxBytes/1024 + 4096
	return 1 + base64.RawURLEncoding.EncodedLen(compressed)
}

// decodeMultibase checks the prefix and alphabet itself because Go's base64
// decoder silently skips CR and LF, and Strict rejects non-zero padding
// bits, so one list has exactly one accepted encoding.
func decodeMultibase(encoded string, maxBytes int) ([]byte, error) {
	if encoded == "" {
		return nil, fmt.Errorf("%w: empty", ErrDecode)
	}
	if encoded[0] != multibasePrefix {
		return nil, fmt.Errorf("%w: multibase prefix is %q, want %q (base64url, no padding)", ErrDecode, encoded[0], multibasePrefix)
	}
	if len(encoded) > maxEncodedLen(maxBytes) {
		return nil, fmt.Errorf("%w: encoded list is %d characters, the cap is %d", ErrTooLarge, len(encoded), maxEncodedLen(maxBytes))
	}
	body := encoded[1:]
	for i := 0; i < len(body); i++ {
		if !isBase64URL(body[i]) {
			return nil, fmt.Errorf("%w: character %q at offset %d is not base64url (no padding)", ErrDecode, body[i], i+1)
		}
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(body)
	if err != nil {
		return nil, fmt.Errorf("%w: base64url: %v", ErrDecode, err)
	}
	return raw, nil
}

func isBase64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// gunzipOne decompresses exactly one gzip member holding at most maxBytes,
// and refuses anything after it: a second member or trailing bytes would
// let two parties read different lists from one string.
func gunzipOne(raw []byte, maxBytes int) ([]byte, error) {
	br := bytes.NewReader(raw)
	// bytes.Reader is an io.ByteReader, so neither gzip nor flate buffer
	// ahead: whatever br still holds afterwards is trailing data.
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("%w: not gzip: %v", ErrDecode, err)
	}
	zr.Multistream(false)
	out, err := readBounded(zr, sizeHint(raw, maxBytes), maxBytes)
	if err != nil {
		return nil, err
	}
	if br.Len() != 0 {
		return nil, fmt.Errorf("%w: %d bytes of trailing data after the gzip stream", ErrDecode, br.Len())
	}
	return out, nil
}

// sizeHint reads the gzip trailer's ISIZE (uncompressed size mod 2^32) to
// allocate once. It is attacker-controlled, so it is only a hint, bounded
// by what the input could possibly inflate to and by the cap.
func sizeHint(raw []byte, maxBytes int) int {
	if len(raw) < 18 {
		return 0
	}
	hint := int(binary.LittleEndian.Uint32(raw[len(raw)-4:]))
	return min(hint, maxBytes, len(raw)*maxDeflateRatio)
}

// readBounded reads r to EOF, failing with ErrTooLarge as soon as more than
// max bytes arrive. Reading stops at max+1, so a gzip bomb costs at most
// max bytes of memory and the time to inflate them.
func readBounded(r io.Reader, hint, max int) ([]byte, error) {
	buf := make([]byte, 0, hint+1) // +1 so an exact hint reaches EOF without growing
	lr := io.LimitReader(r, int64(max)+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow geometrically
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(buf) > max {
			return nil, fmt.Errorf("%w: decompressed list exceeds the cap of %d bytes", ErrTooLarge, max)
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", ErrDecode, err)
		}
	}
}
