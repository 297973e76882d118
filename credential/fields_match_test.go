package credential

import (
	"math/rand/v2"
	"testing"

	"github.com/skillpass-nl/skillpass/internal/mutation"
)

// The hand-written matchers of fields.go replace regular expressions on
// the verification hot path; these tests hold them to the expressions.

// TestIsLowerUUID: the hand-written check matches uuidPattern exactly.
func TestIsLowerUUID(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	const chars = "0123456789abcdefABCDEF-g"
	valid := "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"
	for range 100000 {
		b := []byte(valid)
		for range 1 + r.IntN(2) {
			b[r.IntN(len(b))] = chars[r.IntN(len(chars))]
		}
		s := string(b)
		if r.IntN(10) == 0 {
			s = s[:r.IntN(len(s))]
		}
		if got, want := isLowerUUID(s), uuidPattern.MatchString(s); got != want {
			t.Fatalf("isLowerUUID(%q) = %v, uuidPattern = %v", s, got, want)
		}
	}
}

// TestIsDID: the hand-written check matches didPattern exactly.
func TestIsDID(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	const chars = "did:keyZ09._%-@/#?A"
	seeds := []string{"did:key:z6Mkha", "did:web:example.com:user", "did:a:b", "did:ex:%41"}
	for range 200000 {
		s := mutation.Edit(r, seeds[r.IntN(len(seeds))], chars, 3)
		if got, want := isDID(s), didPattern.MatchString(s); got != want {
			t.Fatalf("isDID(%q) = %v, didPattern = %v", s, got, want)
		}
	}
}

// TestIsURN: the hand-written check matches urnPattern exactly.
func TestIsURN(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 13))
	const chars = "urn:aZ09-()+,.=;$_!*'%/@#?\x00é"
	seeds := []string{"urn:uuid:6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b", "urn:ab:c", "urn:example-nid-32-characters-lon:x:y",
		"urn:a-b:(x)+,y", "urn:isbn:0451450523"}
	for range 300000 {
		s := mutation.Edit(r, seeds[r.IntN(len(seeds))], chars, 4)
		if got, want := isURN(s), urnPattern.MatchString(s); got != want {
			t.Fatalf("isURN(%q) = %v, urnPattern = %v", s, got, want)
		}
	}
}
