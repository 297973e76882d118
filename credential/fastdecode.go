package credential

import (
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/skillpass-nl/skillpass/statuslist"
)

// A hand-written decoder for the payload shape Skillpass emits, in front
// of the strict v2 decode (decode.go), which otherwise costs a tenth of a
// verifier's CPU through reflection.
//
// Why it is safe: it is a decoder of a strict subset. It either produces
// exactly the Credential the v2 pass would produce, or reports "not
// handled", and then the v2 pass runs unchanged and accepts or refuses
// with its precise reason. It never refuses anything itself, so it cannot
// change an error; it only has to never accept what v2 (with checkAmount
// before it) refuses, and decode what it accepts as v2 does. To keep that
// argument short it bails on everything it need not read:
//
//   - a member name that is not exactly one of its struct's JSON names, or
//     that has an escape or a byte outside printable ASCII (every name of
//     the format is plain ASCII): so unknown, case-variant and "vc"/"vp"
//     members all go to v2; a name seen before in the same object (a
//     duplicate, which v2 refuses);
//   - null anywhere (v2 reads it as the zero value, or nil, and keeps the
//     rules about when: not worth copying), a value of another JSON kind
//     than its field's, and for iat anything but 0 or 1-19 digits without
//     a leading zero that fit an int64 (no sign, fraction or exponent);
//   - in strings: a control character, invalid UTF-8, an unknown escape,
//     a \u escape of half a surrogate pair that is not part of a pair, and
//     more than maxFastEscapes escapes in all (so that a hostile payload
//     of escapes is not unescaped twice);
//   - anything after the top-level object but white space, and more than
//     maxJSONValues values (checkAmount has already bounded them; this is
//     belt and braces).
//
// Everything it accepts is then valid JSON (RFC 8259) made only of the
// format's members with values of their fields' kinds: exactly what v2
// decodes without complaint, and, member by member, to the same value
// (strings unescaped the same way, [] as an empty non-nil list, absent
// members as zero values). Member order does not matter (Skillpass's own
// order is only found faster). The limits of jsoncheck.go hold as they do
// for v2 (see decodePayloadFast): at most 14 members an object, nesting of
// the types, one 19-digit number. cnf is the one value read by other
// code: the scanner of jsoncheck.go finds its end and decodeConfirmation,
// exactly the code the v2 pass runs for it, decodes it.
// TestFastDecodeDifferential and FuzzFastDecodeDifferential hold both
// passes together.
//
// Allocation: the payload is copied once into a string and every string
// without escapes is a substring of it (the payload is the caller's
// mutable bytes, so it cannot be aliased); lists of one element type are
// carved from one arena per type, which starts in a fastRoom that Parse
// allocates with the rest of a parse: a genuine credential of two skills
// costs one allocation here, the string.

// fastDecode decodes payload into *c, which must be zero, and reports
// whether it did. On false *c is untouched and the caller must run the v2
// pass. The lists of *c start in room (if not nil), which must not be in
// use: see fastRoom.
func fastDecode(payload []byte, c *Credential, room *fastRoom) bool {
	d := fastDecoder{data: payload, src: string(payload)}
	if room != nil {
		d.useRoom(room)
	}
	var v Credential
	d.ws()
	if !d.credential(&v) {
		return false
	}
	d.ws()
	if d.pos != len(d.src) || d.values > maxJSONValues {
		return false
	}
	*c = v
	return true
}

// fastRoom is room for the lists of a credential of about two skills, so
// that most credentials need no allocation for their lists: it is part of
// credentialDecode, which Parse allocates anyway. A credential with more
// spills into the heap (see arena.next).
type fastRoom struct {
	strs     [32]string
	entries  [2]statuslist.Entry
	related  [1]RelatedResource
	evidence [2]Evidence
	achieve  [2]Achievement
	results  [2]Result
	aligns   [4]Alignment
	rdescs   [2]ResultDescription
	levels   [6]RubricCriterionLevel
}

func (d *fastDecoder) useRoom(r *fastRoom) {
	d.strs.buf, d.entries.buf, d.related.buf = r.strs[:0], r.entries[:0], r.related[:0]
	d.evidence.buf, d.achieve.buf, d.results.buf = r.evidence[:0], r.achieve[:0], r.results[:0]
	d.aligns.buf, d.rdescs.buf, d.levels.buf = r.aligns[:0], r.rdescs[:0], r.levels[:0]
}

// fastDecoder is the state of one fastDecode. Every method reports false
// for "not handled", after which the decoder is abandoned.
type fastDecoder struct {
	data   []byte // the payload, for the scanner that reads cnf
	src    string // a copy of data that decoded strings share
	pos    int
	values int // values read so far, as jsoncheck.go counts them

	strs     arena[string]
	entries  arena[statuslist.Entry]
	related  arena[RelatedResource]
	evidence arena[Evidence]
	achieve  arena[Achievement]
	results  arena[Result]
	aligns   arena[Alignment]
	rdescs   arena[ResultDescription]
	levels   arena[RubricCriterionLevel]
	escaped  []byte // scratch for unescaping, reused
	escapes  int    // escapes read so far, against maxFastEscapes
}

// maxFastEscapes is how many escapes this pass reads in one payload before
// it declines. Skillpass escapes only '"', '\\', control characters and
// U+2028/U+2029 in texts: a genuine credential has a handful.
const maxFastEscapes = 256

// arena hands out lists of T carved from one backing array, so a
// credential's lists of one type cost one allocation instead of one each.
// Each list is capped at its own length, so appending to one reallocates
// instead of overwriting its neighbour. Lists of one type are never read
// interleaved (no format type contains a list of itself), so a list is
// always at the tail while it is read. When the array is full, the list
// being read moves to a new, larger one; lists handed out before keep the
// old array.
type arena[T any] struct{ buf []T }

// next is a new zero element at the tail, for the list that began at
// start. The pointer is good until the next call of next on a: reading an
// element never reads another list of its own type.
func (a *arena[T]) next(start *int) *T {
	if len(a.buf) == cap(a.buf) {
		n := len(a.buf) - *start
		grown := make([]T, n, max(2*cap(a.buf), 4))
		copy(grown, a.buf[*start:])
		a.buf, *start = grown, 0
	}
	var zero T
	a.buf = append(a.buf, zero)
	return &a.buf[len(a.buf)-1]
}

// list is the list read since start; an empty one is non-nil, as v2
// decodes [].
func (a *arena[T]) list(start int) []T {
	if len(a.buf) == start {
		return []T{}
	}
	return a.buf[start:len(a.buf):len(a.buf)]
}

// readList reads a JSON array of T into *dst, each element with elem.
func readList[T any](d *fastDecoder, a *arena[T], dst *[]T, elem func(*T) bool) bool {
	if !d.open('[') {
		return false
	}
	start := len(a.buf)
	if d.peek() != ']' {
		for {
			// The values bound also bounds the work on a list that
			// checkAmount has not seen (only tests call this without it).
			if d.values > maxJSONValues || !elem(a.next(&start)) {
				return false
			}
			if !d.more() {
				break
			}
		}
	}
	if !d.close(']') {
		return false
	}
	*dst = a.list(start)
	return true
}

func (d *fastDecoder) peek() byte {
	if d.pos < len(d.src) {
		return d.src[d.pos]
	}
	return 0
}

// ws skips JSON white space (the four bytes RFC 8259 allows). Skillpass
// writes none, so the test for none is kept small enough to inline.
func (d *fastDecoder) ws() {
	if d.pos < len(d.src) && d.src[d.pos] <= ' ' {
		d.wsLoop()
	}
}

func (d *fastDecoder) wsLoop() { d.pos = skipSpace(d.src, d.pos) }

// open reads the opening byte of a container (one value) and the white
// space after it.
func (d *fastDecoder) open(c byte) bool {
	if d.peek() != c {
		return false
	}
	d.pos++
	d.values++
	d.ws()
	return true
}

// more reads the white space after an element or member and, if a ','
// follows, it and the white space after it. It reports whether another
// element or member follows; the byte after that is for close to judge.
func (d *fastDecoder) more() bool {
	d.ws()
	if d.peek() != ',' {
		return false
	}
	d.pos++
	d.ws()
	return true
}

// close reads the closing byte of a container.
func (d *fastDecoder) close(c byte) bool {
	if d.peek() != c {
		return false
	}
	d.pos++
	return true
}

// object reads an object whose member names are names (a struct's json
// names, in the struct's order, at most 32), handing member the index of
// each name to read its value. member reports false for a bad value. A
// name not in names, or read before in this object, is not handled.
func (d *fastDecoder) object(names []string, member func(i int) bool) bool {
	if !d.open('{') {
		return false
	}
	if d.peek() != '}' {
		var seen uint32
		for next := 0; ; {
			i := d.memberName(names, next)
			if i < 0 || seen&(1<<i) != 0 {
				return false
			}
			seen |= 1 << i
			d.ws()
			if !d.close(':') {
				return false
			}
			d.ws()
			if !member(i) {
				return false
			}
			if next = i + 1; !d.more() {
				break
			}
		}
	}
	return d.close('}')
}

// memberName reads a member name and returns its index in names, or -1.
// It first tries names[next]: members usually come in the struct's
// order, as Skillpass writes them, and then one comparison finds the
// name. Otherwise it reads the name and looks it up.
func (d *fastDecoder) memberName(names []string, next int) int {
	if next < len(names) {
		// The names are plain ASCII, so a quote, exactly the name and a
		// quote are the whole JSON string and mean just that name.
		n := names[next]
		if end := d.pos + 1 + len(n); end < len(d.src) && d.src[d.pos] == '"' && d.src[end] == '"' && d.src[d.pos+1:end] == n {
			d.pos = end + 1
			return next
		}
	}
	name, ok := d.name()
	if !ok {
		return -1
	}
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// name reads a member name of printable ASCII without escapes; any other
// name is not one of the format's.
func (d *fastDecoder) name() (string, bool) {
	if d.peek() != '"' {
		return "", false
	}
	start := d.pos + 1
	if i := plainRun(d.src, start); i < len(d.src) && d.src[i] == '"' {
		d.pos = i + 1
		return d.src[start:i], true
	}
	return "", false
}

// plainByte marks the bytes that stand for themselves in a string: all
// printable ASCII but '"' and '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainRun returns the position of the first byte from i on that is not
// plainByte, or len(s). Strings are most of a payload, so this is most of
// the decoder's time: it tests eight bytes at once.
func plainRun(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8] // one bounds check; the compiler makes this one load
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		// (x - ones) &^ x has the high bit of a byte set if that byte of
		// x is zero, and of no byte below the lowest zero byte (a borrow
		// only runs upwards); (w - ones*0x20) &^ w likewise for bytes
		// below 0x20. So the lowest high bit of hit, the four tests
		// together, is the first byte that is a control character, '"',
		// '\\' or not ASCII (w's own high bit): exactly the first
		// byte that is not plainByte.
		quote, backslash := w^(ones*'"'), w^(ones*'\\')
		hit := ((w-ones*0x20)&^w | (quote-ones)&^quote | (backslash-ones)&^backslash | w) & highs
		if hit != 0 {
			return i + bits.TrailingZeros64(hit)/8
		}
	}
	for i < len(s) && plainByte[s[i]] {
		i++
	}
	return i
}

// str reads a string value. Without escapes it is a substring of the copy
// of the payload.
func (d *fastDecoder) str(dst *string) bool {
	if d.peek() != '"' {
		return false
	}
	d.values++
	start := d.pos + 1
	for i := plainRun(d.src, start); i < len(d.src); i = plainRun(d.src, i) {
		switch c := d.src[i]; {
		case c == '"':
			*dst, d.pos = d.src[start:i], i+1
			return true
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(d.src[i:])
			if r == utf8.RuneError && n == 1 {
				return false // invalid UTF-8 (also an encoded surrogate)
			}
			i += n
		case c == '\\':
			return d.unescape(dst, start, i)
		default:
			return false // a control character
		}
	}
	return false
}

// unescape finishes str for a string with escapes, from the first
// backslash at i; its value gets its own memory.
func (d *fastDecoder) unescape(dst *string, start, i int) bool {
	b := append(d.escaped[:0], d.src[start:i]...)
	for i < len(d.src) {
		c := d.src[i]
		switch {
		case plainByte[c]:
			b = append(b, c)
			i++
		case c == '"':
			*dst, d.pos, d.escaped = string(b), i+1, b
			return true
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(d.src[i:])
			if r == utf8.RuneError && n == 1 {
				return false
			}
			b = append(b, d.src[i:i+n]...)
			i += n
		case c == '\\':
			// A payload of escapes would otherwise be unescaped here and
			// then again by v2 when something else makes this pass
			// decline; Skillpass writes few escapes.
			var ok bool
			if d.escapes++; d.escapes > maxFastEscapes {
				return false
			}
			if b, i, ok = d.escape(b, i); !ok {
				return false
			}
		default:
			return false
		}
	}
	return false
}

// escape appends what the escape at i ('\\') stands for to b, and returns
// the position after it. A \u escape of a surrogate must be the high half
// of a pair whose low half follows as a \u escape; anything else is
// invalid UTF-16, which v2 refuses (jsontext.AllowInvalidUTF8(false)).
func (d *fastDecoder) escape(b []byte, i int) ([]byte, int, bool) {
	if i+1 >= len(d.src) {
		return b, i, false
	}
	switch c := d.src[i+1]; c {
	case '"', '\\', '/':
		return append(b, c), i + 2, true
	case 'b':
		return append(b, '\b'), i + 2, true
	case 'f':
		return append(b, '\f'), i + 2, true
	case 'n':
		return append(b, '\n'), i + 2, true
	case 'r':
		return append(b, '\r'), i + 2, true
	case 't':
		return append(b, '\t'), i + 2, true
	case 'u':
		r, ok := d.hex4(i + 2)
		if !ok {
			return b, i, false
		}
		i += 6
		if utf16.IsSurrogate(r) {
			lo, ok := d.lowSurrogate(i)
			r = utf16.DecodeRune(r, lo)
			if !ok || r == utf8.RuneError {
				return b, i, false // half a pair, or two high halves
			}
			i += 6
		}
		return utf8.AppendRune(b, r), i, true
	}
	return b, i, false
}

// lowSurrogate reads the \u escape at i that must follow a surrogate.
func (d *fastDecoder) lowSurrogate(i int) (rune, bool) {
	if i+1 >= len(d.src) || d.src[i] != '\\' || d.src[i+1] != 'u' {
		return 0, false
	}
	return d.hex4(i + 2)
}

// hex4 reads the four hex digits of a \u escape at i.
func (d *fastDecoder) hex4(i int) (rune, bool) {
	if i+4 > len(d.src) {
		return 0, false
	}
	var r rune
	for j := i; j < i+4; j++ {
		c := d.src[j]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// int64 reads a non-negative integer of at most 19 digits that fits an
// int64, in the one spelling JSON has for it. Signs, fractions and
// exponents are left to v2 (which refuses the latter two for an int64).
func (d *fastDecoder) int64(dst *int64) bool {
	start := d.pos
	end := start
	// Twenty digits are enough to see that a number is too long: a
	// hostile one of 48 KB is left to v2 unread.
	for end < len(d.src) && end-start < 20 && isDigit(d.src[end]) {
		end++
	}
	digits := d.src[start:end]
	if len(digits) == 0 || len(digits) > 19 || digits[0] == '0' && len(digits) > 1 {
		return false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return false
	}
	*dst, d.pos = n, end
	d.values++
	return true
}

// The format's types: each is an object whose member i is read into the
// pointer fields[i] by value. The member names are the json names of the
// struct's fields in order, and the pointers are to those fields in the
// same order (TestFastDecodeNames, and the differential tests, which see
// any field read into another).

var (
	credentialNames = []string{"@context", "id", "type", "issuer", "name", "validFrom", "validUntil",
		"credentialSubject", "credentialStatus", "relatedResource", "evidence", "iss", "iat", "cnf"}
	issuerNames  = []string{"id", "type", "name"}
	subjectNames = []string{"id", "type", "achievement", "result"}
	// Achievement decodes itself in the v2 pass (achcache.go), but as
	// its plain fields under strictJSON: the same as any struct here.
	achievementNames = []string{"id", "type", "achievementType", "name", "description", "criteria",
		"creator", "alignment", "resultDescription"}
	criteriaNames          = []string{"id", "narrative"}
	creatorNames           = issuerNames
	alignmentNames         = []string{"type", "targetName", "targetUrl", "targetFramework", "frameworkVersion", "targetCode", "targetType"}
	resultDescriptionNames = []string{"id", "type", "name", "resultType", "allowedValue", "rubricCriterionLevel"}
	rubricLevelNames       = []string{"id", "type", "name", "description", "level"}
	resultNames            = []string{"type", "resultDescription", "achievedLevel", "value", "assessmentMethod"}
	evidenceNames          = []string{"id", "type", "name", "genre", "competency", "digestMultibase"}
	relatedResourceNames   = []string{"id", "digestSRI"}
	statusEntryNames       = []string{"id", "type", "statusPurpose", "statusListIndex", "statusListCredential"}
)

// fields reads an object of the given member names into the pointers.
func (d *fastDecoder) fields(names []string, fields ...any) bool {
	return d.object(names, func(i int) bool { return d.value(fields[i]) })
}

// value reads one value into the field p points to, by the field's type.
func (d *fastDecoder) value(p any) bool {
	switch p := p.(type) {
	case *string:
		return d.str(p)
	case *[]string:
		return readList(d, &d.strs, p, d.str)
	case *int64:
		return d.int64(p)
	case **Confirmation:
		return d.confirmation(p)
	case *Issuer:
		return d.fields(issuerNames, &p.ID, &p.Type, &p.Name)
	case *Subject:
		return d.fields(subjectNames, &p.ID, &p.Type, &p.Achievement, &p.Result)
	case *Criteria:
		return d.fields(criteriaNames, &p.ID, &p.Narrative)
	case *Creator:
		return d.fields(creatorNames, &p.ID, &p.Type, &p.Name)
	case *[]statuslist.Entry:
		return readList(d, &d.entries, p, d.statusEntry)
	case *[]RelatedResource:
		return readList(d, &d.related, p, func(v *RelatedResource) bool {
			return d.fields(relatedResourceNames, &v.ID, &v.DigestSRI)
		})
	case *[]Evidence:
		return readList(d, &d.evidence, p, func(v *Evidence) bool {
			return d.fields(evidenceNames, &v.ID, &v.Type, &v.Name, &v.Genre, &v.Competency, &v.DigestMultibase)
		})
	case *[]Achievement:
		return readList(d, &d.achieve, p, d.achievement)
	case *[]Result:
		return readList(d, &d.results, p, func(v *Result) bool {
			return d.fields(resultNames, &v.Type, &v.ResultDescription, &v.AchievedLevel, &v.Value, &v.AssessmentMethod)
		})
	case *[]Alignment:
		return readList(d, &d.aligns, p, func(v *Alignment) bool {
			return d.fields(alignmentNames, &v.Type, &v.TargetName, &v.TargetURL, &v.TargetFramework,
				&v.FrameworkVersion, &v.TargetCode, &v.TargetType)
		})
	case *[]ResultDescription:
		return readList(d, &d.rdescs, p, func(v *ResultDescription) bool {
			return d.fields(resultDescriptionNames, &v.ID, &v.Type, &v.Name, &v.ResultType, &v.AllowedValue, &v.RubricCriterionLevel)
		})
	case *[]RubricCriterionLevel:
		return readList(d, &d.levels, p, func(v *RubricCriterionLevel) bool {
			return d.fields(rubricLevelNames, &v.ID, &v.Type, &v.Name, &v.Description, &v.Level)
		})
	}
	return false // a type the format does not have: TestFastDecodeNames
}

func (d *fastDecoder) credential(v *Credential) bool {
	return d.fields(credentialNames, &v.Context, &v.ID, &v.Type, &v.Issuer, &v.Name, &v.ValidFrom, &v.ValidUntil,
		&v.CredentialSubject, &v.CredentialStatus, &v.RelatedResource, &v.Evidence, &v.Iss, &v.Iat, &v.Cnf)
}

func (d *fastDecoder) achievement(v *Achievement) bool {
	return d.fields(achievementNames, &v.ID, &v.Type, &v.AchievementType, &v.Name, &v.Description,
		&v.Criteria, &v.Creator, &v.Alignment, &v.ResultDescription)
}

// statusEntry reads a statuslist.Entry, whose purpose is a string type.
func (d *fastDecoder) statusEntry(v *statuslist.Entry) bool {
	return d.fields(statusEntryNames, &v.ID, &v.Type, (*string)(&v.StatusPurpose), &v.StatusListIndex, &v.StatusListCredential)
}

// confirmation reads cnf with the very code the v2 pass runs for it
// (decodeConfirmation), on the value's bytes as the scanner of
// jsoncheck.go delimits them. decodeConfirmation checks those bytes
// again, with the payload's rules and with v2, as one whole JSON object;
// and a JSON value is self-delimiting, so bytes that are one whole object
// are exactly the value at that position, whatever follows.
func (d *fastDecoder) confirmation(dst **Confirmation) bool {
	if d.peek() != '{' {
		return false // null among others: v2 reads that as no cnf
	}
	// Depth 1: cnf's value sits in the top-level object, as
	// Confirmation.UnmarshalJSONFrom sees it (dec.StackDepth()).
	sc := scanner{r: payloadRules, data: d.data, pos: d.pos}
	if sc.value(1) != nil {
		return false
	}
	c, err := decodeConfirmation(d.data[d.pos:sc.pos], 1)
	if err != nil {
		return false
	}
	*dst = &c
	d.pos, d.values = sc.pos, d.values+sc.values
	return true
}
