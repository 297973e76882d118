package storetest

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

// The suite is only as strict as its comparison: it must ignore the zone
// and nil-versus-empty, and catch everything else.
func TestDifference(t *testing.T) {
	utc := t0.UTC()
	cases := []struct {
		name      string
		got, want any
		wantEqual bool
	}{
		{"ok/same instant in another zone", &model.Sector{ID: "s", CreateTime: utc}, &model.Sector{ID: "s", CreateTime: t0}, true},
		{"ok/nil and empty list", &model.Principal{ID: "p"}, &model.Principal{ID: "p", SectorIDs: []string{}}, true},
		{"ok/zero times", &model.Sector{ID: "s"}, &model.Sector{ID: "s", UpdateTime: time.Time{}}, true},
		{"error/one nanosecond", &model.Sector{CreateTime: utc.Add(1)}, &model.Sector{CreateTime: t0}, false},
		{"error/zero versus set time", &model.Sector{}, &model.Sector{CreateTime: t0}, false},
		{"error/nested field", profile("s", "p", 1), with(profile("s", "p", 1), func(p *model.ProfileVersion) {
			p.Competencies[1].Levels[0].Name.EN = "changed"
		}), false},
		{"error/event order", accreditationWith(event(model.AccreditationSuspended, 1), event(model.AccreditationActive, 2)),
			accreditationWith(event(model.AccreditationActive, 2), event(model.AccreditationSuspended, 1)), false},
		{"error/hash byte", token("p", "t"), with(token("p", "t"), func(tok *model.Token) { tok.SecretHash[31] ^= 1 }), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if d := difference(tc.got, tc.want); (d == "") != tc.wantEqual {
				t.Errorf("difference = %q, want equal: %t", d, tc.wantEqual)
			}
		})
	}
}

func accreditationWith(evs ...model.AccreditationEvent) *model.Accreditation {
	a := accreditation("i", "a", "s", "p")
	a.Events = evs
	return a
}

// A time with a monotonic clock reading equals the same time without one:
// backends cannot store the reading.
func TestDifferenceIgnoresMonotonic(t *testing.T) {
	now := time.Now()
	if d := difference(&model.Sector{CreateTime: now}, &model.Sector{CreateTime: now.Round(0)}); d != "" {
		t.Error(d)
	}
}
