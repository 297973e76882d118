package credential

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// The URL scheme. Every public identifier Skillpass puts into a credential
// lives under one configured base URL (https, no trailing slash):
//
//	<base>/issuers/<issuer>
//	<base>/issuers/<issuer>/status/<purpose>/<list>
//	<base>/sectors/<sector>
//	<base>/sectors/<sector>/profiles/<profile>/versions/<version>
//
// Ids follow the model's id syntax, which needs no escaping, so a URL has
// exactly one spelling and the inverses below can compare strings instead
// of trusting a URL parser's idea of equivalence.

// maxBaseURLLength bounds the base URL, which is copied into every
// credential and status list several times.
const maxBaseURLLength = 200

// CheckBaseURL checks a configured public base URL: an absolute https URL
// with a host, optionally a path, no trailing slash, no user info, query or
// fragment. field names the configuration field in the error.
func CheckBaseURL(field, base string) error {
	u, err := url.Parse(base)
	switch {
	case base == "":
		return model.Invalid(field, "is required")
	case len(base) > maxBaseURLLength:
		return model.Invalid(field, "is %d bytes long, the maximum is %d", len(base), maxBaseURLLength)
	case err != nil || u.Scheme != "https" || u.Host == "":
		return model.Invalid(field, "must be an absolute https URL, got %q", clip(base))
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(base, "?#@ "):
		return model.Invalid(field, "must not carry user info, query or fragment, got %q", clip(base))
	case strings.HasSuffix(base, "/"):
		return model.Invalid(field, "must not end in a slash, got %q", clip(base))
	case u.String() != base || u.RawPath != "":
		// An escaped or non-canonical spelling would make the string
		// comparisons of the Parse* functions disagree with URL equality.
		return model.Invalid(field, "must be in canonical form without escapes, got %q", clip(base))
	}
	return nil
}

// IssuerURL is an issuer's id in credentials: base + "/issuers/" + id.
func IssuerURL(base, issuerID string) string { return base + "/issuers/" + issuerID }

// SectorURL is a sector's id in credentials (the achievement creator).
func SectorURL(base, sectorID string) string { return base + "/sectors/" + sectorID }

// ProfileURL is the id of one version of a competency profile.
func ProfileURL(base, sectorID, profileID string, version int32) string {
	return SectorURL(base, sectorID) + "/profiles/" + profileID + "/versions/" + strconv.FormatInt(int64(version), 10)
}

// StatusListURL is the URL of an issuer's status list credential for
// purpose with number list.
func StatusListURL(base, issuerID string, purpose statuslist.Purpose, list int32) string {
	return IssuerURL(base, issuerID) + "/status/" + string(purpose) + "/" + strconv.FormatInt(int64(list), 10)
}

// ParseIssuerURL returns the issuer id of an IssuerURL under base. Anything
// else (another origin, extra segments, query, fragment, a malformed id) is
// an ErrNotCredential error.
func ParseIssuerURL(base, u string) (string, error) {
	segs, err := splitUnder(base, u, "issuers", 1)
	if err != nil {
		return "", err
	}
	return segs[0], nil
}

// ParseSectorURL returns the sector id of a SectorURL under base.
func ParseSectorURL(base, u string) (string, error) {
	segs, err := splitUnder(base, u, "sectors", 1)
	if err != nil {
		return "", err
	}
	return segs[0], nil
}

// ParseProfileURL returns the sector, profile and version of a ProfileURL
// under base.
func ParseProfileURL(base, u string) (sectorID, profileID string, version int32, err error) {
	segs, err := splitUnder(base, u, "sectors", 5)
	if err != nil {
		return "", "", 0, err
	}
	if segs[1] != "profiles" || segs[3] != "versions" {
		return "", "", 0, urlErr(u, "is not a profile version URL")
	}
	if !model.ValidID(segs[2]) {
		return "", "", 0, urlErr(u, "profile id %q is not a valid id", clip(segs[2]))
	}
	v, ok := parseNumber(segs[4], 1)
	if !ok {
		return "", "", 0, urlErr(u, "version %q is not a positive decimal number", clip(segs[4]))
	}
	return segs[0], segs[2], v, nil
}

// ParseStatusListURL returns the issuer, purpose and list number of a
// StatusListURL under base.
func ParseStatusListURL(base, u string) (issuerID string, purpose statuslist.Purpose, list int32, err error) {
	segs, err := splitUnder(base, u, "issuers", 4)
	if err != nil {
		return "", "", 0, err
	}
	purpose = statuslist.Purpose(segs[2])
	if segs[1] != "status" || !purpose.Valid() {
		return "", "", 0, urlErr(u, "is not a revocation or suspension status list URL")
	}
	n, ok := parseNumber(segs[3], 0)
	if !ok {
		return "", "", 0, urlErr(u, "list number %q is not a non-negative decimal number", clip(segs[3]))
	}
	return segs[0], purpose, n, nil
}

// maxURLSegments is the most path segments a Skillpass URL has after its
// collection (a profile version URL's five). splitUnder returns them in an
// array, which stays off the heap.
const maxURLSegments = 5

// splitUnder checks that u is base + "/" + collection + "/" + n segments
// and returns the segments, the first of which must be a valid id. The
// comparison is on strings: ids never need escaping, so any other spelling
// (escapes, dot segments, a query or fragment) is refused rather than
// interpreted.
func splitUnder(base, u, collection string, n int) (segs [maxURLSegments]string, err error) {
	// The prefix is matched piece by piece rather than concatenated: this
	// runs several times per verification.
	rest, ok := strings.CutPrefix(u, base)
	if ok {
		rest, ok = strings.CutPrefix(rest, "/")
	}
	if ok {
		rest, ok = strings.CutPrefix(rest, collection)
	}
	if ok {
		rest, ok = strings.CutPrefix(rest, "/")
	}
	if base == "" || !ok {
		return segs, urlErr(u, "is not under %s/%s/", base, collection)
	}
	if got := strings.Count(rest, "/") + 1; got != n || n > len(segs) {
		return segs, urlErr(u, "has %d path segments after %s/%s/, want %d", got, base, collection, n)
	}
	for i := range n - 1 {
		segs[i], rest, _ = strings.Cut(rest, "/")
	}
	segs[n-1] = rest
	if !model.ValidID(segs[0]) {
		return segs, urlErr(u, "id %q is not a valid id", clip(segs[0]))
	}
	return segs, nil
}

// parseNumber parses a canonical decimal int32 (no sign, no leading zeros)
// of at least minimum.
func parseNumber(s string, minimum int64) (int32, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil || v < minimum {
		return 0, false
	}
	return int32(v), true
}

func urlErr(u, format string, args ...any) error {
	return fmt.Errorf("%w: URL %q %s", ErrNotCredential, clip(u), fmt.Sprintf(format, args...))
}

// clip shortens hostile input before it is echoed in an error message.
func clip(s string) string { return clipTo(s, 80) }

// clipTo shortens s to at most max bytes and "...", on a UTF-8 boundary.
func clipTo(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
