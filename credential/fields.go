package credential

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/internal/plainurl"
	"github.com/skillpass-nl/skillpass/model"
)

// Field rules shared by New (building) and Parse (checking): what the
// issuer may put into a credential is exactly what a verifier accepts.

// Credential type names.
const (
	TypeVerifiableCredential = "VerifiableCredential"
	TypeOpenBadgeCredential  = "OpenBadgeCredential"
)

const (
	uuidPrefix       = "urn:uuid:"
	maxHolderIDBytes = 512
	minRSABits       = 2048
	maxURLLength     = 2048
)

var (
	uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	// A DID per W3C DID Core syntax (method name, method-specific id of
	// idchars, percent escapes and colons), without path, query or
	// fragment: a holder is a subject, not a resource within one.
	didPattern = regexp.MustCompile(`^did:[a-z0-9]+:[A-Za-z0-9._%:-]*[A-Za-z0-9._%-]$`)
	// A URN per RFC 8141 (NID and NSS), without r-, q- or f-components and
	// without '@', so an e-mail address cannot pass for a pseudonym.
	urnPattern = regexp.MustCompile(`^urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]:[A-Za-z0-9()+,\-.:=;$_!*'%/]+$`)
)

// isLowerUUID reports whether s is a UUID in lower-case hex, exactly as
// uuidPattern matches it, without a regular expression: it runs on every
// credential read.
func isLowerUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isDigit(c) && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

// isDID reports whether s matches didPattern, without a regular
// expression: holder ids are checked on every credential read.
func isDID(s string) bool {
	rest, ok := strings.CutPrefix(s, "did:")
	method, id, found := strings.Cut(rest, ":")
	if !ok || !found || method == "" || id == "" || id[len(id)-1] == ':' {
		return false
	}
	for i := 0; i < len(method); i++ {
		if c := method[i]; !isDigit(c) && (c < 'a' || c > 'z') {
			return false
		}
	}
	for i := 0; i < len(id); i++ {
		if !didIDChars[id[i]] {
			return false
		}
	}
	return true
}

// isURN reports whether s matches urnPattern, without a regular
// expression (holder ids are checked on every credential read). The NID
// cannot hold ':', so it ends at the first one, and the NSS is the rest.
func isURN(s string) bool {
	rest, ok := strings.CutPrefix(s, "urn:")
	nid, nss, found := strings.Cut(rest, ":")
	if !ok || !found || len(nid) < 2 || len(nid) > 32 || nss == "" ||
		!isAlnum(nid[0]) || !isAlnum(nid[len(nid)-1]) {
		return false
	}
	for i := 1; i < len(nid)-1; i++ {
		if !isAlnum(nid[i]) && nid[i] != '-' {
			return false
		}
	}
	for i := 0; i < len(nss); i++ {
		if !urnNSSChars[nss[i]] {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z') }

// urnNSSChars are the characters of a URN's NSS in urnPattern.
var urnNSSChars = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789()+,-.:=;$_!*'%/") {
		t[c] = true
	}
	return t
}()

// didIDChars are the characters of a DID's method-specific id in
// didPattern: idchar, '%' of a percent escape, and ':'.
var didIDChars = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%:-") {
		t[c] = true
	}
	return t
}()

// CheckHolderID checks a pseudonymous holder id: a did: or urn: URI of at
// most 512 bytes that contains no '@'. The error says what is wrong, for a
// caller to attach to its field.
func CheckHolderID(id string) error {
	switch {
	case id == "":
		return errors.New("is required")
	case len(id) > maxHolderIDBytes:
		return fmt.Errorf("is %d bytes long, the maximum is %d", len(id), maxHolderIDBytes)
	case strings.Contains(id, "@"):
		// Holder ids end up in every verification; an e-mail address
		// would make the credential personal data in plain sight.
		return errors.New("must be a pseudonymous id, not an e-mail address or other personal identifier (contains '@')")
	case strings.HasPrefix(id, "did:"):
		if !isDID(id) {
			return fmt.Errorf("is not a valid DID (did:<method>:<id>, no path, query or fragment), got %q", clip(id))
		}
	case strings.HasPrefix(id, "urn:"):
		if !isURN(id) {
			return fmt.Errorf("is not a valid URN (urn:<nid>:<nss>, no components), got %q", clip(id))
		}
	default:
		return fmt.Errorf("must be a did: or urn: URI, got %q", clip(id))
	}
	return nil
}

// checkHolderKey accepts a public EC (P-256, P-384, P-521), Ed25519 or
// RSA (at least 2048 bits) key: the key types wallets prove possession
// with. A private key is refused outright, so none can leak into a
// credential.
func checkHolderKey(k *jose.JSONWebKey) error {
	if k == nil || k.Key == nil {
		return errors.New("is empty")
	}
	if !k.IsPublic() {
		return errors.New("must be a public key; a private key never goes into a credential")
	}
	if !k.Valid() {
		return errors.New("is not a valid JWK")
	}
	switch pub := k.Key.(type) {
	case *ecdsa.PublicKey, ed25519.PublicKey:
	case *rsa.PublicKey:
		if pub.N.BitLen() < minRSABits {
			return fmt.Errorf("RSA key has %d bits, the minimum is %d", pub.N.BitLen(), minRSABits)
		}
	default:
		return fmt.Errorf("key type %T is not supported; use EC, Ed25519 or RSA", k.Key)
	}
	return nil
}

// checkHTTPSURL requires an absolute https URL with a host and no user
// info: evidence, issuer and profile URLs are fetched by whoever the holder
// shows the credential to.
func checkHTTPSURL(s string) error {
	if s == "" {
		return errors.New("is required")
	}
	if len(s) > maxURLLength {
		return fmt.Errorf("is %d bytes long, the maximum is %d", len(s), maxURLLength)
	}
	if !plainurl.HTTPS(s) && !isHTTPSURL(s) {
		return fmt.Errorf("must be an absolute https URL without user info, got %q", clip(s))
	}
	return nil
}

// isHTTPSURL is checkHTTPSURL's rule: net/url reads s as an https URL with
// a host and no user info, and s has no white space.
func isHTTPSURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil && !strings.ContainsFunc(s, unicode.IsSpace)
}

// checkName requires a single-line name of at most model.MaxNameLength
// characters.
func checkName(s string) error {
	if s == "" {
		return errors.New("is required")
	}
	return checkText(s, model.MaxNameLength)
}

// checkText allows optional single-line text of at most max characters.
func checkText(s string, max int) error {
	switch {
	case !utf8.ValidString(s):
		return errors.New("is not valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		return fmt.Errorf("is longer than %d characters", max)
	case strings.ContainsFunc(s, unicode.IsControl):
		return errors.New("must not contain control characters")
	}
	return nil
}
