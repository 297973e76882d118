package uuid7

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/internal/mutation"
)

// canonicalV7 is what New emits: lower-case only.
var canonicalV7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// anyCaseV7 is what TimePrefix accepts.
var anyCaseV7 = regexp.MustCompile(`^(?i:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$`)

// TestNew: canonical version 7 ids whose order follows time and which
// stay distinct within one millisecond; TimePrefix reads the time back.
func TestNew(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name        string
		first, then time.Time
	}{
		{name: "later millisecond sorts after", first: t0, then: t0.Add(time.Millisecond)},
		{name: "later year sorts after", first: t0, then: t0.AddDate(1, 0, 0)},
		{name: "same millisecond differs", first: t0, then: t0},
		{name: "the epoch", first: time.Unix(0, 0), then: time.Unix(0, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(tc.first)
			if err != nil {
				t.Fatal(err)
			}
			b, err := New(tc.then)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{a, b} {
				if !canonicalV7.MatchString(id) {
					t.Errorf("%q is not a canonical version 7 UUID", id)
				}
			}
			if a == b {
				t.Fatalf("two ids are both %q", a)
			}
			if tc.then.After(tc.first) && b <= a {
				t.Errorf("id %q of a later time sorts before %q", b, a)
			}
			got, ok := TimePrefix(a)
			if !ok || got != hex48(tc.first) {
				t.Errorf("TimePrefix(%q) = %q, %v; want %s", a, got, ok, hex48(tc.first))
			}
			if back, ok := PrefixTime(got); !ok || !back.Equal(tc.first.Truncate(time.Millisecond)) {
				t.Errorf("PrefixTime(%q) = %v, %v; want %v", got, back, ok, tc.first)
			}
		})
	}
}

// hex48 is the expected 48-bit millisecond prefix.
func hex48(t time.Time) string {
	const digits = "0123456789abcdef"
	ms := uint64(t.UnixMilli())
	out := make([]byte, 12)
	for i := range out {
		out[i] = digits[ms>>(44-4*i)&0xf]
	}
	return string(out)
}

func TestTimePrefix(t *testing.T) {
	const v7 = "019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b"
	cases := []struct {
		name, in, want string
	}{
		{name: "canonical", in: v7, want: "019ab3c45d6e"},
		{name: "upper case reads as lower case", in: strings.ToUpper(v7), want: "019ab3c45d6e"},
		{name: "variant b", in: "019ab3c4-5d6e-7f80-ba1b-2c3d4e5f6a7b", want: "019ab3c45d6e"},
		{name: "version 4", in: "019ab3c4-5d6e-4f80-9a1b-2c3d4e5f6a7b"},
		{name: "variant c (Microsoft)", in: "019ab3c4-5d6e-7f80-ca1b-2c3d4e5f6a7b"},
		{name: "variant 7 (NCS)", in: "019ab3c4-5d6e-7f80-7a1b-2c3d4e5f6a7b"},
		{name: "no hyphens", in: "019ab3c45d6e7f809a1b2c3d4e5f6a7b"},
		{name: "hyphen moved", in: "019ab3c-45d6e-7f80-9a1b-2c3d4e5f6a7b"},
		{name: "non-hex digit", in: "019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7g"},
		{name: "non-hex in the time", in: "019xb3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b"},
		{name: "braces", in: "{" + v7[:34] + "}"},
		{name: "urn form", in: "urn:uuid:" + v7},
		{name: "one short", in: v7[:35]},
		{name: "one long", in: v7 + "0"},
		{name: "empty", in: ""},
		{name: "free-form request id", in: "student-12345-run-2026-03-01-000001"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := TimePrefix(tc.in)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("TimePrefix(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
}

// TestTimePrefixMatchesPattern holds the hand-written check to the regular
// expression it stands for, on near-misses of valid ids.
func TestTimePrefixMatchesPattern(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const chars = "0123456789abcdefABCDEFgG-7{}:\x00é"
	seeds := []string{"019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b", "019AB3C4-5D6E-7F80-BA1B-2C3D4E5F6A7B", "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"}
	for range 300000 {
		s := mutation.Edit(r, seeds[r.IntN(len(seeds))], chars, 3)
		got, ok := TimePrefix(s)
		if want := anyCaseV7.MatchString(s); ok != want {
			t.Fatalf("TimePrefix(%q) ok = %v, pattern = %v", s, ok, want)
		}
		if want := strings.ToLower(s[:min(len(s), 8)] + s[min(len(s), 9):min(len(s), 13)]); ok && got != want {
			t.Fatalf("TimePrefix(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestPrefixTime(t *testing.T) {
	tests := []struct {
		name, in string
		want     time.Time
		ok       bool
	}{
		{name: "ok/epoch", in: "000000000000", want: time.UnixMilli(0), ok: true},
		{name: "ok/a 2026 time", in: hex48(time.UnixMilli(1795000000123)), want: time.UnixMilli(1795000000123), ok: true},
		{name: "ok/upper case", in: "019AB3C45D6E", want: time.UnixMilli(0x019ab3c45d6e), ok: true},
		{name: "ok/largest", in: "ffffffffffff", want: time.UnixMilli(1<<48 - 1), ok: true},
		{name: "error/short", in: "019ab3c45d6"},
		{name: "error/long", in: "019ab3c45d6e0"},
		{name: "error/not hex", in: "019ab3c45d6g"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := PrefixTime(tc.in)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Errorf("PrefixTime(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}
