package credential

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCheckPartMatchesStrictBase64: checkPart accepts exactly the
// non-empty strings that strict unpadded base64url decodes, without the
// line breaks Go's decoder skips.
func TestCheckPartMatchesStrictBase64(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const chars = base64URLAlphabet + "=+/\n."
	for range 200000 {
		b := make([]byte, r.IntN(9))
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		p := string(b)
		_, decErr := base64.RawURLEncoding.Strict().DecodeString(p)
		want := p != "" && decErr == nil && !strings.ContainsAny(p, "\r\n")
		if got := checkPart(p) == nil; got != want {
			t.Fatalf("checkPart(%q) accepts = %v, strict base64url = %v", p, got, want)
		}
	}
}
