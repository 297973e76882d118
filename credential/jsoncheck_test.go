package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	errTestSyntax = errors.New("syntax")
	errTestDup    = errors.New("duplicate")
)

func TestJSONRules(t *testing.T) {
	r := &jsonRules{what: "test", syntax: errTestSyntax, duplicate: errTestDup}
	deep := strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth)
	tooDeep := strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1)
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"ok/empty object", `{}`, nil},
		{"ok/all value kinds", ` {"a":[1,-0.5e+3,true,false,null,"x\"\\\/\b\f\n\r\t\u00e9"],"b":{}} `, nil},
		{"ok/same name in different objects", `{"a":{"a":1},"b":[{"a":1},{"a":2}]}`, nil},
		{"ok/deepest allowed", deep, nil},
		{"ok/many members", manyMembers(100, false), nil},
		{"error/duplicate", `{"a":1,"a":2}`, errTestDup},
		{"error/duplicate nested", `{"x":[{"a":1,"b":2,"a":3}]}`, errTestDup},
		{"error/duplicate through an escape", `{"a":1,"\u0061":2}`, errTestDup},
		{"error/duplicate in a large object", manyMembers(100, true), errTestDup},
		{"error/too deep", tooDeep, errTestSyntax},
		{"error/array too deep", `{"a":` + strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth) + `}`, errTestSyntax},
		{"error/not an object", `[1]`, errTestSyntax},
		{"error/trailing data", `{} {}`, errTestSyntax},
		{"error/trailing comma", `{"a":1,}`, errTestSyntax},
		{"error/leading zero", `{"a":01}`, errTestSyntax},
		{"error/bare minus", `{"a":-}`, errTestSyntax},
		{"error/control character in string", "{\"a\":\"x\ty\"}", errTestSyntax},
		{"error/bad escape", `{"a":"\x"}`, errTestSyntax},
		{"error/short unicode escape", `{"a":"\u12"}`, errTestSyntax},
		{"error/unterminated", `{"a":"x`, errTestSyntax},
		{"error/single quotes", `{'a':1}`, errTestSyntax},
		{"error/invalid utf-8", "{\"a\":\"\xff\"}", errTestSyntax},
		{"error/nan", `{"a":NaN}`, errTestSyntax},
		{"error/empty", ``, errTestSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.check([]byte(tt.in))
			checkErr(t, err, tt.want, "")
			if got := refCheck([]byte(tt.in)); !errors.Is(err, got) && !(err == nil && got == nil) {
				t.Errorf("reference checker says %v, scanner %v", got, err)
			}
		})
	}
}

func manyMembers(n int, dup bool) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		name := string(rune('a'+i%26)) + strings.Repeat("x", i/26)
		if dup && i == n-1 {
			name = "a"
		}
		b.WriteString(`"` + name + `":1`)
	}
	return b.String() + "}"
}

// FuzzJSONRules checks the fast scanner against a reference built on
// encoding/json's own tokenizer: both must accept and refuse the same
// inputs, for the same reason.
func FuzzJSONRules(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":null}],"c":"\u0063"}`))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Add([]byte(`{"a":1e5,"b":-0.0,"c":[true,false]}`))
	r := &jsonRules{what: "fuzz", syntax: errTestSyntax, duplicate: errTestDup}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := r.check(data)
		want := refCheck(data)
		if (err == nil) != (want == nil) || err != nil && !errors.Is(err, want) {
			t.Fatalf("scanner: %v; reference: %v; input %q", err, want, data)
		}
		if err == nil && !json.Valid(data) {
			t.Fatalf("scanner accepts invalid JSON %q", data)
		}
	})
}

// refCheck is the straightforward checker over json.Decoder tokens: one
// object, no repeated names, depth bounded, nothing after it. Invalid JSON
// and excessive depth take precedence over a repeated name.
func refCheck(data []byte) error {
	if !utf8.Valid(data) || !json.Valid(data) {
		return errTestSyntax
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return errTestSyntax
	}
	var dup error
	if err := refObject(dec, 1, &dup); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTestSyntax
	}
	return dup
}

func refObject(dec *json.Decoder, depth int, dup *error) error {
	if depth > maxJSONDepth {
		return errTestSyntax
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errTestSyntax
		}
		name := tok.(string)
		if seen[name] {
			*dup = errTestDup
		}
		seen[name] = true
		if err := refValue(dec, depth, dup); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	if err != nil {
		return errTestSyntax
	}
	return nil
}

func refValue(dec *json.Decoder, depth int, dup *error) error {
	tok, err := dec.Token()
	if err != nil {
		return errTestSyntax
	}
	switch tok {
	case json.Delim('{'):
		return refObject(dec, depth+1, dup)
	case json.Delim('['):
		if depth+1 > maxJSONDepth {
			return errTestSyntax
		}
		for dec.More() {
			if err := refValue(dec, depth+1, dup); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return errTestSyntax
		}
	}
	return nil
}
