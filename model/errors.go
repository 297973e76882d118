// Package model holds Skillpass's domain vocabulary: the registry's records,
// their validation rules, the canonical profile digest and the domain errors.
// It imports neither gRPC nor storage; every other package speaks it.
package model

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a domain error with a stable, machine-readable reason. The
// transport maps each sentinel below to a status code in one table
// (server/errors.go); callers match them with errors.Is.
type Error struct {
	Reason string
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func newErr(reason, msg string) *Error { return &Error{Reason: reason, Msg: msg} }

// Sentinel errors. Wrap them with fmt.Errorf("%w: ...") to add detail.
var (
	ErrNotFound            = newErr("NOT_FOUND", "not found")
	ErrAlreadyExists       = newErr("ALREADY_EXISTS", "already exists")
	ErrUnauthenticated     = newErr("UNAUTHENTICATED", "no valid credentials")
	ErrPermissionDenied    = newErr("PERMISSION_DENIED", "permission denied")
	ErrProfileNotDraft     = newErr("PROFILE_NOT_DRAFT", "profile version is not a draft")
	ErrProfileNotPublished = newErr("PROFILE_NOT_PUBLISHED", "profile version is not published")
	ErrInvalidTransition   = newErr("INVALID_STATE_TRANSITION", "state transition not allowed")
	ErrRequestIDReused     = newErr("REQUEST_ID_REUSED", "request_id was used before for a different request")
	ErrSectorUnknown       = newErr("SECTOR_NOT_FOUND", "sector does not exist")
	ErrProfileUnknown      = newErr("PROFILE_NOT_FOUND", "profile does not exist")
	ErrIssuerUnknown       = newErr("ISSUER_NOT_FOUND", "issuer does not exist")
	ErrPrincipalUnknown    = newErr("PRINCIPAL_NOT_FOUND", "principal does not exist")
	ErrTokenRevoked        = newErr("TOKEN_REVOKED", "token is revoked")
	ErrBackupInvalid       = newErr("BACKUP_INVALID", "backup is not a valid Skillpass database")
)

// FieldViolation names one invalid field of a request and says what is wrong.
type FieldViolation struct {
	Field       string // path in API terms, e.g. "profile_version.competencies[2].levels"
	Description string
}

// ValidationError lists every invalid field of one request.
type ValidationError struct {
	Violations []FieldViolation
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Field + ": " + v.Description
	}
	return "invalid argument: " + strings.Join(parts, "; ")
}

// Violations collects field violations while validating.
type Violations struct {
	list []FieldViolation
}

// Add records a violation of field.
func (v *Violations) Add(field, format string, args ...any) {
	v.list = append(v.list, FieldViolation{Field: field, Description: fmt.Sprintf(format, args...)})
}

// Err returns a *ValidationError if anything was recorded, else nil.
func (v *Violations) Err() error {
	if len(v.list) == 0 {
		return nil
	}
	return &ValidationError{Violations: v.list}
}

// Invalid is a shorthand for a single-field validation error.
func Invalid(field, format string, args ...any) error {
	var v Violations
	v.Add(field, format, args...)
	return v.Err()
}

// IsValidation reports whether err is a *ValidationError.
func IsValidation(err error) bool {
	var ve *ValidationError
	return errors.As(err, &ve)
}

// AsMissing turns a store's ErrNotFound for a record that a request refers
// to (what, e.g. `sector "care"`) into the sentinel that says which
// reference is missing, such as ErrSectorUnknown; other errors, and nil,
// pass unchanged.
func AsMissing(err error, sentinel *Error, what string) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%w: %s", sentinel, what)
	}
	return err
}
