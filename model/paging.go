package model

import (
	"encoding/base64"
	"strings"
)

// Page sizes of list operations.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// pageTokenSep separates the list identity from the store cursor inside a
// page token. Resource ids never contain it.
const pageTokenSep = "\x00"

// ParsePage turns a request's page size and token into a store limit and
// cursor. list names the list being paged (e.g. "sectors" or
// "profiles/<sector>/<profile>") so that a token from another list — which
// would silently page through the wrong records — is refused.
func ParsePage(list string, size int, token string) (limit int, cursor string, err error) {
	var v Violations
	switch {
	case size < 0:
		v.Add("page_size", "must not be negative, got %d", size)
	case size == 0:
		limit = DefaultPageSize
	case size > MaxPageSize:
		limit = MaxPageSize
	default:
		limit = size
	}
	if token != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(token)
		gotList, rest, found := strings.Cut(string(raw), pageTokenSep)
		switch {
		case derr != nil || !found || rest == "":
			v.Add("page_token", "is not a page token issued by this server")
		case gotList != list:
			v.Add("page_token", "belongs to another list; start again without a page_token")
		default:
			cursor = rest
		}
	}
	return limit, cursor, v.Err()
}

// NextPageToken returns the token for the page after cursor, or "" when
// the store said there is no next page.
func NextPageToken(list, cursor string) string {
	if cursor == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(list + pageTokenSep + cursor))
}
