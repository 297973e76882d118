package keys

import (
	"errors"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

// errInvalid in a test table means "a *model.ValidationError naming field".
var errInvalid = errors.New("validation error")

// checkErr fails unless err matches want: nil, errInvalid (then field must
// be among the violations) or a sentinel matched with errors.Is.
func checkErr(t *testing.T, err, want error, field string) {
	t.Helper()
	switch {
	case want == nil:
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
	case want == errInvalid:
		var ve *model.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("error = %v; want a validation error on %q", err, field)
		}
		for _, v := range ve.Violations {
			if v.Field == field {
				return
			}
		}
		t.Fatalf("error = %v; want a violation of field %q", err, field)
	default:
		if !errors.Is(err, want) {
			t.Fatalf("error = %v; want %v", err, want)
		}
	}
}

func testKEK(t testing.TB) *KEK {
	t.Helper()
	k, err := GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testKey(t testing.TB, alg Algorithm, kek *KEK, issuerID string, now time.Time) Key {
	t.Helper()
	k, err := NewKey(alg, kek, issuerID, now)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// t0 is the fixed clock of the lifecycle tests.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
