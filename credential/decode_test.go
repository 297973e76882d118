package credential

import (
	"reflect"
	"strings"
	"testing"
)

// The fast pass (encoding/json/v2) must never accept what the telling pass
// (the strict scanner and encoding/json v1) refuses, and must decode what
// both accept to the same value. It refuses a little more (see decode.go);
// those cases are listed here so the difference is deliberate.

// checkDecodeAgrees fails if the fast pass is more lenient than the telling
// one or decodes differently, and returns whether each accepted.
func checkDecodeAgrees[T any](t *testing.T, payload []byte) (fastOK, strictOK bool) {
	t.Helper()
	fast, strict := new(T), new(T)
	fastErr := decodePayloadFast(payload, fast)
	strictErr := decodePayloadStrict(payload, strict)
	if fastErr == nil && strictErr != nil {
		t.Fatalf("fast pass accepts what the telling pass refuses (%v):\n%s", strictErr, payload)
	}
	if fastErr == nil && !reflect.DeepEqual(fast, strict) {
		t.Fatalf("passes decode differently:\nfast   %+v\nstrict %+v\ninput %s", fast, strict, payload)
	}
	// What Parse uses: accepted exactly when the fast pass accepts.
	if _, err := decodePayload[T](payload); (err == nil) != (fastErr == nil) {
		t.Fatalf("decodePayload = %v, fast pass = %v", err, fastErr)
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
				t.Errorf("fast accepts %v, telling accepts %v; want %v and %v", fast, slow, tt.wantFast, tt.wantSlow)
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
