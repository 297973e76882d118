package plainurl

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/skillpass-nl/skillpass/internal/mutation"
)

// netURLAccepts is the rule the callers keep for URLs that are not plain:
// net/url reads s as an absolute https URL with a host and no user info,
// and s has no white space. fragment says whether a fragment may follow.
func netURLAccepts(s string, fragment bool) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil &&
		(fragment || u.Fragment == "") && !strings.ContainsFunc(s, unicode.IsSpace)
}

func TestPlainURLs(t *testing.T) {
	cases := []struct {
		name, url       string
		https, withFrag bool
	}{
		{"ok/host only", "https://skillpass.example", true, true},
		{"ok/root path", "https://skillpass.example/", true, true},
		{"ok/port and path", "https://skillpass.example:8443/issuers/roc-midden/status/revocation/0", true, true},
		{"ok/unreserved path", "https://evidence.example/Portfolio_2026/item~1.pdf", true, true},
		{"ok/status entry id", "https://skillpass.example/issuers/roc/status/revocation/0#93211", false, true},
		{"not plain/http", "http://skillpass.example/", false, false},
		{"not plain/upper-case host", "https://Skillpass.example/", false, false},
		{"not plain/user info", "https://user@skillpass.example/", false, false},
		{"not plain/query", "https://skillpass.example/?a=1", false, false},
		{"not plain/empty port", "https://skillpass.example:/", false, false},
		{"not plain/empty fragment", "https://skillpass.example/#", false, false},
		{"not plain/escape", "https://skillpass.example/a%20b", false, false},
		{"not plain/space", "https://skillpass.example/a b", false, false},
		{"not plain/empty host", "https:///path", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := HTTPS(tc.url); got != tc.https {
				t.Errorf("HTTPS(%q) = %v, want %v", tc.url, got, tc.https)
			}
			if got := HTTPSWithFragment(tc.url); got != tc.withFrag {
				t.Errorf("HTTPSWithFragment(%q) = %v, want %v", tc.url, got, tc.withFrag)
			}
		})
	}
}

// TestAcceptsOnlyWhatNetURLAccepts mutates plain URLs at random: whatever
// the fast checks accept, net/url accepts too.
func TestAcceptsOnlyWhatNetURLAccepts(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	const chars = "https:/aZ09.-_~@?#%[]: \t\n\x00é"
	seeds := []string{"https://a.example/x/y", "https://a:1/", "https://h", "http://a/b", "https://a/s/0#12"}
	for range 300000 {
		s := mutation.Edit(r, seeds[r.IntN(len(seeds))], chars, 4)
		if HTTPS(s) && !netURLAccepts(s, false) {
			t.Fatalf("HTTPS(%q) = true, but net/url refuses it", s)
		}
		if HTTPSWithFragment(s) && !netURLAccepts(s, true) {
			t.Fatalf("HTTPSWithFragment(%q) = true, but net/url refuses it", s)
		}
	}
}
