// Package plainurl recognises, without net/url's allocations, the plain
// https URLs every Skillpass credential carries several of (issuer, status
// lists, profile): verification checks them on every call. A URL it does
// not recognise is not wrong, only not plain: callers then check it with
// net/url as before. Whatever it accepts, net/url reads as an https URL
// with a host and no user info (TestAcceptsOnlyWhatNetURLAccepts).
package plainurl

import "strings"

// HTTPS reports whether s is "https://", a host of lower-case letters,
// digits, dots and dashes, an optional port of 1-5 digits, and an
// optional path of unreserved characters (RFC 3986) and slashes; nothing
// else (no query, no fragment).
func HTTPS(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		return false
	}
	authority, path, _ := strings.Cut(rest, "/")
	host, port, hasPort := strings.Cut(authority, ":")
	if host == "" || (hasPort && (port == "" || len(port) > 5)) {
		return false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !isDigit(c) && (c < 'a' || c > 'z') && c != '.' && c != '-' {
			return false
		}
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	return unreservedOr(path, '/')
}

// HTTPSWithFragment is HTTPS, optionally followed by '#' and a non-empty
// fragment of unreserved characters: the shape of a status entry's id.
func HTTPSWithFragment(s string) bool {
	u, frag, found := strings.Cut(s, "#")
	return HTTPS(u) && (!found || (frag != "" && unreservedOr(frag, 0)))
}

// unreservedOr reports whether s has only RFC 3986 unreserved characters
// (letters, digits, "-._~") and extra.
func unreservedOr(s string, extra byte) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != extra && !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'z') && c != '-' && c != '.' && c != '_' && c != '~' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
