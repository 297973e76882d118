package registry

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
)

func day(n int) time.Time { return day0.AddDate(0, 0, n) }

func TestCreateAccreditation(t *testing.T) {
	terms := func(change func(a *model.Accreditation)) *model.Accreditation {
		a := modeltest.Accreditation("roc", "installatie", "monteur", day(1))
		if change != nil {
			change(a)
		}
		return a
	}
	tests := []struct {
		name     string
		actor    model.Principal
		in       *model.Accreditation
		wantErr  error
		field    string
		wantFrom time.Time
	}{
		{name: "ok/sector authority", actor: installAuth, in: terms(nil), wantFrom: day(1)},
		{name: "ok/root, valid_from defaults to now", actor: root, in: terms(func(a *model.Accreditation) { a.ValidFrom = time.Time{} }), wantFrom: day0},
		{name: "error/authority of another sector", actor: zorgAuth, in: terms(nil), wantErr: model.ErrPermissionDenied},
		{name: "error/issuer client", actor: rocClient, in: terms(nil), wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, in: terms(nil), wantErr: model.ErrUnauthenticated},
		{name: "error/issuer not registered", actor: root, in: terms(func(a *model.Accreditation) { a.IssuerID = "ghost" }), wantErr: model.ErrIssuerUnknown},
		{name: "error/sector unknown", actor: root, in: terms(func(a *model.Accreditation) { a.SectorID = "bouw" }), wantErr: model.ErrSectorUnknown},
		{name: "error/profile without versions", actor: root, in: terms(func(a *model.Accreditation) { a.ProfileID = "loodgieter" }), wantErr: model.ErrProfileUnknown},
		{name: "error/min version", actor: root, in: terms(func(a *model.Accreditation) { a.MinVersion = 0 }), wantErr: errValidation, field: "accreditation.min_version"},
		{name: "error/max below min", actor: root, in: terms(func(a *model.Accreditation) { a.MinVersion, a.MaxVersion = 2, 1 }), wantErr: errValidation, field: "accreditation.max_version"},
		{name: "error/window", actor: root, in: terms(func(a *model.Accreditation) { a.ValidUntil = day(1) }), wantErr: errValidation, field: "accreditation.valid_until"},
		{name: "error/bad issuer id", actor: root, in: terms(func(a *model.Accreditation) { a.IssuerID = "R" }), wantErr: errValidation, field: "parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			seed(t, s)
			got, err := s.CreateAccreditation(ctx, tt.actor, "", tt.in)
			checkErr(t, err, tt.wantErr)
			if tt.field != "" {
				checkViolation(t, err, tt.field)
			}
			if err != nil {
				return
			}
			if !model.ValidID(got.ID) || len(got.ID) != 12 {
				t.Errorf("id %q, want 12 base32 characters starting with a letter", got.ID)
			}
			if !got.ValidFrom.Equal(tt.wantFrom) || len(got.Events) != 1 || got.Events[0].State != model.AccreditationActive ||
				!got.Events[0].EffectiveTime.Equal(tt.wantFrom) || got.Events[0].Actor != tt.actor.ID {
				t.Errorf("created %+v, want one ACTIVE event effective at %s by %s", got, tt.wantFrom, tt.actor.ID)
			}
			read, err := s.GetAccreditation(ctx, anonymous, "roc", got.ID)
			checkErr(t, err, nil)
			if len(read.Events) != 1 {
				t.Errorf("read back %d events, want 1", len(read.Events))
			}
		})
	}
}

func TestCreateAccreditationIdempotency(t *testing.T) {
	s, clk := newService(t)
	seed(t, s)
	in := modeltest.Accreditation("roc", "installatie", "monteur", time.Time{})
	in.ValidUntil = time.Time{}
	first, err := s.CreateAccreditation(ctx, root, "acc-1", in)
	checkErr(t, err, nil)
	clk.Set(day(3))
	again, err := s.CreateAccreditation(ctx, root, "acc-1", in)
	checkErr(t, err, nil)
	if again.ID != first.ID || !again.ValidFrom.Equal(first.ValidFrom) {
		t.Errorf("replay gave %s from %s, want %s from %s", again.ID, again.ValidFrom, first.ID, first.ValidFrom)
	}
	list, _, err := s.ListAccreditations(ctx, anonymous, "roc", Page{})
	checkErr(t, err, nil)
	if len(list) != 1 {
		t.Errorf("%d accreditations after a replay, want 1", len(list))
	}
	_, _, err = s.ListAccreditations(ctx, anonymous, "ghost", Page{})
	checkErr(t, err, model.ErrIssuerUnknown)
}

func TestChangeAccreditation(t *testing.T) {
	type step struct {
		at        time.Time
		to        model.AccreditationState
		effective time.Time
	}
	tests := []struct {
		name          string
		before        []step // applied by root first
		actor         model.Principal
		now           time.Time
		to            model.AccreditationState
		reason        string
		effective     time.Time
		wantErr       error
		field         string
		wantEffective time.Time
	}{
		{name: "ok/suspend now", actor: installAuth, now: day(2), to: model.AccreditationSuspended, wantEffective: day(2)},
		{name: "ok/reinstate", before: []step{{day(2), model.AccreditationSuspended, time.Time{}}}, actor: root, now: day(3),
			to: model.AccreditationActive, wantEffective: day(3)},
		{name: "ok/withdraw suspended", before: []step{{day(2), model.AccreditationSuspended, time.Time{}}}, actor: root, now: day(3),
			to: model.AccreditationWithdrawn, wantEffective: day(3)},
		{name: "ok/scheduled in the future", actor: root, now: day(2), to: model.AccreditationSuspended, effective: day(9), wantEffective: day(9)},
		{name: "ok/recent past is clamped to now", actor: root, now: day(2), to: model.AccreditationSuspended,
			effective: day(2).Add(-30 * time.Second), wantEffective: day(2)},
		{name: "error/past beyond a minute", actor: root, now: day(2), to: model.AccreditationSuspended,
			effective: day(2).Add(-2 * time.Minute), wantErr: errValidation, field: "effective_time"},
		{name: "error/before the latest event", before: []step{{day(2), model.AccreditationSuspended, day(9)}}, actor: root, now: day(3),
			to: model.AccreditationWithdrawn, effective: day(5), wantErr: errValidation, field: "effective_time"},
		{name: "error/before valid_from", actor: root, now: day0, to: model.AccreditationSuspended, wantErr: errValidation, field: "effective_time"},
		{name: "error/reinstate active", actor: root, now: day(2), to: model.AccreditationActive, wantErr: model.ErrInvalidTransition},
		{name: "error/suspend twice", before: []step{{day(2), model.AccreditationSuspended, time.Time{}}}, actor: root, now: day(3),
			to: model.AccreditationSuspended, wantErr: model.ErrInvalidTransition},
		{name: "error/after withdrawal", before: []step{{day(2), model.AccreditationWithdrawn, time.Time{}}}, actor: root, now: day(3),
			to: model.AccreditationActive, wantErr: model.ErrInvalidTransition},
		{name: "error/judged against a scheduled event", before: []step{{day(2), model.AccreditationWithdrawn, day(9)}}, actor: root, now: day(3),
			to: model.AccreditationSuspended, effective: day(10), wantErr: model.ErrInvalidTransition},
		{name: "error/authority of another sector", actor: zorgAuth, now: day(2), to: model.AccreditationSuspended, wantErr: model.ErrPermissionDenied},
		{name: "error/issuer client", actor: rocClient, now: day(2), to: model.AccreditationWithdrawn, wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, now: day(2), to: model.AccreditationSuspended, wantErr: model.ErrUnauthenticated},
		{name: "error/reason missing", actor: root, now: day(2), to: model.AccreditationSuspended, reason: "-", wantErr: errValidation, field: "reason"},
		{name: "error/unknown state", actor: root, now: day(2), to: "PAUSED", wantErr: errValidation, field: "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk := newService(t)
			seed(t, s)
			acc, err := s.CreateAccreditation(ctx, root, "", modeltest.Accreditation("roc", "installatie", "monteur", day(1)))
			checkErr(t, err, nil)
			for _, st := range tt.before {
				clk.Set(st.at)
				if _, err := s.ChangeAccreditation(ctx, root, "", "roc", acc.ID, st.to, "setup", st.effective); err != nil {
					t.Fatalf("setup step: %v", err)
				}
			}
			clk.Set(tt.now)
			reason := "audit: exam records incomplete"
			if tt.reason == "-" {
				reason = ""
			}
			got, err := s.ChangeAccreditation(ctx, tt.actor, "", "roc", acc.ID, tt.to, reason, tt.effective)
			checkErr(t, err, tt.wantErr)
			if tt.field != "" {
				checkViolation(t, err, tt.field)
			}
			read, rerr := s.GetAccreditation(ctx, anonymous, "roc", acc.ID)
			checkErr(t, rerr, nil)
			wantEvents := 1 + len(tt.before)
			if err == nil {
				wantEvents++
				last := got.Events[len(got.Events)-1]
				if last.State != tt.to || !last.EffectiveTime.Equal(tt.wantEffective) || !last.RecordTime.Equal(tt.now) ||
					last.Reason != reason || last.Actor != tt.actor.ID {
					t.Errorf("appended %+v, want %s effective %s recorded %s by %s", last, tt.to, tt.wantEffective, tt.now, tt.actor.ID)
				}
			}
			if len(read.Events) != wantEvents {
				t.Errorf("history has %d events, want %d", len(read.Events), wantEvents)
			}
		})
	}
}

func TestChangeAccreditationNotFound(t *testing.T) {
	s, _ := newService(t)
	seed(t, s)
	_, err := s.ChangeAccreditation(ctx, root, "", "roc", "abcdefghijkl", model.AccreditationSuspended, "x", time.Time{})
	checkErr(t, err, model.ErrNotFound)
}

// TestCheckAccreditationOverTime walks an accreditation for versions 1-2,
// valid from day 1 to day 30, through suspension (day 5), reinstatement
// (day 8) and withdrawal (day 20), then asks about moments in that
// history: the answers about the past never change as history grows.
func TestCheckAccreditationOverTime(t *testing.T) {
	s, clk := newService(t)
	seed(t, s)
	for _, step := range []func() error{
		func() error {
			_, err := s.PublishProfileVersion(ctx, root, "", "installatie", "monteur", 2)
			return err
		},
		func() error {
			_, err := s.CreateProfileVersion(ctx, root, "", modeltest.Profile("installatie", "monteur"))
			return err
		},
		func() error {
			_, err := s.PublishProfileVersion(ctx, root, "", "installatie", "monteur", 3)
			return err
		},
		func() error {
			_, err := s.CreateProfileVersion(ctx, root, "", modeltest.Profile("installatie", "monteur"))
			return err
		},
		func() error { _, err := s.CreateIssuer(ctx, root, "", modeltest.Issuer("academie")); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	terms := modeltest.Accreditation("roc", "installatie", "monteur", day(1))
	terms.MaxVersion, terms.ValidUntil = 2, day(30)
	acc, err := s.CreateAccreditation(ctx, installAuth, "", terms)
	checkErr(t, err, nil)
	for _, ch := range []struct {
		at time.Time
		to model.AccreditationState
	}{{day(5), model.AccreditationSuspended}, {day(8), model.AccreditationActive}, {day(20), model.AccreditationWithdrawn}} {
		clk.Set(ch.at)
		if _, err := s.ChangeAccreditation(ctx, installAuth, "", "roc", acc.ID, ch.to, "step", time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	clk.Set(day(40))

	tests := []struct {
		name       string
		actor      model.Principal
		issuer     string
		version    int32
		at         time.Time
		wantErr    error
		wantReason string
		wantState  model.AccreditationState
	}{
		{name: "ok/before valid_from", issuer: "roc", version: 1, at: day0, wantReason: model.CheckOutsideValidity},
		{name: "ok/active", issuer: "roc", version: 1, at: day(3), wantReason: model.CheckAccredited, wantState: model.AccreditationActive},
		{name: "ok/active for the top version", issuer: "roc", version: 2, at: day(3), wantReason: model.CheckAccredited, wantState: model.AccreditationActive},
		{name: "ok/suspended window", issuer: "roc", version: 1, at: day(6), wantReason: model.CheckSuspended, wantState: model.AccreditationSuspended},
		{name: "ok/reinstated", issuer: "roc", version: 2, at: day(10), wantReason: model.CheckAccredited, wantState: model.AccreditationActive},
		{name: "ok/withdrawn", issuer: "roc", version: 1, at: day(25), wantReason: model.CheckWithdrawn, wantState: model.AccreditationWithdrawn},
		{name: "ok/after valid_until", issuer: "roc", version: 1, at: day(31), wantReason: model.CheckOutsideValidity, wantState: model.AccreditationWithdrawn},
		{name: "ok/version outside range", issuer: "roc", version: 3, at: day(3), wantReason: model.CheckVersionNotCovered, wantState: model.AccreditationActive},
		{name: "ok/time defaults to now", issuer: "roc", version: 1, wantReason: model.CheckOutsideValidity, wantState: model.AccreditationWithdrawn},
		{name: "ok/issuer without accreditation", issuer: "academie", version: 1, at: day(3), wantReason: model.CheckNoAccreditation},
		{name: "ok/authority sees the draft version", actor: installAuth, issuer: "roc", version: 4, at: day(3), wantReason: model.CheckVersionNotCovered, wantState: model.AccreditationActive},
		{name: "error/draft version hidden from the public", issuer: "roc", version: 4, at: day(3), wantErr: model.ErrNotFound},
		{name: "error/unknown issuer", issuer: "ghost", version: 1, at: day(3), wantErr: model.ErrNotFound},
		{name: "error/unknown version", issuer: "roc", version: 9, at: day(3), wantErr: model.ErrNotFound},
		{name: "error/version zero", issuer: "roc", version: 0, at: day(3), wantErr: errValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			actor := tt.actor
			if actor.ID == "" {
				actor = anonymous
			}
			got, err := s.CheckAccreditation(ctx, actor, tt.issuer, "installatie", "monteur", tt.version, tt.at)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			if got.Reason != tt.wantReason || got.StateAtTime != tt.wantState || got.Accredited != (tt.wantReason == model.CheckAccredited) {
				t.Errorf("check = %s/%q accredited=%v, want %s/%q", got.Reason, got.StateAtTime, got.Accredited, tt.wantReason, tt.wantState)
			}
			if (got.Accreditation == nil) != (tt.wantReason == model.CheckNoAccreditation) {
				t.Errorf("accreditation %v for reason %s", got.Accreditation, got.Reason)
			}
			if got.Accreditation != nil && got.Accreditation.ID != acc.ID {
				t.Errorf("answered with accreditation %s, want %s", got.Accreditation.ID, acc.ID)
			}
		})
	}
}
