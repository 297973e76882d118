package statuslist

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// specEncodedList is the encodedList of Examples 3 and 5 in W3C Bitstring
// Status List v1.0 (Recommendation, 15 May 2025): a 131,072-entry list with
// no bit set, compressed by another implementation (gzip OS byte 3).
const specEncodedList = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

func TestDecodeSpecExample(t *testing.T) {
	s, err := Decode(specEncodedList)
	if err != nil {
		t.Fatalf("Decode(spec example): %v", err)
	}
	if s.Len() != 131072 || s.Count() != 0 {
		t.Fatalf("spec example: Len() = %d, Count() = %d, want 131072 entries, none set", s.Len(), s.Count())
	}
	// The spec's example credentials point at indexes 94567 and 23452.
	for _, i := range []int{0, 23452, 94567, 131071} {
		if set, err := s.Get(i); err != nil || set {
			t.Errorf("Get(%d) = %v, %v; want false, nil", i, set, err)
		}
	}
	enc, err := s.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	back, err := Decode(enc)
	if err != nil || !back.Equal(s) {
		t.Fatalf("re-encoded spec example does not decode to the same list: %v", err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		size int
		set  []int
	}{
		{"ok/empty minimum list", MinBits, nil},
		{"ok/first and last", MinBits, []int{0, MinBits - 1}},
		{"ok/byte boundaries", MinBits, []int{7, 8, 15, 16}},
		{"ok/spec example indexes", MinBits, []int{94567, 23452}},
		{"ok/larger list", 8 << 20, []int{1, 4_000_000, 8<<20 - 1}},
		{"ok/every bit", MinBits, everyIndex(MinBits)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustNew(t, tt.size)
			for _, i := range tt.set {
				if err := s.Set(i, true); err != nil {
					t.Fatal(err)
				}
			}
			enc, err := s.Encode()
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if !strings.HasPrefix(enc, "u") || strings.ContainsAny(enc, "+/=") {
				t.Fatalf("Encode = %.20q..., want multibase base64url without padding", enc)
			}
			got, err := Decode(enc)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !got.Equal(s) || got.Count() != len(tt.set) {
				t.Errorf("round trip changed the list: %d bits set, want %d", got.Count(), len(tt.set))
			}
			again, _ := got.Encode()
			if again != enc {
				t.Errorf("encoding is not deterministic")
			}
		})
	}
}

// TestDecodeIndependentEncoding builds encoded lists without Encode (so a
// shared bug in both directions cannot hide) and checks which bits Decode
// reports set.
func TestDecodeIndependentEncoding(t *testing.T) {
	tests := []struct {
		name    string
		bytePos int
		value   byte
		wantSet []int
	}{
		{"ok/0x80 in byte 0 is index 0", 0, 0x80, []int{0}},
		{"ok/0x01 in byte 0 is index 7", 0, 0x01, []int{7}},
		{"ok/0x80 in byte 1 is index 8", 1, 0x80, []int{8}},
		{"ok/0xa0 in byte 2 is indexes 16 and 18", 2, 0xa0, []int{16, 18}},
		{"ok/0x01 in the last byte is the last index", MinBytes - 1, 0x01, []int{MinBits - 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := make([]byte, MinBytes)
			raw[tt.bytePos] = tt.value
			s, err := Decode("u" + base64.RawURLEncoding.EncodeToString(gzipBytes(t, raw)))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			for _, i := range tt.wantSet {
				if set, _ := s.Get(i); !set {
					t.Errorf("Get(%d) = false, want true", i)
				}
			}
			if s.Count() != len(tt.wantSet) {
				t.Errorf("Count() = %d, want %d", s.Count(), len(tt.wantSet))
			}
		})
	}
}

func TestDecodeMalformed(t *testing.T) {
	valid := gzipBytes(t, make([]byte, MinBytes))
	b64 := base64.RawURLEncoding.EncodeToString
	twoMembers := append(append([]byte{}, valid...), valid...)
	truncated := valid[:len(valid)-5]
	badCRC := bytes.Clone(valid)
	badCRC[len(badCRC)-8] ^= 0xff
	small := Decoder{MaxBytes: 2 * MinBytes}

	tests := []struct {
		name    string
		dec     Decoder
		in      string
		wantErr error
		wantMsg string // names the reason, so a case cannot pass by failing elsewhere
	}{
		{"ok/minimum list", Decoder{}, "u" + b64(valid), nil, ""},
		{"ok/exactly at a custom cap", small, "u" + b64(gzipBytes(t, make([]byte, 2*MinBytes))), nil, ""},
		{"error/empty", Decoder{}, "", ErrDecode, "empty"},
		{"error/prefix only", Decoder{}, "u", ErrDecode, "not gzip"},
		{"error/missing multibase prefix (StatusList2021 style)", Decoder{}, strings.TrimPrefix(specEncodedList, "u"), ErrDecode, "multibase prefix is 'H'"},
		{"error/base58btc prefix", Decoder{}, "z" + b64(valid), ErrDecode, "multibase prefix is 'z'"},
		{"error/base64url padded prefix", Decoder{}, "U" + base64.URLEncoding.EncodeToString(valid), ErrDecode, "multibase prefix is 'U'"},
		{"error/padding", Decoder{}, "u" + base64.URLEncoding.EncodeToString(valid), ErrDecode, "character '='"},
		{"error/standard alphabet", Decoder{}, "u" + base64.RawStdEncoding.EncodeToString(bytes.Repeat([]byte{0xfb, 0xff}, 30)), ErrDecode, "is not base64url"},
		{"error/line break inside", Decoder{}, "u" + b64(valid)[:10] + "\n" + b64(valid)[10:], ErrDecode, "character '\\n'"},
		{"error/space inside", Decoder{}, "u" + b64(valid)[:10] + " " + b64(valid)[10:], ErrDecode, "character ' '"},
		{"error/impossible base64 length", Decoder{}, "u" + impossibleLength(b64(valid)), ErrDecode, "base64url: illegal"},
		{"error/non-zero padding bits", Decoder{}, "u" + nonCanonicalTail(t, b64(valid)), ErrDecode, "base64url: illegal"},
		{"error/not gzip", Decoder{}, "u" + b64([]byte("this is not a gzip stream at all")), ErrDecode, "not gzip"},
		{"error/raw deflate without gzip header", Decoder{}, "u" + b64(valid[10:len(valid)-8]), ErrDecode, "not gzip"},
		{"error/truncated gzip", Decoder{}, "u" + b64(truncated), ErrDecode, "unexpected EOF"},
		{"error/checksum mismatch", Decoder{}, "u" + b64(badCRC), ErrDecode, "checksum"},
		{"error/trailing data", Decoder{}, "u" + b64(append(bytes.Clone(valid), 'x')), ErrDecode, "1 bytes of trailing data"},
		{"error/second gzip member", Decoder{}, "u" + b64(twoMembers), ErrDecode, "trailing data"},
		{"error/too short", Decoder{}, "u" + b64(gzipBytes(t, make([]byte, MinBytes-1))), ErrLength, "131064 entries"},
		{"error/empty list", Decoder{}, "u" + b64(gzipBytes(t, nil)), ErrLength, "0 entries"},
		{"error/over a custom cap", small, "u" + b64(gzipBytes(t, make([]byte, 2*MinBytes+1))), ErrTooLarge, "exceeds the cap"},
		{"error/gzip bomb over the default cap", Decoder{}, "u" + b64(gzipBytes(t, make([]byte, DefaultMaxBytes+1))), ErrTooLarge, "exceeds the cap"},
		{"error/encoded input longer than any list under the cap", small, "u" + strings.Repeat("A", maxEncodedLen(2*MinBytes)), ErrTooLarge, "characters, the cap is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.dec.Decode(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Decode error = %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			if s != nil {
				t.Errorf("Decode returned a list with error %v", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Decode error = %q, want it to mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestDecoderCapFloor(t *testing.T) {
	// A cap below the minimum list could admit nothing; MinBytes is the floor.
	enc := "u" + base64.RawURLEncoding.EncodeToString(gzipBytes(t, make([]byte, MinBytes)))
	if _, err := (Decoder{MaxBytes: 10}).Decode(enc); err != nil {
		t.Errorf("Decoder{MaxBytes: 10}.Decode(minimum list) = %v, want nil", err)
	}
}

func TestErrorCodes(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"ok/length", ErrLength, "STATUS_LIST_LENGTH_ERROR"},
		{"ok/range", ErrRange, "RANGE_ERROR"},
		{"ok/decode", ErrDecode, "MALFORMED_VALUE_ERROR"},
		{"ok/malformed", ErrMalformed, "MALFORMED_VALUE_ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *Error
			if !errors.As(tt.err, &e) || e.Code != tt.code {
				t.Errorf("code = %v, want %s", e, tt.code)
			}
		})
	}
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// nonCanonicalTail flips an unused low bit of the last base64 character
// (valid only when the data length is not a multiple of 3), giving a second
// spelling of the same bytes that a strict decoder must refuse.
func nonCanonicalTail(t testing.TB, s string) string {
	t.Helper()
	if len(s)%4 == 0 {
		t.Fatalf("nonCanonicalTail: %d characters encode whole 3-byte groups, no padding bits to flip", len(s))
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[last^1])
}

// impossibleLength extends s to a length of 4n+1 characters, which no
// byte string encodes to.
func impossibleLength(s string) string {
	for len(s)%4 != 1 {
		s += "A"
	}
	return s
}

func everyIndex(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
