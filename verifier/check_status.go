package verifier

import (
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// The checks that depend on now: VALIDITY_PERIOD, STATUS and
// ISSUER_CURRENT_STANDING. Each records the next time its answer could
// change, so a cached verdict is recomputed then.

// validity: now lies within [validFrom, validUntil].
func (r *run) validity() error {
	from, until := r.c.ValidFromTime(), r.c.ValidUntilTime()
	switch {
	case r.now.Before(from):
		r.until(from)
		r.fail(CheckValidity, ReasonNotYetValid, "from", day(from))
	case !until.IsZero() && r.now.After(until):
		r.fail(CheckValidity, ReasonExpired, "until", day(until))
	case until.IsZero():
		r.passMsg(CheckValidity, msgOpenEnded, "from", day(from))
	default:
		r.until(until.Add(time.Nanosecond))
		r.pass(CheckValidity, ReasonOK, "from", day(from), "until", day(until))
	}
	return nil
}

// status reads the credential's bits in its issuer's revocation and
// suspension lists. The lists come from the store, which holds what is
// published: a verifier elsewhere reading the published lists gets the
// same answer. Revocation wins over suspension: it is final.
func (r *run) status() error {
	ref, err := r.c.StatusPosition(r.base)
	if err != nil {
		r.fail(CheckStatus, ReasonStatusRefInvalid)
		return nil
	}
	for _, p := range []struct {
		purpose statuslist.Purpose
		reason  string
	}{{statuslist.PurposeRevocation, ReasonRevoked}, {statuslist.PurposeSuspension, ReasonSuspended}} {
		list, err := r.statusList(ref.IssuerID, p.purpose, ref.List)
		if err != nil {
			return err
		}
		if list == nil {
			continue // never written: nothing of this list was ever revoked or suspended
		}
		set, err := list.Get(ref.Index)
		if err != nil {
			r.fail(CheckStatus, ReasonStatusOutOfRange)
			return nil
		}
		if set {
			r.fail(CheckStatus, p.reason)
			return nil
		}
	}
	r.pass(CheckStatus, ReasonOK)
	return nil
}

// standingReasons maps the registry's answer for now onto INFO reasons.
var standingReasons = map[string]string{
	model.CheckAccredited:        ReasonStandingAccredited,
	model.CheckNoAccreditation:   ReasonStandingNone,
	model.CheckVersionNotCovered: ReasonStandingNone,
	model.CheckOutsideValidity:   ReasonStandingEnded,
	model.CheckSuspended:         ReasonStandingSuspended,
	model.CheckWithdrawn:         ReasonStandingWithdrawn,
}

// currentStanding reports, as information only, where the issuer stands
// for this profile now (trust rule 2: it never fails the verdict).
func (r *run) currentStanding() error {
	if err := r.profileRef(); err != nil {
		return err
	}
	if r.refErr != nil {
		r.skip(CheckCurrentStanding, CheckProfile)
		return nil
	}
	accs, err := r.accreditations(r.issuerID, r.ref.SectorID, r.ref.ProfileID)
	if err != nil {
		return err
	}
	best, got, state := model.BestAccreditation(accs, r.ref.Version, r.now)
	reason := standingReasons[got]
	if got == model.CheckWithdrawn && state == "" {
		// Judge calls "no event in force yet" withdrawn; now it is simply
		// not in force.
		reason = ReasonStandingEnded
	}
	args := []any{"issuer", r.c.Issuer.Name, "profile", r.profileName()}
	if best != nil {
		args = append(args, "since", day(best.Current(r.now).EffectiveTime))
	}
	for _, a := range accs {
		r.untilChange(a)
	}
	r.info(CheckCurrentStanding, reason, args...)
	return nil
}

// untilChange lowers the expiry to the next time a's standing changes:
// a scheduled event or an end of its validity window.
func (r *run) untilChange(a *model.Accreditation) {
	r.until(a.ValidFrom)
	r.until(a.ValidUntil)
	for _, ev := range a.Events {
		r.until(ev.EffectiveTime)
	}
}
