package issuer

import (
	"regexp"
	"testing"
	"time"
)

var uuidV7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestNewUUID: version 7 ids in canonical form whose order follows
// issuance time (the store relies on it to append instead of scattering)
// and which stay distinct within one millisecond.
func TestNewUUID(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name        string
		first, then time.Time
	}{
		{name: "ok/later millisecond sorts after", first: t0, then: t0.Add(time.Millisecond)},
		{name: "ok/later year sorts after", first: t0, then: t0.AddDate(1, 0, 0)},
		{name: "ok/same millisecond differs", first: t0, then: t0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := newUUID(tc.first)
			if err != nil {
				t.Fatal(err)
			}
			b, err := newUUID(tc.then)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{a, b} {
				if !uuidV7.MatchString(id) {
					t.Errorf("%q is not a canonical version 7 UUID", id)
				}
			}
			if a == b {
				t.Fatalf("two ids are both %q", a)
			}
			if tc.then.After(tc.first) && b <= a {
				t.Errorf("id %q of a later time sorts before %q", b, a)
			}
			if got := a[:8] + a[9:13]; got != hex48(tc.first) {
				t.Errorf("time prefix %s, want %s", got, hex48(tc.first))
			}
		})
	}
}

// hex48 is the expected 48-bit millisecond prefix.
func hex48(t time.Time) string {
	const digits = "0123456789abcdef"
	ms := uint64(t.UnixMilli())
	out := make([]byte, 12)
	for i := range out {
		out[i] = digits[ms>>(44-4*i)&0xf]
	}
	return string(out)
}
