// Package uuid7 makes and reads version 7 UUIDs (RFC 9562 section 5.7):
// 48 bits of Unix milliseconds, then 74 random bits. Their canonical text
// sorts by time, so records keyed by them are appended to a B+tree instead
// of landing on a random page each.
package uuid7

import (
	"crypto/rand"
	"fmt"
	"time"
)

// Len is the length of a UUID in canonical text form.
const Len = 36

// New returns a version 7 UUID for the time now, in canonical lower-case
// form. Ids made within one millisecond differ in their random bits.
func New(now time.Time) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[6:]); err != nil {
		return "", fmt.Errorf("uuid: %w", err)
	}
	ms := uint64(max(now.UnixMilli(), 0))
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70 // version 7
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

// TimePrefix returns the 48-bit millisecond field of s as 12 lower-case
// hex digits, if s is a version 7 UUID in canonical text form (hex digits
// of either case, hyphens at 8, 13, 18 and 23, version 7, variant 10).
// Anything else gives "" and false. The prefix sorts as the time does.
func TimePrefix(s string) (string, bool) {
	if len(s) != Len || s[14] != '7' || !variant(s[19]) {
		return "", false
	}
	var out [12]byte
	n := 0
	for i := range Len {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return "", false
			}
			continue
		}
		lc, ok := lowerHex(c)
		if !ok {
			return "", false
		}
		if n < len(out) {
			out[n] = lc
			n++
		}
	}
	return string(out[:]), true
}

// PrefixTime is the time a TimePrefix stands for. A prefix that is not 12
// hex digits gives the zero time and false.
func PrefixTime(prefix string) (time.Time, bool) {
	if len(prefix) != 12 {
		return time.Time{}, false
	}
	var ms int64
	for i := range len(prefix) {
		c, ok := lowerHex(prefix[i])
		if !ok {
			return time.Time{}, false
		}
		d := int64(c - '0')
		if c >= 'a' {
			d = int64(c-'a') + 10
		}
		ms = ms<<4 | d
	}
	return time.UnixMilli(ms), true
}

// variant reports whether c is a hex digit 8, 9, a or b (either case): the
// top two bits of the variant field are 10.
func variant(c byte) bool {
	switch c {
	case '8', '9', 'a', 'b', 'A', 'B':
		return true
	}
	return false
}

// lowerHex returns c as a lower-case hex digit, or false if it is none.
func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		return c, true
	case 'A' <= c && c <= 'F':
		return c + ('a' - 'A'), true
	}
	return 0, false
}
