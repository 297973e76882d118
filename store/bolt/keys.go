package bolt

// Keys. Composite keys join their parts with a NUL byte, which is why no id
// may contain one: "a\x00b"+"c" and "a"+"b\x00c" would otherwise be the same
// key and one record could be read or overwritten through another's id.
// Such ids are refused with a *model.ValidationError naming the field, on
// reads as well as writes.

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"

	"github.com/skillpass-nl/skillpass/model"
)

const sep = 0x00

// idProblem says what is wrong with an id that becomes (part of) a key, or
// returns "" if nothing is.
func idProblem(id string) string {
	switch {
	case id == "":
		return "must not be empty"
	case strings.IndexByte(id, sep) >= 0:
		return "must not contain a NUL byte"
	}
	return ""
}

// checkIDs validates field/id pairs, reporting every bad one at once.
func checkIDs(fieldIDs ...string) error {
	pairs := make([]string, 0, len(fieldIDs))
	for i := 0; i+1 < len(fieldIDs); i += 2 {
		pairs = append(pairs, fieldIDs[i], idProblem(fieldIDs[i+1]))
	}
	return fieldProblems(pairs...)
}

// fieldProblems turns field/problem pairs into one validation error listing
// every non-empty problem, or nil if there is none.
func fieldProblems(fieldProblem ...string) error {
	var v model.Violations
	for i := 0; i+1 < len(fieldProblem); i += 2 {
		if p := fieldProblem[i+1]; p != "" {
			v.Add(fieldProblem[i], "%s", p)
		}
	}
	return v.Err()
}

// joinKey joins already validated parts with the separator.
func joinKey(parts ...string) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			k = append(k, sep)
		}
		k = append(k, p...)
	}
	return k
}

// prefixKey is joinKey plus a trailing separator: the prefix of every key
// that continues with more parts, so "p" does not also match "p2".
func prefixKey(parts ...string) []byte { return append(joinKey(parts...), sep) }

// profilePrefix is the common prefix of one profile's versions, or of the
// whole sector's profiles when profileID is "".
func profilePrefix(sectorID, profileID string) []byte {
	if profileID == "" {
		return prefixKey(sectorID)
	}
	return prefixKey(sectorID, profileID)
}

// profileKey ends in the version as 4 bytes big-endian so a cursor walks
// versions numerically (2 before 10). Versions are positive, so the unsigned
// byte order matches the numeric order.
func profileKey(sectorID, profileID string, version int32) []byte {
	return binary.BigEndian.AppendUint32(profilePrefix(sectorID, profileID), uint32(version))
}

func checkVersion(field string, version int32) error {
	if version < 1 {
		return model.Invalid(field, "must be at least 1, got %d", version)
	}
	return nil
}

// Cursors are the base64url form of the last key returned: opaque to
// callers, and a page continues after that key even if records were added
// in between.
func encodeCursor(lastKey []byte) string { return base64.RawURLEncoding.EncodeToString(lastKey) }

// decodeCursor checks that the cursor names a key of this very list (it has
// the list's prefix), so a cursor from another list or a forged one cannot
// make a page wander outside the caller's scope. The cursor is what the API
// calls page_token, hence the field name in the error.
func decodeCursor(cursor string, prefix []byte) ([]byte, error) {
	k, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(k) <= len(prefix) || !bytes.HasPrefix(k, prefix) {
		return nil, model.Invalid("page_token", "is not a token returned by this list")
	}
	return k, nil
}
