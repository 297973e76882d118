package model

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestValidIDMatchesPattern holds the hand-written ValidID to idPattern,
// the documented shape of an id: on named edge cases, then on random
// mutations of valid ids (length edges, every character class).
func TestValidIDMatchesPattern(t *testing.T) {
	cases := []struct {
		name, id string
		want     bool
	}{
		{"ok/two characters", "ab", true},
		{"ok/63 characters", "a" + strings.Repeat("b", 62), true},
		{"ok/digits and dashes", "roc-midden-2", true},
		{"ok/trailing dash", "a-", true},
		{"error/empty", "", false},
		{"error/one character", "a", false},
		{"error/64 characters", "a" + strings.Repeat("b", 63), false},
		{"error/leading digit", "1ab", false},
		{"error/leading dash", "-ab", false},
		{"error/upper case", "aB", false},
		{"error/underscore", "a_b", false},
		{"error/slash", "a/b", false},
		{"error/newline at the end", "ab\n", false},
		{"error/non-ASCII", "aé", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, pat := ValidID(tc.id), idPattern.MatchString(tc.id); got != tc.want || pat != tc.want {
				t.Fatalf("ValidID(%q) = %v, idPattern = %v, want %v", tc.id, got, pat, tc.want)
			}
		})
	}
	r := rand.New(rand.NewPCG(7, 7))
	const chars = "az09-_A/.é\x00"
	for range 100000 {
		b := []byte("a" + strings.Repeat("b", r.IntN(64)))
		for range r.IntN(3) {
			b[r.IntN(len(b))] = chars[r.IntN(len(chars))]
		}
		if r.IntN(8) == 0 {
			b = b[:r.IntN(len(b)+1)]
		}
		s := string(b)
		if got, want := ValidID(s), idPattern.MatchString(s); got != want {
			t.Fatalf("ValidID(%q) = %v, idPattern = %v", s, got, want)
		}
	}
}
