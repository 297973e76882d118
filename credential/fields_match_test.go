package credential

import (
	"math/rand/v2"
	"testing"
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
		s := mutateBytesOf(r, seeds[r.IntN(len(seeds))], chars, 3)
		if got, want := isDID(s), didPattern.MatchString(s); got != want {
			t.Fatalf("isDID(%q) = %v, didPattern = %v", s, got, want)
		}
	}
}

// TestPlainHTTPSURLImpliesHTTPSURL: the allocation-free check accepts only
// URLs that net/url's reading (isHTTPSURL) accepts too, and it accepts the
// URLs Skillpass itself writes into credentials.
func TestPlainHTTPSURLImpliesHTTPSURL(t *testing.T) {
	for _, s := range []string{
		"https://skillpass.example",
		"https://skillpass.example/",
		"https://skillpass.example:8443/issuers/roc-midden/status/revocation/0",
		"https://skillpass.example/sectors/installatie/profiles/monteur-warmtepompen/versions/3",
		"https://evidence.example/Portfolio_2026/item~1.pdf",
	} {
		if !isPlainHTTPSURL(s) || !isHTTPSURL(s) {
			t.Errorf("%q: plain %v, net/url %v; want both true", s, isPlainHTTPSURL(s), isHTTPSURL(s))
		}
	}
	r := rand.New(rand.NewPCG(11, 11))
	const chars = "https:/aZ09.-_~@?#%[]: \t\n\x00é"
	seeds := []string{"https://a.example/x/y", "https://a:1/", "https://h", "http://a/b"}
	for range 200000 {
		if s := mutateBytesOf(r, seeds[r.IntN(len(seeds))], chars, 4); isPlainHTTPSURL(s) && !isHTTPSURL(s) {
			t.Fatalf("isPlainHTTPSURL(%q) = true, but net/url refuses it", s)
		}
	}
}

// mutateBytesOf applies fewer than n random edits to seed, each replacing,
// inserting or deleting one byte drawn from chars.
func mutateBytesOf(r *rand.Rand, seed, chars string, n int) string {
	b := []byte(seed)
	for range r.IntN(n) {
		switch i := r.IntN(len(b) + 1); r.IntN(3) {
		case 0:
			if i < len(b) {
				b[i] = chars[r.IntN(len(chars))]
			}
		case 1:
			b = append(b[:i], append([]byte{chars[r.IntN(len(chars))]}, b[i:]...)...)
		default:
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		}
	}
	return string(b)
}
