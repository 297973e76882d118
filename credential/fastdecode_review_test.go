package credential

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
)

// An adversarial review of the hand-written decoder (fastdecode.go). Every
// case states both what the fast path must do and what the v2 pass
// (decodePayload) does, so that a case which does not test what its name
// says (a "duplicate" v2 accepts, a "refusal" that is not one) fails too.

// reviewPayloads are the genuine payloads the review mutates: without and
// with a holder key.
func reviewPayloads(t testing.TB) (good, cnf string) {
	t.Helper()
	holderKey := newTestKey(t, keys.ES256)
	holder := holderKey.jwk.Public()
	withCnf := testCredential(t)
	withCnf.Cnf = &Confirmation{JWK: &holder}
	return string(payloadOf(t, testCredential(t))), string(payloadOf(t, withCnf))
}

// reviewReplace replaces the first old in s, which must contain it.
func reviewReplace(t testing.TB, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("no %q in the payload", old)
	}
	return strings.Replace(s, old, new, 1)
}

// viaV2 spells the iss member name with an escape: v2 reads the same
// credential, the fast path declines it, so Parse's v2 pass (unmarshalV2
// with its backing arrays) is what checkFastAgrees compares.
func viaV2(t testing.TB, s string) string {
	t.Helper()
	return reviewReplace(t, s, `"iss":`, `"\u0069ss":`)
}

// valueCount is how many values jsoncheck.go counts in payload.
func valueCount(t testing.TB, payload string) int {
	t.Helper()
	sc := &scanner{r: payloadRules, data: []byte(payload)}
	if err := sc.value(0); err != nil {
		t.Fatal(err)
	}
	return sc.values
}

// reviewCase is a payload with what each pass must do with it.
type reviewCase struct {
	name             string
	payload          string
	wantFast, wantV2 bool
}

func TestFastDecodeReview(t *testing.T) {
	good, cnf := reviewPayloads(t)
	rep := func(old, new string) string { return reviewReplace(t, good, old, new) }
	repCnf := func(old, new string) string { return reviewReplace(t, cnf, old, new) }
	const name = `"name":"Heat pump installer"`
	const issuer = `"issuer":{"id":"https://skillpass.example/issuers/opleider","type":["Profile"],"name":"Opleidingscentrum Installatie B.V."}`
	str := func(v string) string { return rep(name, `"name":"`+v+`"`) }
	iat := func(v string) string { return rep(`"iat":1795694400`, `"iat":`+v) }
	// n escapes in each of two strings.
	escapes := func(n int) string {
		s := reviewReplace(t, good, `"name":"Supervised"`, `"name":"`+strings.Repeat(`\t`, n)+`"`)
		return reviewReplace(t, s, `"name":"Independent"`, `"name":"`+strings.Repeat(`\/`, n)+`"`)
	}
	// Values up to the limit: extra strings in @context.
	extra := maxJSONValues - valueCount(t, good)
	contexts := func(n int) string {
		return rep(`"@context":[`, `"@context":[`+strings.Repeat(`"x",`, n))
	}
	extraCnf := maxJSONValues - valueCount(t, cnf)
	contextsCnf := func(n int) string {
		return repCnf(`"@context":[`, `"@context":[`+strings.Repeat(`"x",`, n))
	}
	tests := []reviewCase{
		{"ok", good, true, true},
		{"ok/holder key", cnf, true, true},

		// Duplicate member names at every level, plain and spelled with escapes.
		{"error/duplicate top level far apart", rep(`"iat":`, `"@context":[],"iat":`), false, false},
		{"error/duplicate issuer", rep(`"name":"Opleidingscentrum Installatie B.V."`, `"name":"Opleidingscentrum Installatie B.V.","name":"X"`), false, false},
		{"error/duplicate creator", rep(`"name":"Installation technology"`, `"name":"Installation technology","name":"X"`), false, false},
		{"error/duplicate criteria", rep(`"narrative":"Shown`, `"narrative":"X","narrative":"Shown`), false, false},
		{"error/duplicate alignment", rep(`"targetName":"install heat pump"`, `"targetName":"install heat pump","targetName":"X"`), false, false},
		{"error/duplicate result description", rep(`"resultType":"RubricCriterionLevel"`, `"resultType":"RubricCriterionLevel","resultType":"X"`), false, false},
		{"error/duplicate rubric level", rep(`"name":"Supervised"`, `"name":"Supervised","name":"X"`), false, false},
		{"error/duplicate result", rep(`"value":"2"`, `"value":"2","value":"9"`), false, false},
		{"error/duplicate evidence", rep(`"genre":"PRACTICAL_ASSESSMENT"`, `"genre":"PRACTICAL_ASSESSMENT","genre":"EXAM"`), false, false},
		{"error/duplicate related resource", rep(`"digestSRI":`, `"digestSRI":"X","digestSRI":`), false, false},
		{"error/duplicate status entry", rep(`"statusListIndex":"4242"`, `"statusListIndex":"4242","statusListIndex":"1"`), false, false},
		{"error/duplicate cnf", repCnf(`"cnf":{`, `"cnf":{},"cnf":{`), false, false},
		{"error/duplicate jwk", repCnf(`"jwk":{`, `"jwk":{},"jwk":{`), false, false},
		{"error/duplicate escaped top level", rep(`"iat":`, `"i\u0073s":"X","iat":`), false, false},
		{"error/duplicate escaped issuer", rep(`"name":"Opleidingscentrum`, `"\u006eame":"X","name":"Opleidingscentrum`), false, false},
		{"error/duplicate escaped rubric level", rep(`"name":"Supervised"`, `"name":"Supervised","n\u0061me":"X"`), false, false},
		{"error/duplicate escaped jwk member", repCnf(`"kty":`, `"k\u0074y":"EC","kty":`), false, false},
		{"error/duplicate escaped @context", rep(`"iat":`, `"\u0040context":[],"iat":`), false, false},
		{"ok/v2 only: escaped known name", viaV2(t, good), false, true},

		// Case variants and unknown members.
		{"error/case variant @context", rep(`"@context":`, `"@Context":`), false, false},
		{"error/case variant issuer id", rep(`"id":"https://skillpass.example/issuers`, `"ID":"https://skillpass.example/issuers`), false, false},
		{"error/case variant alignment", rep(`"targetUrl":`, `"targetURL":`), false, false},
		{"error/case variant status entry", rep(`"statusListIndex":`, `"statusListindex":`), false, false},
		{"error/case variant jwk", repCnf(`"kty":`, `"KTY":`), false, false},
		{"error/kelvin sign in jwk", repCnf(`"kty":`, "\"\u212aty\":"), false, false},
		{"error/long s raw", rep(`"iss":`, "\"i\u017fs\":"), false, false},
		{"error/non-ASCII name", rep(`"iat":`, "\"i\u00e4t\":1,\"iat\":"), false, false},
		{"error/unknown in issuer", rep(`"issuer":{`, `"issuer":{"x":1,`), false, false},
		{"error/unknown in rubric level", rep(`"name":"Supervised"`, `"name":"Supervised","x":{}`), false, false},
		{"error/unknown in cnf", repCnf(`"cnf":{`, `"cnf":{"x5c":[],`), false, false},
		{"error/empty name", rep(`"iat":`, `"":"","iat":`), false, false},
		{"error/vp claim", rep(`"iat":`, `"vp":{},"iat":`), false, false},
		{"error/name with DEL", rep(`"iss":`, "\"is\x7fs\":"), false, false},

		// Invalid UTF-8 in values and names.
		{"error/overlong NUL", str("\xc0\x80"), false, false},
		{"error/overlong 3 bytes", str("\xe0\x80\xaf"), false, false},
		{"error/overlong 4 bytes", str("\xf0\x80\x80\xaf"), false, false},
		{"error/encoded low surrogate", str("\xed\xbf\xbf"), false, false},
		{"error/beyond U+10FFFF", str("\xf4\x90\x80\x80"), false, false},
		{"error/byte F5", str("\xf5\x80\x80\x80"), false, false},
		{"error/byte FE", str("\xfe"), false, false},
		{"error/lone continuation byte", str("a\x80b"), false, false},
		{"error/truncated before quote", str("\xe2\x82"), false, false},
		{"error/truncated 4 bytes before quote", str("\xf0\x9f\x98"), false, false},
		{"error/truncated at end of payload", good[:strings.Index(good, name)+9] + "\xe2\x82", false, false},
		{"error/invalid UTF-8 after an escape", str(`\n` + "\xff"), false, false},
		{"error/truncated after an escape", str(`\n` + "\xe2\x82"), false, false},
		{"error/control character after an escape", str(`\n` + "\x1f"), false, false},
		{"error/invalid UTF-8 in name", rep(`"iat":`, "\"i\xffat\":1,\"iat\":"), false, false},
		{"error/invalid UTF-8 in cnf", repCnf(`"kty":`, "\"ext\":\"\xff\",\"kty\":"), false, false},
		{"ok/BOM in a string", str("\ufeff"), true, true},
		{"ok/DEL in a string", str("\x7f"), true, true},
		{"ok/U+FFFD itself", str("\ufffd"), true, true},
		{"ok/four-byte rune", str("\U0010ffff\U00010000"), true, true},

		// Escapes.
		{"error/reversed surrogate pair", str(`\udc00\ud800`), false, false},
		{"error/high surrogate then ASCII escape", str(`\ud800\u0041`), false, false},
		{"error/high surrogate at end of string", str(`\ud800`), false, false},
		{"error/high surrogate then escaped backslash", str(`\ud800\\udc00`), false, false},
		{"error/low half not hex", str(`\ud800\udc0g`), false, false},
		{"error/low half short", str(`\ud800\udc0`), false, false},
		{"error/not hex", str(`\u00g0`), false, false},
		{"error/upper-case U escape", str(`\U00e9`), false, false},
		{"error/escape at end of payload", good[:strings.Index(good, name)+9] + `\`, false, false},
		{"error/unicode escape at end of payload", good[:strings.Index(good, name)+9] + `\u00`, false, false},
		{"error/surrogate at end of payload", good[:strings.Index(good, name)+9] + `\ud800\u`, false, false},
		{"error/escape in name", rep(`"iat":`, `"i\u0000at":1,"iat":`), false, false},
		{"ok/NUL escape", str(`\u0000`), true, true},
		{"ok/escaped line separators", str(`\u2028\u2029`), true, true},
		{"ok/escape budget over two strings", escapes(maxFastEscapes / 2), true, true},
		{"ok/v2 only: escape budget exceeded over two strings", escapes(maxFastEscapes/2 + 1), false, true},

		// Control characters and white space.
		{"error/raw newline in string", str("a\nb"), false, false},
		{"error/raw unit separator", str("\x1f"), false, false},
		{"error/form feed between tokens", rep(`,"iat":`, ",\f\"iat\":"), false, false},
		{"error/line separator between tokens", rep(`,"iat":`, ",\u2028\"iat\":"), false, false},
		{"error/NUL between tokens", rep(`,"iat":`, ",\x00\"iat\":"), false, false},
		{"error/leading BOM", "\ufeff" + good, false, false},
		{"error/trailing NUL", good + "\x00", false, false},
		{"error/trailing null", good + "null", false, false},
		{"error/trailing brace", good + "}", false, false},
		{"ok/white space of all four kinds around tokens", " \t\r\n" + rep(`,"iat":`, " \t\r\n, \t\r\n\"iat\" \t\r\n: \t\r\n") + " \t\r\n", true, true},

		// Numbers: iat is the only one.
		{"ok/iat 18 nines", iat("999999999999999999"), true, true},
		{"ok/iat followed by white space", iat("1 "), true, true},
		{"error/iat 19 nines overflows", iat("9999999999999999999"), false, false},
		{"error/iat double zero", iat("00"), false, false},
		{"error/iat plus", iat("+1"), false, false},
		{"error/iat minus space", iat("- 1"), false, false},
		{"error/iat hex", iat("0x10"), false, false},
		{"error/iat NaN", iat("NaN"), false, false},
		{"error/iat Infinity", iat("Infinity"), false, false},
		{"error/iat trailing dot", iat("1."), false, false},
		{"error/iat leading dot", iat(".5"), false, false},
		{"error/iat bare exponent", iat("1e"), false, false},
		{"error/iat upper-case exponent", iat("1E3"), false, false},
		{"error/iat exponent", iat("1e3"), false, false},
		{"error/iat zero fraction", iat("0.0"), false, false},
		{"error/iat true", iat("true"), false, false},
		{"error/iat array", iat("[1]"), false, false},
		{"error/iat object", iat("{}"), false, false},
		{"error/iat empty string", iat(`""`), false, false},
		{"error/number in a string list", rep(`"type":["Profile"]`, `"type":[1]`), false, false},

		// Values nested where the types do not allow it.
		{"error/object for string", rep(name, `"name":{"z":{}}`), false, false},
		{"error/array for string", rep(name, `"name":[[["x"]]]`), false, false},
		{"error/deep array for string", rep(name, `"name":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)), false, false},
		{"error/list in a string list", rep(`"type":["Profile"]`, `"type":[["Profile"]]`), false, false},
		{"error/object in a string list", rep(`"type":["Profile"]`, `"type":[{"Profile":1}]`), false, false},
		{"error/array for issuer", rep(issuer, `"issuer":[]`), false, false},
		{"error/list in achievement list", rep(`"achievement":[`, `"achievement":[[],`), false, false},
		{"error/string for subject", rep(`"credentialSubject":{`, `"credentialSubject":"x","y":{`), false, false},
		{"error/object for status list", rep(`"credentialStatus":[`, `"credentialStatus":{"x":[`), false, false},
		{"error/list in related resource", rep(`"relatedResource":[`, `"relatedResource":[[],`), false, false},
		{"error/number for status index", rep(`"statusListIndex":"4242"`, `"statusListIndex":4242`), false, false},
		{"error/cnf deep", repCnf(`"kty":`, `"ext":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`,"kty":`), false, false},

		// Empty, null and absent.
		{"ok/empty id", rep(`"id":"urn:uuid:6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"`, `"id":""`), true, true},
		{"ok/empty validUntil", rep(`"validUntil":"2029-11-26T12:00:00Z"`, `"validUntil":""`), true, true},
		{"ok/empty top-level object", "{}", true, true},
		{"ok/empty nested objects", rep(issuer, `"issuer":{}`), true, true},
		{"error/cnf unknown after null jwk", repCnf(`"cnf":{"jwk":`, `"cnf":{"jwk":null,"x":`), false, false},
		{"ok/cnf string with braces", repCnf(`"kty":`, `"ext":"}\"}]","kty":`), true, true},
		{"ok/cnf jwk null alone", rep(`"iat":`, `"cnf":{"jwk":null},"iat":`), true, true},
		{"error/cnf escaped lone surrogate", repCnf(`"kty":`, `"ext":"\ud800","kty":`), false, false},

		// The amount of values.
		{"ok/values at the limit", contexts(extra), true, true},
		{"error/values over the limit", contexts(extra + 1), false, false},
		{"ok/v2 only: values at the limit", viaV2(t, contexts(extra)), false, true},
		{"ok/values at the limit with cnf", contextsCnf(extraCnf), true, true},
		{"error/values over the limit with cnf", contextsCnf(extraCnf + 1), false, false},
		{"error/values over the limit in cnf", repCnf(`"kty":`, `"ext":[`+strings.Repeat(`0,`, extraCnf)+`0],"kty":`), false, false},
	}
	// Every list of the format as [], null and absent, in both passes.
	for _, list := range []struct{ name, member string }{
		{"@context", `"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json","https://w3id.org/skillpass/v1"]`},
		{"type", `"type":["VerifiableCredential","OpenBadgeCredential"]`},
		{"issuer type", `"type":["Profile"]`},
		{"subject type", `"type":["AchievementSubject"]`},
		{"achievement type", `"type":["Achievement"]`},
		{"alignment type", `"type":["Alignment"]`},
		{"allowedValue", `"allowedValue":["1","2"]`},
		{"result type", `"type":["Result"]`},
		{"evidence type", `"type":["Evidence"]`},
		{"credentialStatus", `"credentialStatus":[{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"4242","statusListCredential":"https://skillpass.example/issuers/opleider/status/revocation/0"},{"type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"4242","statusListCredential":"https://skillpass.example/issuers/opleider/status/suspension/0"}]`},
		{"relatedResource", `"relatedResource":[{"id":"https://skillpass.example/sectors/installatie/profiles/monteur/versions/1","digestSRI":"sha256-41nbmrrung8HDXrdX8ThG1L+9sd+SpnX4NLZT+0X3T8="}]`},
	} {
		key, _, _ := strings.Cut(list.member, ":")
		empty, null := rep(list.member, key+":[]"), rep(list.member, key+":null")
		tests = append(tests,
			reviewCase{"ok/empty " + list.name, empty, true, true},
			reviewCase{"ok/v2 only: empty " + list.name, viaV2(t, empty), false, true},
			reviewCase{"ok/v2 only: null " + list.name, null, false, true},
		)
		if list.name == "@context" || list.name == "credentialStatus" || list.name == "relatedResource" || list.name == "type" {
			absent := rep(list.member+",", "")
			tests = append(tests,
				reviewCase{"ok/absent " + list.name, absent, true, true},
				reviewCase{"ok/v2 only: absent " + list.name, viaV2(t, absent), false, true})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := decodePayload([]byte(tt.payload), new(Credential)); (err == nil) != tt.wantV2 {
				t.Fatalf("v2 pass says %v, want accepted = %v", err, tt.wantV2)
			}
			if got := checkFastAgrees(t, []byte(tt.payload)); got != tt.wantFast {
				t.Errorf("fast path accepts = %v, want %v", got, tt.wantFast)
			}
		})
	}
}

// TestFastDecodeReviewLists: no two decoded lists share memory, not even
// in capacity beyond their length (then appending to one would write into
// the other), with and without a fastRoom, also when a list spills out of
// the room half way; and no decoded string shares the caller's payload
// bytes, which the caller may reuse.
func TestFastDecodeReviewLists(t *testing.T) {
	good, _ := reviewPayloads(t)
	payloads := fastShapes(t)
	// 40 strings fill the room's 32 in the middle of @context.
	payloads["spill in a list"] = []byte(reviewReplace(t, good, `"@context":[`, `"@context":[`+strings.Repeat(`"x\ty",`, 40)))
	for name, payload := range payloads {
		for _, room := range []struct {
			name string
			room *fastRoom
		}{{"no room", nil}, {"room", new(fastRoom)}} {
			t.Run("ok/"+name+"/"+room.name, func(t *testing.T) {
				mine := append([]byte(nil), payload...)
				var c Credential
				if !fastDecode(mine, &c, room.room) {
					t.Fatal("fast path declines a genuine payload")
				}
				want := new(Credential)
				if err := decodePayload(payload, want); err != nil {
					t.Fatal(err)
				}
				for i := range mine {
					mine[i] = 'X'
				}
				if !reflect.DeepEqual(&c, want) {
					t.Fatal("the decoded credential changed with the payload's bytes")
				}
				c.Cnf = nil // go-jose's own lists are not the arenas'
				checkDisjoint(t, reflect.ValueOf(&c), 10)
			})
		}
		// Parse's v2 pass, twice: its backing arrays and the achievement
		// cache must hand out lists of their own too.
		t.Run("ok/"+name+"/v2 twice", func(t *testing.T) {
			p := []byte(viaV2(t, string(payload)))
			var both struct{ A, B Credential }
			for _, c := range []*Credential{&both.A, &both.B} {
				d := new(credentialDecode)
				if err := decodePayload(p, d); err != nil {
					t.Fatal(err)
				}
				*c = d.Credential
				c.Cnf = nil
			}
			checkDisjoint(t, reflect.ValueOf(&both), 20)
		})
	}
}

// checkDisjoint fails if two slices reachable from v overlap in
// [start, start+cap), or if it finds fewer than min slices.
func checkDisjoint(t *testing.T, v reflect.Value, min int) {
	t.Helper()
	n, overlap := sharedLists(v)
	if overlap != "" {
		t.Fatal(overlap)
	}
	if n < min {
		t.Fatalf("found only %d lists", n)
	}
}

// sharedLists counts the non-empty slices reachable from v and names two
// that overlap in [start, start+cap), if any do.
func sharedLists(v reflect.Value) (int, string) {
	type span struct {
		path       string
		start, end uintptr
	}
	var spans []span
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					walk(path+"."+f.Name, v.Field(i))
				}
			}
		case reflect.Slice:
			if v.Cap() > 0 {
				start := v.Pointer()
				spans = append(spans, span{path, start, start + uintptr(v.Cap())*v.Type().Elem().Size()})
			}
			for i := range v.Len() {
				walk(path+"["+strconv.Itoa(i)+"]", v.Index(i))
			}
		}
	}
	walk("", v)
	for i, a := range spans {
		for _, b := range spans[i+1:] {
			if a.start < b.end && b.start < a.end {
				return len(spans), a.path + " and " + b.path + " share memory"
			}
		}
	}
	return len(spans), ""
}

// TestSharedLists: the check above sees lists that share capacity.
func TestSharedLists(t *testing.T) {
	backing := []string{"a", "b", "c"}
	tests := []struct {
		name string
		c    Credential
		want bool
	}{
		{"ok/separate", Credential{Context: backing[0:1:1], Type: backing[1:3]}, false},
		{"error/capacity shared", Credential{Context: backing[0:1], Type: backing[1:3]}, true},
		{"error/nested list shared", Credential{Context: backing[2:], Issuer: Issuer{Type: backing[2:3]}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, overlap := sharedLists(reflect.ValueOf(&tt.c)); (overlap != "") != tt.want {
				t.Fatalf("overlap %q, want one = %v", overlap, tt.want)
			}
		})
	}
}

// TestFastDecodeReviewPrefixes: no proper prefix of any shape Skillpass
// emits is accepted, and none panics (a prefix is never a whole JSON
// value here: the shapes end in '}' with nothing after it). Each prefix
// costs a decode of its length, so the spaced-out form, whose prefixes
// end between tokens more often, is tried for the largest shape only.
func TestFastDecodeReviewPrefixes(t *testing.T) {
	shapes := fastShapes(t)
	shapes["holder key Ed25519 spaced out"] = reshaped(t, shapes["holder key Ed25519"])
	for name, p := range shapes {
		t.Run("error/prefixes of "+name, func(t *testing.T) {
			for i := range len(p) {
				if fastDecode(p[:i], new(Credential), new(fastRoom)) {
					t.Fatalf("fast path accepts a prefix of %d bytes: %q", i, p[:i])
				}
			}
		})
	}
}

// TestFastDecodeReviewMutations: single-byte changes of a genuine payload
// (with and without a holder key): outside strings and at their quotes,
// every change to a byte that matters to JSON, every deletion and every
// doubling; inside strings, every change to a byte that ends a string,
// starts an escape or is not plain ASCII, and a sample of deletions and
// doublings (the rest only cost time: they change text). Whatever the
// fast path accepts must be what the v2 pass decodes.
func TestFastDecodeReviewMutations(t *testing.T) {
	good, cnf := reviewPayloads(t)
	structural := []byte{0, '\t', '\v', ' ', '"', '\\', ',', ':', '[', ']', '{', '}', '-', '0', '9', 'e', 'n', 't', 0x80, 0xc0, 0xed, 0xff}
	inText := []byte{0, 0x1f, '"', '\\', 0x80, 0xc0, 0xed, 0xf4, 0xff}
	accepted := 0
	for _, s := range []string{good, cnf} {
		p := []byte(s)
		check := func(m []byte) {
			var c Credential
			if fastDecode(m, &c, nil) {
				accepted++
				checkFastAgrees(t, m)
			}
		}
		text := textBytes(p)
		for i := range p {
			try := structural
			if text[i] {
				try = inText
			}
			for _, b := range try {
				if p[i] != b {
					m := append([]byte(nil), p...)
					m[i] = b
					check(m)
				}
			}
			if !text[i] || i%7 == 0 {
				check(append(append([]byte(nil), p[:i]...), p[i+1:]...))
				check(append(append([]byte(nil), p[:i+1]...), p[i:]...))
			}
		}
	}
	if accepted == 0 {
		t.Fatal("no mutant was accepted: the test compares nothing")
	}
	t.Logf("%d mutants accepted by the fast path, all as v2 decodes them", accepted)
}

// textBytes marks the bytes of p between the quotes of a string (p has
// no escapes).
func textBytes(p []byte) []bool {
	text := make([]bool, len(p))
	in := false
	for i, c := range p {
		if c == '"' {
			in = !in
			continue
		}
		text[i] = in
	}
	return text
}

// FuzzFastDecodeReviewSplice: a genuine payload (with or without a holder
// key) with cut bytes at pos replaced by insert. Whole-payload mutation
// rarely keeps the rest of a 5 KB payload intact; this keeps all of it
// but one spot, where the fast path must agree with v2.
func FuzzFastDecodeReviewSplice(f *testing.F) {
	good, cnf := reviewPayloads(f)
	for _, frag := range []string{`"iat":1,`, `"\u0069at":1,`, `\ud800\udc00`, "\xed\xa0\x80", `null`, `[]`, `{}`, `,"x":1`, `"`, `\`, "\ufeff", `-0`, `1e3`, `"cnf":{"jwk":null},`} {
		f.Add(false, uint16(strings.Index(good, `"iat"`)), uint8(0), []byte(frag))
		f.Add(true, uint16(strings.Index(cnf, `"kty"`)), uint8(1), []byte(frag))
		f.Add(false, uint16(strings.Index(good, `Heat pump`)), uint8(4), []byte(frag))
	}
	f.Fuzz(func(t *testing.T, withCnf bool, pos uint16, cut uint8, insert []byte) {
		s := good
		if withCnf {
			s = cnf
		}
		i := int(pos) % (len(s) + 1)
		j := min(i+int(cut), len(s))
		checkFastAgrees(t, []byte(s[:i]+string(insert)+s[j:]))
	})
}
