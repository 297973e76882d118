package credential

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
)

// The fast pass (encoding/json/v2) must never accept what the reference,
// the reading before it (the strict scanner and encoding/json v1),
// refuses, and must decode what both accept to the same value. It refuses a little more (see decode.go);
// those cases are listed here so the difference is deliberate.

// decodePayloadStrict is the reading before the v2 pass, kept as the
// reference: the scanner of jsoncheck.go, then encoding/json v1 into v.
func decodePayloadStrict(payload []byte, v any) error {
	if err := checkPayloadJSON(payload); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrNotCredential, err)
	}
	return nil
}

// checkDecodeAgrees fails if the fast pass is more lenient than the
// reference or decodes differently, and returns whether each accepted.
func checkDecodeAgrees[T any](t *testing.T, payload []byte) (fastOK, strictOK bool) {
	t.Helper()
	fast, strict := new(T), new(T)
	fastErr := decodePayloadFast(payload, fast)
	strictErr := decodePayloadStrict(payload, strict)
	if fastErr == nil && strictErr != nil {
		t.Fatalf("fast pass accepts what the reference refuses (%v):\n%s", strictErr, payload)
	}
	if fastErr == nil && !reflect.DeepEqual(fast, strict) {
		t.Fatalf("passes decode differently:\nfast   %+v\nstrict %+v\ninput %s", fast, strict, payload)
	}
	// What Parse uses: accepted exactly when the fast pass accepts, and
	// refused for the reference's reason where that is about the JSON
	// (not JSON, a limit, a repeat); for JSON that is no credential, v2's
	// own syntax (an escape of half a surrogate) may be named first.
	err := decodePayload(payload, new(T))
	if (err == nil) != (fastErr == nil) {
		t.Fatalf("decodePayload = %v, fast pass = %v", err, fastErr)
	}
	for _, reason := range []error{ErrPayloadNotJSON, ErrDuplicateKey, ErrNotCredential} {
		if errors.Is(strictErr, reason) && !errors.Is(err, reason) && !(reason == ErrNotCredential && errors.Is(err, ErrPayloadNotJSON)) {
			t.Fatalf("decodePayload = %v; the reference says %v", err, strictErr)
		}
	}
	return fastErr == nil, strictErr == nil
}

func TestDecodeDifferential(t *testing.T) {
	good := payloadOf(t, testCredential(t))
	tests := []struct {
		name               string
		payload            []byte
		wantFast, wantSlow bool
	}{
		{"ok", good, true, true},
		{"ok/escaped names and values", []byte(strings.Replace(string(good), `"iss":`, `"\u0069ss":`, 1)), true, true},
		{"error/duplicate", []byte(strings.Replace(string(good), `"iat":`, `"iss":"x","iat":`, 1)), false, false},
		{"error/case variant top level", []byte(strings.Replace(string(good), `"iat":`, `"IAT":`, 1)), false, false},
		// Before the fast pass, achievements were decoded by their own
		// method, and the case check did not look inside them.
		{"error/case variant in achievement", []byte(strings.Replace(string(good), `"narrative":`, `"Narrative":`, 1)), false, false},
		{"error/case variant in rubric level", []byte(strings.Replace(string(good), `"level":"1"`, `"LEVEL":"1"`, 1)), false, false},
		{"error/unknown member", []byte(strings.Replace(string(good), `"iat":`, `"extra":1,"iat":`, 1)), false, false},
		{"error/vc claim", []byte(strings.Replace(string(good), `"iat":`, `"vc":{},"iat":`, 1)), false, false},
		{"error/number for string", []byte(strings.Replace(string(good), `"name":"Heat pump installer"`, `"name":1`, 1)), false, false},
		{"error/fraction for iat", []byte(strings.Replace(string(good), `"iat":1795694400`, `"iat":1795694400.5`, 1)), false, false},
		{"error/exponent for iat", []byte(strings.Replace(string(good), `"iat":1795694400`, `"iat":1.7956944e9`, 1)), false, false},
		{"error/trailing data", append(append([]byte{}, good...), " {}"...), false, false},
		{"error/invalid UTF-8", []byte(strings.Replace(string(good), "Heat pump", "Heat \xff pump", 1)), false, false},
		// Refused by the fast pass only; v1 would read them as other text.
		{"error/fast only: name equal under Unicode folding", []byte(strings.Replace(string(good), `"iss":`, `"i\u017fs":`, 1)), false, true},
		{"error/fast only: lone surrogate escape", []byte(strings.Replace(string(good), `"name":"Heat pump installer"`, `"name":"Heat \ud800 pump"`, 1)), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fast, slow := checkDecodeAgrees[Credential](t, tt.payload)
			if fast != tt.wantFast || slow != tt.wantSlow {
				t.Errorf("fast accepts %v, reference accepts %v; want %v and %v", fast, slow, tt.wantFast, tt.wantSlow)
			}
		})
	}
}

// FuzzDecodeDifferential holds the two passes together on any input.
func FuzzDecodeDifferential(f *testing.F) {
	f.Add(payloadOf(f, testCredential(f)))
	f.Add(payloadOf(f, specListCredential()))
	f.Add([]byte(`{"iss":"a","iss":"b"}`))
	f.Add([]byte(`{"credentialSubject":{"achievement":[{"ID":"x"}]}}`))
	for _, s := range hostileShapes() {
		f.Add(s.payload(hostileSeedBytes))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkDecodeAgrees[Credential](t, payload)
		checkDecodeAgrees[StatusListCredential](t, payload)
	})
}

// TestParseHeaderFast: the fast header pass accepts only headers the full
// check accepts, with the same result.
func TestParseHeaderFast(t *testing.T) {
	k := newTestKey(t, "ES256")
	tests := []struct {
		name   string
		header string
		want   bool
	}{
		{"ok", string(header(t, k, nil)), true},
		{"ok/escaped", `{"alg":"ES256","kid":"` + k.kid + `","typ":"vc\u002bjwt","cty":"vc"}`, true},
		{"error/duplicate alg", `{"alg":"ES256","alg":"none","kid":"k","typ":"vc+jwt","cty":"vc"}`, false},
		{"error/case variant", `{"ALG":"ES256","kid":"k","typ":"vc+jwt","cty":"vc"}`, false},
		{"error/extra member", `{"alg":"ES256","kid":"k","typ":"vc+jwt","cty":"vc","b64":false}`, false},
		{"error/null kid", `{"alg":"ES256","kid":null,"typ":"vc+jwt","cty":"vc"}`, false},
		{"error/alg not a string", `{"alg":["ES256"],"kid":"k","typ":"vc+jwt","cty":"vc"}`, false},
		{"error/alg none", `{"alg":"none","kid":"k","typ":"vc+jwt","cty":"vc"}`, false},
		{"error/kid too long", `{"alg":"ES256","kid":"` + strings.Repeat("k", maxKidLength+1) + `","typ":"vc+jwt","cty":"vc"}`, false},
		{"error/trailing data", `{"alg":"ES256","kid":"k","typ":"vc+jwt","cty":"vc"}x`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkHeaderAgrees(t, []byte(tt.header), tt.want)
		})
	}
}

func checkHeaderAgrees(t *testing.T, b []byte, want bool) {
	t.Helper()
	fast, ok := parseHeaderFast(b)
	if ok != want {
		t.Errorf("fast pass accepts = %v, want %v", ok, want)
	}
	if !ok {
		return
	}
	// The full check, with the fast pass out of the way.
	full, err := parseHeaderSlow(b)
	if err != nil || full != fast {
		t.Errorf("fast pass reads %+v; the full check reads %+v, %v", fast, full, err)
	}
}

// TestDecodeTypesAreBounded holds the payload types to what
// decodePayloadFast relies on to keep the limits of jsoncheck.go without
// scanning: objects are structs with few members (v2 refuses unknown and
// repeated ones), the only numbers are int64 (no long literal decodes into
// one), nesting is shallow, and every type that decodes itself is one
// whose method is known to keep the rules.
func TestDecodeTypesAreBounded(t *testing.T) {
	// Types with their own decoding, and why each keeps the rules.
	selfDecoding := map[reflect.Type]bool{
		reflect.TypeFor[Achievement]():  true,  // decodes its plain fields under strictJSON: walked below
		reflect.TypeFor[Confirmation](): false, // checks its value with the scanner first
	}
	unmarshalers := []reflect.Type{
		reflect.TypeFor[json.Unmarshaler](), reflect.TypeFor[encoding.TextUnmarshaler](),
		reflect.TypeFor[jsonv2.Unmarshaler](), reflect.TypeFor[jsonv2.UnmarshalerFrom](),
	}
	var walk func(path string, rt reflect.Type, depth int)
	walk = func(path string, rt reflect.Type, depth int) {
		if depth > maxJSONDepth {
			t.Fatalf("%s: nested %d deep", path, depth)
		}
		for _, u := range unmarshalers {
			if reflect.PointerTo(rt).Implements(u) {
				walkOn, ok := selfDecoding[rt]
				if !ok {
					t.Fatalf("%s: %v decodes itself (%v); decodePayloadFast cannot vouch for it", path, rt, u)
				}
				if !walkOn {
					return
				}
				break
			}
		}
		switch rt.Kind() {
		case reflect.String, reflect.Int64, reflect.Bool:
		case reflect.Pointer:
			walk(path, rt.Elem(), depth)
		case reflect.Slice:
			walk(path+"[]", rt.Elem(), depth+1)
		case reflect.Struct:
			n := 0
			for f := range rt.Fields() {
				name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "-" || !f.IsExported() {
					continue
				}
				if strings.Contains(opts, "string") || strings.Contains(opts, "inline") || strings.Contains(opts, "unknown") {
					t.Fatalf("%s.%s: option %q changes how it is read", path, name, opts)
				}
				n++
				walk(path+"."+name, f.Type, depth+1)
			}
			if n > maxObjectMembers {
				t.Fatalf("%s: %d members, over maxObjectMembers", path, n)
			}
		default:
			t.Fatalf("%s: a %v can hold what the scanner limits (maps, interfaces, floats: refused here)", path, rt)
		}
	}
	walk("credential", reflect.TypeFor[Credential](), 0)
	walk("statusList", reflect.TypeFor[StatusListCredential](), 0)
}
