package statuslist

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
)

// FuzzDecode feeds arbitrary strings to Decode. It must never panic, must
// fail only with the package's decode errors, and whatever it accepts must
// re-encode to a string that decodes to the same bits.
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime 30s ./statuslist
func FuzzDecode(f *testing.F) {
	b64 := base64.RawURLEncoding.EncodeToString
	zeros := gzipBytes(f, make([]byte, MinBytes))
	oneBit := make([]byte, MinBytes)
	oneBit[0] = 0x80
	for _, seed := range []string{
		specEncodedList,
		specEncodedList[1:],
		"",
		"u",
		"u" + b64(zeros),
		"u" + b64(gzipBytes(f, oneBit)),
		"u" + b64(append(bytes.Clone(zeros), 0)),
		"u" + b64(append(bytes.Clone(zeros), zeros...)),
		"u" + b64(gzipBytes(f, make([]byte, MinBytes-1))),
		"u" + b64(zeros[:len(zeros)-4]),
		"u" + b64([]byte{0x1f, 0x8b, 0x08, 0x00}),
	} {
		f.Add(seed)
	}
	// A small cap keeps each run fast and still exercises the cap check.
	dec := Decoder{MaxBytes: 4 * MinBytes}
	f.Fuzz(func(t *testing.T, encoded string) {
		s, err := dec.Decode(encoded)
		if err != nil {
			if !errors.Is(err, ErrDecode) && !errors.Is(err, ErrLength) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Decode(%.40q) error %v is none of the package's decode errors", encoded, err)
			}
			if s != nil {
				t.Fatalf("Decode returned a list with error %v", err)
			}
			return
		}
		if s.Len() < MinBits || s.Len() > 4*MinBits || s.Len()%8 != 0 {
			t.Fatalf("Decode accepted a list of %d entries", s.Len())
		}
		again, err := s.Encode()
		if err != nil {
			t.Fatalf("Encode of an accepted list: %v", err)
		}
		back, err := dec.Decode(again)
		if err != nil {
			t.Fatalf("re-encoded list does not decode: %v", err)
		}
		if !back.Equal(s) {
			t.Fatalf("re-encoded list decodes to different bits")
		}
	})
}
