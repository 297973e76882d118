package modeltest

import (
	"errors"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
)

// ErrValidation stands for "any *model.ValidationError" in test tables.
var ErrValidation = errors.New("any *model.ValidationError")

// CheckErr fails the test unless err matches want: nil for success,
// ErrValidation for any validation error, otherwise a sentinel matched
// with errors.Is.
func CheckErr(t testing.TB, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want == nil:
	case want == ErrValidation && !model.IsValidation(err):
		t.Fatalf("error = %v, want a validation error", err)
	case want != ErrValidation && !errors.Is(err, want):
		t.Fatalf("error = %v, want %v", err, want)
	}
}

// CheckViolation fails the test unless err is a validation error naming
// field.
func CheckViolation(t testing.TB, err error, field string) {
	t.Helper()
	var ve *model.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a validation error on %s", err, field)
	}
	for _, v := range ve.Violations {
		if v.Field == field {
			return
		}
	}
	t.Fatalf("error = %v, want a violation of %s", err, field)
}

// CheckErrField is CheckErr for tables that name the field a validation
// error must carry: with want ErrValidation, err must name field.
func CheckErrField(t testing.TB, err, want error, field string) {
	t.Helper()
	if want == ErrValidation {
		CheckViolation(t, err, field)
		return
	}
	CheckErr(t, err, want)
}
