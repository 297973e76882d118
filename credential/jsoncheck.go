package credential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting. The deepest legitimate path of a credential
// is six levels (credentialSubject.achievement[].resultDescription[].
// rubricCriterionLevel[].type[]); anything far deeper is an attack on the
// decoder's stack, not a credential.
const maxJSONDepth = 16

// Limits on the amount of JSON, so that the worst a payload of
// MaxTokenBytes can cost is a small multiple of a genuine credential,
// whatever its shape: without them, 48 KB of `{},` decode into 16,000
// achievements, and thousands of distinct names fill a map.
const (
	// maxObjectMembers bounds the members of one object. The largest
	// object of the format, a JWK, has at most 22 member names
	// (jwkMembers); a credential's own objects have at most 14.
	maxObjectMembers = 64
	// maxJSONValues bounds the values of one payload (every scalar, array
	// and object, the outermost included; names are not values). A
	// genuine credential awarding two competencies has 157 in 5 KB, about
	// 33 payload bytes per value, so one filling MaxTokenBytes (48 KB of
	// payload) with real content has about 1,500. Sign refuses a
	// credential that would exceed the limit, so none is issued that
	// cannot be verified.
	maxJSONValues = 2048
	// maxNumberLength bounds a number literal in bytes. The only numbers
	// of the formats are iat and a status list's ttl, int64s (at most 20
	// bytes with a sign).
	maxNumberLength = 32
)

// jsonRules is the strict JSON profile tokens must follow. encoding/json
// accepts a repeated member name (the last one wins) and matches member
// names to struct fields case-insensitively; two readers of one token
// could then see different claims. A token is therefore refused if any
// object repeats a name, or uses a name that differs only in case from a
// name of the format.
type jsonRules struct {
	what      string // "protected header" or "payload", for messages
	syntax    error  // sentinel for malformed JSON, depth, trailing data
	duplicate error  // sentinel for a repeated member name
	// known are the exact member names of the format; folded maps their
	// lower-case forms back to them. Nil for no case check.
	known  map[string]bool
	folded map[string]string
}

// check runs one pass over data, which must be exactly one JSON object
// (RFC 8259, UTF-8) within the limits above, and returns the member names
// of that object. It stops at the first problem in reading order, be it
// a syntax error, a limit, or a repeated or case-variant name: reading on
// past a refusal only costs time.
//
// It is a small recursive-descent scanner rather than a loop over
// json.Decoder.Token: Token costs more than the P-256 signature check for
// a typical credential, and this check runs on every verification. The
// names it compares are those encoding/json will see: a name with escapes
// is unescaped by encoding/json itself.
func (r *jsonRules) check(data []byte) ([][]byte, error) {
	if !utf8.Valid(data) {
		// encoding/json would silently replace invalid bytes with U+FFFD,
		// so two different byte strings would read the same.
		return nil, r.fail(r.syntax, "not valid UTF-8")
	}
	return r.checkAt(data, 0)
}

// checkAt is check for an object nested at depth (the number of
// containers around it), as the JWK of cnf is when decoded on its own:
// the depth limit counts from the payload's top.
func (r *jsonRules) checkAt(data []byte, depth int) ([][]byte, error) {
	sc := &scanner{r: r, data: data}
	sc.space()
	if sc.peek() != '{' {
		return nil, r.fail(r.syntax, "want a JSON object at offset %d", sc.pos)
	}
	sc.values++
	top, err := sc.object(depth+1, true)
	if err != nil {
		return nil, err
	}
	sc.space()
	if sc.pos != len(data) {
		return nil, r.fail(r.syntax, "trailing data after the JSON object at offset %d", sc.pos)
	}
	return top, nil
}

type scanner struct {
	r      *jsonRules
	data   []byte
	pos    int
	values int // values begun so far, against maxJSONValues
}

func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *scanner) space() { s.pos = skipSpace(s.data, s.pos) }

// skipSpace returns the position of the first byte at or after pos that is
// not JSON white space (RFC 8259: space, tab, line feed, carriage return).
// The strict scanner reads bytes and the fast decoder a string; both skip
// white space through here.
func skipSpace[T ~string | ~[]byte](b T, pos int) int {
	for pos < len(b) {
		switch b[pos] {
		case ' ', '\t', '\n', '\r':
			pos++
		default:
			return pos
		}
	}
	return pos
}

func (s *scanner) syntaxErr(want string) error {
	if s.pos >= len(s.data) {
		return s.r.fail(s.r.syntax, "unexpected end of JSON, want %s", want)
	}
	return s.r.fail(s.r.syntax, "unexpected %q at offset %d, want %s", s.data[s.pos], s.pos, want)
}

// value scans one value whose first byte is at s.pos; depth is that of the
// enclosing container.
func (s *scanner) value(depth int) error {
	if s.values++; s.values > maxJSONValues {
		return s.r.fail(s.r.syntax, "more than %d values at offset %d", maxJSONValues, s.pos)
	}
	switch c := s.peek(); {
	case c == '{':
		_, err := s.object(depth+1, false)
		return err
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		_, _, err := s.str()
		return err
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.syntaxErr("a value")
}

// object scans an object at s.pos ('{'), refusing repeated member names.
// With keep it returns the names (for the top level only).
func (s *scanner) object(depth int, keep bool) ([][]byte, error) {
	if depth > maxJSONDepth {
		return nil, s.r.fail(s.r.syntax, "nested deeper than %d levels", maxJSONDepth)
	}
	s.pos++ // '{'
	// Names are compared as bytes (no allocation). maxObjectMembers keeps
	// the comparisons of one object few (at most 2,016).
	var buf [16][]byte
	names := buf[:0] // on this frame: only a copy is ever returned
	s.space()
	if s.peek() == '}' {
		s.pos++
		return nil, nil
	}
	for {
		if s.peek() != '"' {
			return nil, s.syntaxErr("a member name")
		}
		raw, escaped, err := s.str()
		if err != nil {
			return nil, err
		}
		name := raw[1 : len(raw)-1]
		if escaped {
			// Let encoding/json decide what the escapes mean, so the name
			// compared here is the one it will bind.
			var n string
			if err := json.Unmarshal(raw, &n); err != nil {
				return nil, s.r.fail(s.r.syntax, "member name: %v", err)
			}
			name = []byte(n)
		}
		if err := s.r.checkName(name); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(names, func(n []byte) bool { return bytes.Equal(n, name) }) {
			return nil, s.r.fail(s.r.duplicate, "member %q appears twice in one object", clip(string(name)))
		}
		if len(names) == maxObjectMembers {
			return nil, s.r.fail(s.r.syntax, "an object has more than %d members at offset %d", maxObjectMembers, s.pos)
		}
		names = append(names, name)
		s.space()
		if s.peek() != ':' {
			return nil, s.syntaxErr("':'")
		}
		s.pos++
		s.space()
		if err := s.value(depth); err != nil {
			return nil, err
		}
		s.space()
		switch s.peek() {
		case ',':
			s.pos++
			s.space()
		case '}':
			s.pos++
			if !keep {
				return nil, nil
			}
			return slices.Clone(names), nil
		default:
			return nil, s.syntaxErr("',' or '}'")
		}
	}
}

func (s *scanner) array(depth int) error {
	if depth > maxJSONDepth {
		return s.r.fail(s.r.syntax, "nested deeper than %d levels", maxJSONDepth)
	}
	s.pos++ // '['
	s.space()
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for {
		if err := s.value(depth); err != nil {
			return err
		}
		s.space()
		switch s.peek() {
		case ',':
			s.pos++
			s.space()
		case ']':
			s.pos++
			return nil
		default:
			return s.syntaxErr("',' or ']'")
		}
	}
}

// str scans a string at s.pos and returns it with its quotes, and whether
// it has escapes. The input is already known to be valid UTF-8.
func (s *scanner) str() ([]byte, bool, error) {
	start := s.pos
	s.pos++ // '"'
	escaped := false
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; {
		case c == '"':
			s.pos++
			return s.data[start:s.pos], escaped, nil
		case c == '\\':
			escaped = true
			if err := s.escape(); err != nil {
				return nil, false, err
			}
		case c < 0x20:
			return nil, false, s.syntaxErr("no control character in a string")
		default:
			s.pos++
		}
	}
	return nil, false, s.syntaxErr("'\"' to end the string")
}

// escape scans one escape sequence at s.pos ('\\').
func (s *scanner) escape() error {
	s.pos++
	switch s.peek() {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos++
		return nil
	case 'u':
		s.pos++
		for range 4 {
			if !isHex(s.peek()) {
				return s.syntaxErr("a hex digit of a \\u escape")
			}
			s.pos++
		}
		return nil
	}
	return s.syntaxErr("an escape character")
}

// number scans -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? of at most
// maxNumberLength bytes, stopping as soon as it is longer.
func (s *scanner) number() error {
	start := s.pos
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case '1' <= c && c <= '9':
		if err := s.digits(start); err != nil {
			return err
		}
	default:
		return s.syntaxErr("a digit")
	}
	if s.peek() == '.' {
		s.pos++
		if !isDigit(s.peek()) {
			return s.syntaxErr("a digit after '.'")
		}
		if err := s.digits(start); err != nil {
			return err
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !isDigit(s.peek()) {
			return s.syntaxErr("a digit of the exponent")
		}
		if err := s.digits(start); err != nil {
			return err
		}
	}
	return nil
}

// digits scans digits of the number that began at start.
func (s *scanner) digits(start int) error {
	for isDigit(s.peek()) {
		if s.pos++; s.pos-start > maxNumberLength {
			return s.r.fail(s.r.syntax, "number at offset %d is longer than %d bytes", start, maxNumberLength)
		}
	}
	return nil
}

func (s *scanner) literal(word string) error {
	if !bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		return s.syntaxErr(word)
	}
	s.pos += len(word)
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// checkName refuses a name that is not one of the format's but matches one
// when case is ignored, because encoding/json would bind it to that field.
func (r *jsonRules) checkName(name []byte) error {
	if r.known == nil || r.known[string(name)] {
		return nil
	}
	if exact, ok := r.folded[strings.ToLower(string(name))]; ok {
		return fmt.Errorf("%w: member %q differs only in case from %q", ErrNotCredential, clip(string(name)), exact)
	}
	return nil
}

// fail wraps sentinel with what is being checked and the detail.
func (r *jsonRules) fail(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", sentinel, r.what, fmt.Sprintf(format, args...))
}

// jwkMembers are the JWK member names (RFC 7517, 7518, 8037); go-jose
// decodes a JWK through its own struct, just as case-insensitively.
var jwkMembers = []string{"kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256",
	"crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "oth", "k"}

// knownNames collects the JSON member names of the given types and of
// every struct type they contain.
func knownNames(types ...reflect.Type) (map[string]bool, map[string]string) {
	known := map[string]bool{}
	for _, n := range jwkMembers {
		known[n] = true
	}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
			return
		}
		seen[t] = true
		for f := range t.Fields() {
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				known[name] = true
			}
			walk(f.Type)
		}
	}
	for _, t := range types {
		walk(t)
	}
	folded := make(map[string]string, len(known))
	for n := range known {
		folded[strings.ToLower(n)] = n
	}
	return known, folded
}
