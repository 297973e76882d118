package statuslist

// Error is a status list error with a stable, machine-readable code. Where
// the specification names the condition, Code is that name, so a verifier
// can report it verbatim (prefixed with the spec's error URL base).
type Error struct {
	Code string
	msg  string
}

func (e *Error) Error() string { return e.msg }

// Sentinel errors; the package wraps them with detail, match with errors.Is.
var (
	// ErrDecode: the encoded list is not multibase base64url of one gzip member.
	ErrDecode = &Error{Code: "MALFORMED_VALUE_ERROR", msg: "malformed encoded status list"}
	// ErrLength: the list has fewer than MinBits entries, or a size that is
	// not a whole number of bytes.
	ErrLength = &Error{Code: "STATUS_LIST_LENGTH_ERROR", msg: "status list length not allowed"}
	// ErrTooLarge: the list (or its encoding) exceeds the configured cap.
	ErrTooLarge = &Error{Code: "STATUS_LIST_TOO_LARGE", msg: "status list too large"}
	// ErrRange: an index lies outside the list.
	ErrRange = &Error{Code: "RANGE_ERROR", msg: "status list index out of range"}
	// ErrMalformed: a field of an entry or list subject breaks the data model.
	ErrMalformed = &Error{Code: "MALFORMED_VALUE_ERROR", msg: "malformed value"}
	// ErrFull: the allocator has no unused index left.
	ErrFull = &Error{Code: "STATUS_LIST_FULL", msg: "status list has no unused index left"}
	// ErrIndexInUse: an index was marked used twice. When rebuilding an
	// allocator this means two credentials share one status bit.
	ErrIndexInUse = &Error{Code: "STATUS_INDEX_IN_USE", msg: "status list index already in use"}
	// ErrIndexNotInUse: an index was released that was never allocated.
	ErrIndexNotInUse = &Error{Code: "STATUS_INDEX_NOT_IN_USE", msg: "status list index not in use"}
)

// FieldError says which JSON field of an entry or list subject is invalid.
// Err wraps one of the sentinels above.
type FieldError struct {
	Field string // JSON name as in the specification, e.g. "statusListIndex"
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

func (e *FieldError) Unwrap() error { return e.Err }
