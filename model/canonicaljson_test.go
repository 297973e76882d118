package model

import (
	"strings"
	"testing"
)

func TestCanonicalJSON(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{
			// RFC 8785 section 3.2.2: the "string" and "literals" members
			// of the main example (numbers are floats, which we refuse).
			name: "ok/rfc8785 string escaping and literals",
			in: map[string]any{
				"string":   "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"/",
				"literals": []any{nil, true, false},
			},
			want: `{"literals":[null,true,false],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
		},
		{
			// RFC 8785 section 3.2.3: property sorting by UTF-16 code
			// units; the emoji (a surrogate pair D83D DE00) sorts before
			// U+FB33 although its code point is larger.
			name: "ok/rfc8785 property sorting",
			in: map[string]any{
				"\u20ac":     "Euro Sign",
				"\r":         "Carriage Return",
				"\ufb33":     "Hebrew Letter Dalet With Dagesh",
				"1":          "One",
				"\U0001F600": "Emoji: Grinning Face",
				"\u0080":     "Control",
				"\u00f6":     "Latin Small Letter O With Diaeresis",
			},
			want: "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\"," +
				"\"\u20ac\":\"Euro Sign\",\"\U0001F600\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
		},
		{
			name: "ok/control characters use short forms or lower-case hex",
			in:   "\b\t\n\f\r\x00\x1f\x7f<>&\u2028",
			want: "\"\\b\\t\\n\\f\\r\\u0000\\u001f\x7f<>&\u2028\"",
		},
		{
			name: "ok/integers and nesting",
			in:   map[string]any{"b": []any{int32(-7), 0, int64(9007199254740991)}, "a": map[string]any{}, "c": []any{}},
			want: `{"a":{},"b":[-7,0,9007199254740991],"c":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalJSON(tt.in)
			if err != nil {
				t.Fatalf("CanonicalJSON: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("CanonicalJSON:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCanonicalJSONErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		wantErr string
	}{
		{"error/float", map[string]any{"x": 1.5}, "unsupported type float64"},
		{"error/invalid utf-8 value", []any{"ok", "\xff"}, "[1]: canonical JSON: string is not valid UTF-8"},
		{"error/invalid utf-8 key", map[string]any{"\xfe": 1}, "not valid UTF-8"},
		{"error/integer beyond I-JSON", int64(1) << 53, "outside the I-JSON range"},
		{"error/struct", struct{}{}, "unsupported type struct {}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CanonicalJSON(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("CanonicalJSON error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
