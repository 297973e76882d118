package model

import "time"

// Reasons a check of "was issuer X accredited for profile version P at T"
// gives. They are stable, machine-readable codes that verifiers quote.
const (
	CheckAccredited        = "ACCREDITED"
	CheckNoAccreditation   = "NO_ACCREDITATION"
	CheckVersionNotCovered = "VERSION_NOT_COVERED"
	CheckOutsideValidity   = "OUTSIDE_VALIDITY"
	CheckSuspended         = "SUSPENDED"
	CheckWithdrawn         = "WITHDRAWN"
)

// Valid reports whether s is a known accreditation state.
func (s AccreditationState) Valid() bool {
	return s == AccreditationActive || s == AccreditationSuspended || s == AccreditationWithdrawn
}

// CanBecome reports whether an accreditation in state s may move to state
// to: ACTIVE and SUSPENDED alternate, and both may end in WITHDRAWN, which
// is final.
func (s AccreditationState) CanBecome(to AccreditationState) bool {
	switch s {
	case AccreditationActive:
		return to == AccreditationSuspended || to == AccreditationWithdrawn
	case AccreditationSuspended:
		return to == AccreditationActive || to == AccreditationWithdrawn
	}
	return false
}

// Covers reports whether the accreditation's version range includes
// version.
func (a *Accreditation) Covers(version int32) bool {
	return version >= a.MinVersion && (a.MaxVersion == 0 || version <= a.MaxVersion)
}

// InWindow reports whether t lies in the validity window [ValidFrom,
// ValidUntil).
func (a *Accreditation) InWindow(t time.Time) bool {
	return !t.Before(a.ValidFrom) && (a.ValidUntil.IsZero() || t.Before(a.ValidUntil))
}

// StateAt returns the state the history gives for time t — that of the
// last event effective at or before t, or "" if none is yet — and whether
// t lies in the validity window. Events are in non-decreasing effective
// order (the registry refuses anything else), so a later event with the
// same effective time wins.
func (a *Accreditation) StateAt(t time.Time) (state AccreditationState, inWindow bool) {
	for _, ev := range a.Events {
		if ev.EffectiveTime.After(t) {
			break
		}
		state = ev.State
	}
	return state, a.InWindow(t)
}

// Latest returns the last event of the history, including one scheduled
// for the future; state changes are judged against it. It returns nil only
// for an accreditation without history, which the registry never stores.
func (a *Accreditation) Latest() *AccreditationEvent {
	if len(a.Events) == 0 {
		return nil
	}
	return &a.Events[len(a.Events)-1]
}

// Current returns the event in force at now: the last one effective at or
// before now, or, before the first takes effect, the first (scheduled)
// one. It returns the zero event for an accreditation without history.
func (a *Accreditation) Current(now time.Time) AccreditationEvent {
	if len(a.Events) == 0 {
		return AccreditationEvent{}
	}
	cur := a.Events[0]
	for _, ev := range a.Events[1:] {
		if ev.EffectiveTime.After(now) {
			break
		}
		cur = ev
	}
	return cur
}

// Judge classifies the accreditation for profile version version at time
// t, returning one of the Check* reasons and the state at t.
func (a *Accreditation) Judge(version int32, t time.Time) (reason string, state AccreditationState) {
	state, inWindow := a.StateAt(t)
	switch {
	case !a.Covers(version):
		return CheckVersionNotCovered, state
	case !inWindow:
		return CheckOutsideValidity, state
	case state == AccreditationActive:
		return CheckAccredited, state
	case state == AccreditationSuspended:
		return CheckSuspended, state
	default:
		return CheckWithdrawn, state
	}
}

// checkRank orders reasons from furthest to closest to "accredited", so
// that a negative answer names the accreditation that came nearest.
// Suspension ranks above withdrawal because it may be lifted.
var checkRank = map[string]int{
	CheckVersionNotCovered: 1,
	CheckOutsideValidity:   2,
	CheckWithdrawn:         3,
	CheckSuspended:         4,
	CheckAccredited:        5,
}

// BestAccreditation answers "was the issuer accredited for profile version
// version at t" from the issuer's accreditations for that profile. It
// returns the accreditation that accredits, or else the closest one, with
// its reason and state at t; with no accreditations it returns nil and
// CheckNoAccreditation. Among equally close ones the first wins, so the
// answer is deterministic for a given store order.
func BestAccreditation(accs []*Accreditation, version int32, t time.Time) (best *Accreditation, reason string, state AccreditationState) {
	reason = CheckNoAccreditation
	for _, a := range accs {
		r, s := a.Judge(version, t)
		if best == nil || checkRank[r] > checkRank[reason] {
			best, reason, state = a, r, s
		}
		if r == CheckAccredited {
			break
		}
	}
	return best, reason, state
}
