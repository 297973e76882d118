package server

import (
	"testing"
	"time"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/model"
)

func TestNLQFLevels(t *testing.T) {
	tests := []struct {
		name    string
		api     pb.NlqfLevel
		dom     model.NLQFLevel
		wantEQF int32
	}{
		{"ok/entry", pb.NlqfLevel_NLQF_LEVEL_ENTRY, "entry", 0},
		{"ok/1", pb.NlqfLevel_NLQF_LEVEL_1, "1", 1},
		{"ok/4", pb.NlqfLevel_NLQF_LEVEL_4, "4", 4},
		{"ok/8", pb.NlqfLevel_NLQF_LEVEL_8, "8", 8},
		{"ok/unspecified", pb.NlqfLevel_NLQF_LEVEL_UNSPECIFIED, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nlqfLevels.toModel(tt.api); got != tt.dom {
				t.Errorf("toModel(%v) = %q, want %q", tt.api, got, tt.dom)
			}
			out := profileVersionToAPI(&model.ProfileVersion{NLQFLevel: tt.dom})
			if out.GetNlqfLevel() != tt.api || out.GetEqfLevel() != tt.wantEQF {
				t.Errorf("API form: nlqf %v eqf %d, want %v %d", out.GetNlqfLevel(), out.GetEqfLevel(), tt.api, tt.wantEQF)
			}
		})
	}
	t.Run("error/unknown enum value becomes unset", func(t *testing.T) {
		if got := nlqfLevels.toModel(pb.NlqfLevel(99)); got != "" {
			t.Errorf("got %q, want \"\" for the domain to reject", got)
		}
	})
}

func TestAccreditationToAPI(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := &model.Accreditation{
		IssuerID: "acme", ID: "a1", SectorID: "bouw", ProfileID: "metselaar", MinVersion: 1, ValidFrom: t0,
		Events: []model.AccreditationEvent{
			{State: model.AccreditationActive, Reason: "granted", EffectiveTime: t0, Actor: "root"},
			{State: model.AccreditationSuspended, Reason: "audit", EffectiveTime: t0.Add(48 * time.Hour), Actor: "auth-bouw"},
		},
	}
	tests := []struct {
		name      string
		now       time.Time
		wantState pb.AccreditationState
	}{
		{"ok/before the scheduled suspension", t0.Add(time.Hour), pb.AccreditationState_ACCREDITATION_STATE_ACTIVE},
		{"ok/after the scheduled suspension", t0.Add(72 * time.Hour), pb.AccreditationState_ACCREDITATION_STATE_SUSPENDED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := accreditationToAPI(a, tt.now)
			if out.GetState() != tt.wantState {
				t.Errorf("state %v, want %v", out.GetState(), tt.wantState)
			}
			// Reason and time are those of the latest change, even if
			// scheduled, so the caller sees what is coming.
			if out.GetStateReason() != "audit" || !out.GetStateTime().AsTime().Equal(t0.Add(48*time.Hour)) {
				t.Errorf("latest change: %q at %v", out.GetStateReason(), out.GetStateTime().AsTime())
			}
			if out.GetName() != "issuers/acme/accreditations/a1" || out.GetProfile() != "sectors/bouw/profiles/metselaar" || out.GetValidUntil() != nil {
				t.Errorf("names or open end wrong: %v", out)
			}
		})
	}
	events := accreditationEventsToAPI(a.Events)
	if len(events) != 2 || events[1].GetSequence() != 2 || events[1].GetActor() != "principals/auth-bouw" {
		t.Errorf("events: %v", events)
	}
}
