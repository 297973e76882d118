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
		{"ok/most members", manyMembers(maxObjectMembers, false), nil},
		{"ok/most values", `{"a":[` + strings.Repeat("0,", maxJSONValues-3) + `0]}`, nil},
		{"ok/longest number", `{"a":-` + strings.Repeat("1", maxNumberLength-1) + `}`, nil},
		{"ok/longest fraction", `{"a":0.` + strings.Repeat("1", maxNumberLength-2) + `}`, nil},
		{"error/duplicate", `{"a":1,"a":2}`, errTestDup},
		{"error/duplicate nested", `{"x":[{"a":1,"b":2,"a":3}]}`, errTestDup},
		{"error/duplicate through an escape", `{"a":1,"\u0061":2}`, errTestDup},
		{"error/duplicate in a large object", manyMembers(maxObjectMembers, true), errTestDup},
		{"error/duplicate before a syntax error", `{"a":1,"a":2,]`, errTestDup},
		{"error/too many members", manyMembers(maxObjectMembers+1, false), errTestSyntax},
		{"error/too many values", `{"a":[` + strings.Repeat("0,", maxJSONValues-2) + `0]}`, errTestSyntax},
		{"error/too many values in objects", `{"a":[` + strings.Repeat("{},", maxJSONValues-2) + `{}]}`, errTestSyntax},
		{"error/number too long", `{"a":-` + strings.Repeat("1", maxNumberLength) + `}`, errTestSyntax},
		{"error/fraction too long", `{"a":0.` + strings.Repeat("1", maxNumberLength-1) + `}`, errTestSyntax},
		{"error/exponent too long", `{"a":1e` + strings.Repeat("1", maxNumberLength-1) + `}`, errTestSyntax},
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
	for _, s := range hostileShapes() {
		f.Add(s.payload(hostileSeedBytes))
	}
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
// object, nothing after it, within the limits of depth, members, values
// and number length, and no repeated name. Like the scanner it reports the
// first problem in reading order.
func refCheck(data []byte) error {
	if !utf8.Valid(data) {
		return errTestSyntax
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return errTestSyntax
	}
	ref := &refState{dec: dec, values: 1}
	if err := ref.object(1); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTestSyntax
	}
	return nil
}

type refState struct {
	dec    *json.Decoder
	values int
}

func (r *refState) object(depth int) error {
	if depth > maxJSONDepth {
		return errTestSyntax
	}
	seen := map[string]bool{}
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return errTestSyntax
		}
		name := tok.(string)
		switch {
		case seen[name]:
			return errTestDup
		case len(seen) == maxObjectMembers:
			return errTestSyntax
		}
		seen[name] = true
		if err := r.value(depth); err != nil {
			return err
		}
	}
	if _, err := r.dec.Token(); err != nil {
		return errTestSyntax
	}
	return nil
}

func (r *refState) value(depth int) error {
	tok, err := r.dec.Token()
	if r.values++; err != nil || r.values > maxJSONValues {
		return errTestSyntax
	}
	switch tok := tok.(type) {
	case json.Number:
		if len(tok) > maxNumberLength {
			return errTestSyntax
		}
	case json.Delim:
		if tok == '{' {
			return r.object(depth + 1)
		}
		if depth+1 > maxJSONDepth {
			return errTestSyntax
		}
		for r.dec.More() {
			if err := r.value(depth + 1); err != nil {
				return err
			}
		}
		if _, err := r.dec.Token(); err != nil {
			return errTestSyntax
		}
	}
	return nil
}
