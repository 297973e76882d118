package keys

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model/modeltest"
)

// errInvalid in a test table means "a *model.ValidationError naming field".
var errInvalid = modeltest.ErrValidation

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

// checkErr fails unless err matches want: nil, errInvalid (then field must
// be among the violations) or a sentinel matched with errors.Is.
func checkErr(t *testing.T, err, want error, field string) {
	t.Helper()
	modeltest.CheckErrField(t, err, want, field)
}
