package model

import (
	"fmt"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// CanonicalJSON serialises v as RFC 8785 (JCS) canonical JSON. It supports
// the value types the profile digest is built from: map[string]any
// (objects), []any (arrays), string, bool, nil and integers. Floats are
// refused on purpose: JCS formats them as ECMAScript does, and nothing we
// hash needs them, so a float here is a programming error, not a rounding
// question to settle later.
func CanonicalJSON(v any) ([]byte, error) {
	return appendCanonical(nil, v)
}

// maxSafeInteger is the largest integer an IEEE 754 double holds exactly;
// I-JSON (RFC 7493), which JCS builds on, allows no larger ones.
const maxSafeInteger = 1<<53 - 1

func appendCanonical(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case string:
		return appendCanonicalString(dst, x)
	case int:
		return appendCanonicalInt(dst, int64(x))
	case int32:
		return appendCanonicalInt(dst, int64(x))
	case int64:
		return appendCanonicalInt(dst, x)
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendCanonical(dst, e); err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, compareUTF16)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendCanonicalString(dst, k); err != nil {
				return nil, fmt.Errorf("key %q: %w", k, err)
			}
			dst = append(dst, ':')
			if dst, err = appendCanonical(dst, x[k]); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
		}
		return append(dst, '}'), nil
	default:
		return nil, fmt.Errorf("canonical JSON: unsupported type %T", v)
	}
}

func appendCanonicalInt(dst []byte, n int64) ([]byte, error) {
	if n > maxSafeInteger || n < -maxSafeInteger {
		return nil, fmt.Errorf("canonical JSON: integer %d is outside the I-JSON range", n)
	}
	return strconv.AppendInt(dst, n, 10), nil
}

// appendCanonicalString writes s the way ECMAScript's JSON.stringify does
// (RFC 8785 section 3.2.2.2): only '"', '\\' and the C0 controls are escaped,
// with the short forms where JSON has them and lower-case \u00xx otherwise;
// everything else, including non-ASCII, is written as UTF-8.
func appendCanonicalString(dst []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("canonical JSON: string is not valid UTF-8")
	}
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"'), nil
}

// compareUTF16 orders strings by their UTF-16 code units, as RFC 8785
// section 3.2.3 requires. This differs from Go's byte (code point) order
// for characters above U+FFFF versus U+E000..U+FFFF.
func compareUTF16(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}
