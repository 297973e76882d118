package server

import (
	"strings"
	"testing"
)

func TestParseNames(t *testing.T) {
	tests := []struct {
		name    string
		parse   func(string) ([]string, error)
		in      string
		want    []string
		wantErr string // substring of the error; "" for success
	}{
		{"ok/sector", ids1(parseSectorName), "sectors/bouw", []string{"bouw"}, ""},
		{"ok/profile", ids2(parseProfileName), "sectors/bouw/profiles/metselaar", []string{"bouw", "metselaar"}, ""},
		{"ok/profile version", versionIDs, "sectors/bouw/profiles/metselaar/versions/12", []string{"bouw", "metselaar", "12"}, ""},
		{"ok/profile parent is a sector", ids2(parseProfileParent), "sectors/bouw", []string{"bouw", ""}, ""},
		{"ok/profile parent is a profile", ids2(parseProfileParent), "sectors/bouw/profiles/m", []string{"bouw", "m"}, ""},
		{"ok/issuer", ids1(parseIssuerName), "issuers/acme", []string{"acme"}, ""},
		{"ok/accreditation", ids2(parseAccreditationName), "issuers/acme/accreditations/a1", []string{"acme", "a1"}, ""},
		{"ok/principal", ids1(parsePrincipalName), "principals/root", []string{"root"}, ""},
		{"ok/token", ids2(parseTokenName), "principals/root/tokens/t1", []string{"root", "t1"}, ""},

		{"error/empty", ids1(parseSectorName), "", nil, `got "", want sectors/{sector}`},
		{"error/wrong collection", ids1(parseSectorName), "sektors/bouw", nil, `got "sektors/bouw", want sectors/{sector}`},
		{"error/empty id", ids1(parseIssuerName), "issuers/", nil, "want issuers/{issuer}"},
		{"error/trailing segment", ids1(parseIssuerName), "issuers/acme/x", nil, "want issuers/{issuer}"},
		{"error/version zero", versionIDs, "sectors/b/profiles/p/versions/0", nil, "{version} a positive integer"},
		{"error/version leading zero", versionIDs, "sectors/b/profiles/p/versions/01", nil, "{version} a positive integer"},
		{"error/version sign", versionIDs, "sectors/b/profiles/p/versions/+1", nil, "{version} a positive integer"},
		{"error/version overflow", versionIDs, "sectors/b/profiles/p/versions/2147483648", nil, "{version} a positive integer"},
		{"error/version not a number", versionIDs, "sectors/b/profiles/p/versions/latest", nil, "{version} a positive integer"},
		{"error/profile parent", ids2(parseProfileParent), "sectors/b/profiles", nil, "want sectors/{sector} or sectors/{sector}/profiles/{profile}"},
		{"error/token under issuer", ids2(parseTokenName), "issuers/acme/tokens/t", nil, "want principals/{principal}/tokens/{token}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func ids1(f func(string) (string, error)) func(string) ([]string, error) {
	return func(s string) ([]string, error) {
		a, err := f(s)
		return []string{a}, err
	}
}

func ids2(f func(string) (string, string, error)) func(string) ([]string, error) {
	return func(s string) ([]string, error) {
		a, b, err := f(s)
		return []string{a, b}, err
	}
}

func versionIDs(s string) ([]string, error) {
	r, err := parseProfileVersionName(s)
	return []string{r.sectorID, r.profileID, itoa(r.version)}, err
}
