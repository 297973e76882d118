package statuslist

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/skillpass-nl/skillpass/internal/plainurl"
)

// Type names from the specification.
const (
	TypeEntry      = "BitstringStatusListEntry"      // credentialStatus[].type
	TypeList       = "BitstringStatusList"           // the list credential's credentialSubject.type
	TypeCredential = "BitstringStatusListCredential" // in the list credential's type
)

// Purpose is a statusPurpose. Skillpass publishes one list per issuer and
// purpose and uses only the two purposes below; the spec's "refresh" and
// "message" (multi-bit statusSize) are refused rather than half-supported.
type Purpose string

const (
	PurposeRevocation Purpose = "revocation" // permanent
	PurposeSuspension Purpose = "suspension" // reversible
)

// Valid reports whether p is a purpose Skillpass supports.
func (p Purpose) Valid() bool { return p == PurposeRevocation || p == PurposeSuspension }

// maxURLLength bounds URLs in entries: they are copied into every
// credential, and an unbounded one would only be garbage or an attack.
const maxURLLength = 2048

// Entry is a BitstringStatusListEntry, one item of a credential's
// credentialStatus. StatusListIndex is a base-10 string as the spec
// requires (it allows integers of arbitrary size).
type Entry struct {
	ID                   string  `json:"id,omitempty"`
	Type                 string  `json:"type"`
	StatusPurpose        Purpose `json:"statusPurpose"`
	StatusListIndex      string  `json:"statusListIndex"`
	StatusListCredential string  `json:"statusListCredential"`
}

// NewEntry returns the entry for index in the list credential at listURL,
// valid for a list of listBits entries. It has no id: the spec makes it
// optional and it would only repeat the list URL and index.
func NewEntry(listURL string, purpose Purpose, index, listBits int) (Entry, error) {
	e := Entry{
		Type:                 TypeEntry,
		StatusPurpose:        purpose,
		StatusListIndex:      strconv.Itoa(index),
		StatusListCredential: listURL,
	}
	if err := e.Validate(listBits); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// Validate checks the entry against the data model for a list of listBits
// entries. The error is a *FieldError naming the first invalid field; an
// index outside the list wraps ErrRange, anything else ErrMalformed.
func (e Entry) Validate(listBits int) error {
	if e.Type != TypeEntry {
		return fieldErr("type", ErrMalformed, "got %q, want %q", clip(e.Type), TypeEntry)
	}
	if err := checkPurpose(e.StatusPurpose); err != nil {
		return err
	}
	if _, err := ParseIndex(e.StatusListIndex, listBits); err != nil {
		return err
	}
	if err := checkURL("statusListCredential", e.StatusListCredential, true); err != nil {
		return err
	}
	if e.ID != "" {
		if err := checkURL("id", e.ID, false); err != nil {
			return err
		}
		if e.ID == e.StatusListCredential {
			return fieldErr("id", ErrMalformed, "must not be the status list URL %q", clip(e.ID))
		}
	}
	return nil
}

// Index parses StatusListIndex for a list of listBits entries.
func (e Entry) Index(listBits int) (int, error) { return ParseIndex(e.StatusListIndex, listBits) }

// ParseIndex parses a statusListIndex: a canonical base-10 integer (digits
// only, no sign, no leading zeros, so one index has one spelling) below
// listBits.
func ParseIndex(s string, listBits int) (int, error) {
	const field = "statusListIndex"
	if s == "" {
		return 0, fieldErr(field, ErrMalformed, "is required")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fieldErr(field, ErrMalformed, "got %q, want a base-10 integer of digits only", clip(s))
		}
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fieldErr(field, ErrMalformed, "got %q, want no leading zeros", clip(s))
	}
	v, err := strconv.ParseUint(s, 10, 63) // 63 bits: fits an int; larger is out of any list's range
	if err != nil || v >= uint64(max(listBits, 0)) {
		return 0, fieldErr(field, ErrRange, "index %s is outside the list of %d entries", clip(s), listBits)
	}
	return int(v), nil
}

// Subject is the credentialSubject of a BitstringStatusListCredential. The
// spec lets statusPurpose be a list; Skillpass publishes one list per
// purpose, so it is a single string here.
type Subject struct {
	ID            string  `json:"id"`
	Type          string  `json:"type"`
	StatusPurpose Purpose `json:"statusPurpose"`
	EncodedList   string  `json:"encodedList"`
	// TTL is the spec's optional "time to live" in milliseconds before a
	// verifier should refetch; 0 means absent.
	TTL int64 `json:"ttl,omitempty"`
}

// NewSubject encodes list into the subject of the list credential whose
// subject id is id. A zero ttl leaves ttl out; otherwise it is rounded
// down to whole milliseconds and must be at least one.
func NewSubject(id string, purpose Purpose, list *Bitstring, ttl time.Duration) (Subject, error) {
	if ttl != 0 && ttl < time.Millisecond {
		return Subject{}, fieldErr("ttl", ErrMalformed, "got %v, want 0 (absent) or at least 1ms", ttl)
	}
	encoded, err := list.Encode()
	if err != nil {
		return Subject{}, &FieldError{Field: "encodedList", Err: err}
	}
	s := Subject{ID: id, Type: TypeList, StatusPurpose: purpose, EncodedList: encoded, TTL: ttl.Milliseconds()}
	if err := s.checkFields(); err != nil {
		return Subject{}, err
	}
	return s, nil
}

// Decode validates the subject and decodes its list with d. The error is a
// *FieldError; for encodedList it wraps ErrDecode, ErrLength or ErrTooLarge.
func (s Subject) Decode(d Decoder) (*Bitstring, error) {
	if err := s.checkFields(); err != nil {
		return nil, err
	}
	list, err := d.Decode(s.EncodedList)
	if err != nil {
		return nil, &FieldError{Field: "encodedList", Err: err}
	}
	return list, nil
}

// checkFields checks everything but the encoded list itself.
func (s Subject) checkFields() error {
	if err := checkURL("id", s.ID, false); err != nil {
		return err
	}
	if s.Type != TypeList {
		return fieldErr("type", ErrMalformed, "got %q, want %q", clip(s.Type), TypeList)
	}
	if err := checkPurpose(s.StatusPurpose); err != nil {
		return err
	}
	if s.EncodedList == "" {
		return fieldErr("encodedList", ErrMalformed, "is required")
	}
	if s.TTL < 0 {
		return fieldErr("ttl", ErrMalformed, "got %d, want a non-negative number of milliseconds", s.TTL)
	}
	return nil
}

func checkPurpose(p Purpose) error {
	if !p.Valid() {
		return fieldErr("statusPurpose", ErrMalformed, "got %q, want %q or %q", clip(string(p)), PurposeRevocation, PurposeSuspension)
	}
	return nil
}

// checkURL requires an absolute URL without user info or fragment. With
// fetchable set (a URL a verifier dereferences) the scheme must be https or
// http; http stays allowed for local deployments and tests.
func checkURL(field, s string, fetchable bool) error {
	if s == "" {
		return fieldErr(field, ErrMalformed, "is required")
	}
	if len(s) > maxURLLength {
		return fieldErr(field, ErrMalformed, "is %d bytes long, the maximum is %d", len(s), maxURLLength)
	}
	// The URLs Skillpass writes are plain; net/url reads the rest.
	if fetchable && plainurl.HTTPS(s) || !fetchable && plainurl.HTTPSWithFragment(s) {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return fieldErr(field, ErrMalformed, "got %q, want an absolute URL", clip(s))
	}
	switch {
	case u.Scheme == "" || u.Opaque == "" && u.Host == "":
		return fieldErr(field, ErrMalformed, "got %q, want an absolute URL", clip(s))
	case fetchable && u.Scheme != "https" && u.Scheme != "http":
		return fieldErr(field, ErrMalformed, "got scheme %q, want https", clip(u.Scheme))
	case fetchable && u.Host == "":
		return fieldErr(field, ErrMalformed, "got %q, want a URL with a host", clip(s))
	case fetchable && u.Fragment != "":
		return fieldErr(field, ErrMalformed, "got %q, want a URL without fragment", clip(s))
	case u.User != nil:
		return fieldErr(field, ErrMalformed, "must not contain user information")
	}
	return nil
}

func fieldErr(field string, sentinel *Error, format string, args ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// clip shortens hostile input before it is echoed in an error message.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
