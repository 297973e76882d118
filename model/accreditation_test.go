package model_test

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

var (
	day0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hour = time.Hour
)

// historyAccreditation is valid for versions 2..3 from day0 for 30 days:
// suspended on day 10, reinstated on day 12, withdrawn on day 20.
func historyAccreditation(id string) *model.Accreditation {
	d := func(n int) time.Time { return day0.AddDate(0, 0, n) }
	return &model.Accreditation{
		IssuerID: "opleider", ID: id, SectorID: "installatie", ProfileID: "monteur",
		MinVersion: 2, MaxVersion: 3, ValidFrom: day0, ValidUntil: d(30),
		Events: []model.AccreditationEvent{
			{State: model.AccreditationActive, EffectiveTime: day0},
			{State: model.AccreditationSuspended, EffectiveTime: d(10)},
			{State: model.AccreditationActive, EffectiveTime: d(12)},
			{State: model.AccreditationWithdrawn, EffectiveTime: d(20)},
		},
	}
}

func TestAccreditationStateAt(t *testing.T) {
	a := historyAccreditation("a")
	d := func(n int) time.Time { return day0.AddDate(0, 0, n) }
	tests := []struct {
		name       string
		at         time.Time
		wantState  model.AccreditationState
		wantWindow bool
	}{
		{"ok/before valid_from", day0.Add(-hour), "", false},
		{"ok/at valid_from", day0, model.AccreditationActive, true},
		{"ok/just before suspension", d(10).Add(-time.Nanosecond), model.AccreditationActive, true},
		{"ok/at suspension", d(10), model.AccreditationSuspended, true},
		{"ok/reinstated", d(13), model.AccreditationActive, true},
		{"ok/withdrawn", d(25), model.AccreditationWithdrawn, true},
		{"ok/at valid_until (exclusive)", d(30), model.AccreditationWithdrawn, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state, inWindow := a.StateAt(tt.at)
			if state != tt.wantState || inWindow != tt.wantWindow {
				t.Errorf("StateAt(%s) = %q, %v, want %q, %v", tt.at, state, inWindow, tt.wantState, tt.wantWindow)
			}
		})
	}
}

func TestAccreditationCurrentAndLatest(t *testing.T) {
	a := historyAccreditation("a")
	tests := []struct {
		name string
		now  time.Time
		want model.AccreditationState
		at   time.Time
	}{
		{"ok/before the first event shows the scheduled one", day0.Add(-hour), model.AccreditationActive, day0},
		{"ok/during suspension", day0.AddDate(0, 0, 11), model.AccreditationSuspended, day0.AddDate(0, 0, 10)},
		{"ok/after withdrawal", day0.AddDate(0, 0, 40), model.AccreditationWithdrawn, day0.AddDate(0, 0, 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Current(tt.now)
			if got.State != tt.want || !got.EffectiveTime.Equal(tt.at) {
				t.Errorf("Current = %s at %s, want %s at %s", got.State, got.EffectiveTime, tt.want, tt.at)
			}
		})
	}
	if l := a.Latest(); l == nil || l.State != model.AccreditationWithdrawn {
		t.Errorf("Latest = %+v, want the withdrawal", l)
	}
	empty := &model.Accreditation{}
	if empty.Latest() != nil || empty.Current(day0).State != "" {
		t.Error("an accreditation without history has no latest or current event")
	}
}

func TestAccreditationCovers(t *testing.T) {
	tests := []struct {
		name     string
		min, max int32
		version  int32
		want     bool
	}{
		{"ok/in range", 2, 3, 2, true},
		{"ok/top of range", 2, 3, 3, true},
		{"ok/below range", 2, 3, 1, false},
		{"ok/above range", 2, 3, 4, false},
		{"ok/open-ended", 2, 0, 99, true},
		{"ok/open-ended below", 2, 0, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &model.Accreditation{MinVersion: tt.min, MaxVersion: tt.max}
			if got := a.Covers(tt.version); got != tt.want {
				t.Errorf("Covers(%d) with [%d,%d] = %v, want %v", tt.version, tt.min, tt.max, got, tt.want)
			}
		})
	}
}

func TestAccreditationStateCanBecome(t *testing.T) {
	const (
		act = model.AccreditationActive
		sus = model.AccreditationSuspended
		wd  = model.AccreditationWithdrawn
	)
	tests := []struct {
		from, to model.AccreditationState
		want     bool
	}{
		{act, sus, true}, {act, wd, true}, {act, act, false},
		{sus, act, true}, {sus, wd, true}, {sus, sus, false},
		{wd, act, false}, {wd, sus, false}, {wd, wd, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"->"+string(tt.to), func(t *testing.T) {
			if got := tt.from.CanBecome(tt.to); got != tt.want {
				t.Errorf("CanBecome = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBestAccreditation(t *testing.T) {
	d := func(n int) time.Time { return day0.AddDate(0, 0, n) }
	hist := historyAccreditation("hist")
	other := &model.Accreditation{ID: "other", MinVersion: 1, MaxVersion: 1, ValidFrom: day0,
		Events: []model.AccreditationEvent{{State: model.AccreditationActive, EffectiveTime: day0}}}
	tests := []struct {
		name       string
		accs       []*model.Accreditation
		version    int32
		at         time.Time
		wantID     string
		wantReason string
		wantState  model.AccreditationState
	}{
		{"ok/none", nil, 2, d(1), "", model.CheckNoAccreditation, ""},
		{"ok/active", []*model.Accreditation{hist}, 2, d(1), "hist", model.CheckAccredited, model.AccreditationActive},
		{"ok/suspended", []*model.Accreditation{hist}, 2, d(11), "hist", model.CheckSuspended, model.AccreditationSuspended},
		{"ok/reinstated", []*model.Accreditation{hist}, 3, d(15), "hist", model.CheckAccredited, model.AccreditationActive},
		{"ok/withdrawn", []*model.Accreditation{hist}, 2, d(21), "hist", model.CheckWithdrawn, model.AccreditationWithdrawn},
		{"ok/before valid_from", []*model.Accreditation{hist}, 2, d(-1), "hist", model.CheckOutsideValidity, ""},
		{"ok/after valid_until", []*model.Accreditation{hist}, 2, d(31), "hist", model.CheckOutsideValidity, model.AccreditationWithdrawn},
		{"ok/version not covered", []*model.Accreditation{hist}, 4, d(1), "hist", model.CheckVersionNotCovered, model.AccreditationActive},
		{"ok/covering one wins over closer misses", []*model.Accreditation{hist, other}, 1, d(11), "other", model.CheckAccredited, model.AccreditationActive},
		{"ok/suspension ranks above version miss", []*model.Accreditation{other, hist}, 2, d(11), "hist", model.CheckSuspended, model.AccreditationSuspended},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			best, reason, state := model.BestAccreditation(tt.accs, tt.version, tt.at)
			gotID := ""
			if best != nil {
				gotID = best.ID
			}
			if gotID != tt.wantID || reason != tt.wantReason || state != tt.wantState {
				t.Errorf("BestAccreditation = %q, %s, %q, want %q, %s, %q", gotID, reason, state, tt.wantID, tt.wantReason, tt.wantState)
			}
		})
	}
}
