package registry

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"github.com/skillpass-nl/skillpass/internal/requests"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// pastTolerance is how far in the past a state change's effective time
// may lie and still be accepted (as now): enough for a clock skew or a
// slow retry, too little to rewrite history (trust rule 2).
const pastTolerance = time.Minute

// accreditationTerms is the caller-supplied part of an accreditation,
// which the request fingerprint covers.
type accreditationTerms struct {
	IssuerID, SectorID, ProfileID string
	MinVersion, MaxVersion        int32
	ValidFrom, ValidUntil         time.Time
}

// CreateAccreditation uses in.IssuerID, SectorID, ProfileID, MinVersion,
// MaxVersion, ValidFrom (zero: now) and ValidUntil; it assigns ID, the
// first event (ACTIVE, effective at ValidFrom) and CreateTime. Root or the
// authority of the profile's sector.
func (s *Service) CreateAccreditation(ctx context.Context, actor model.Principal, requestID string, in *model.Accreditation) (*model.Accreditation, error) {
	if in == nil {
		return nil, model.Invalid("accreditation", "is required")
	}
	if err := authorize(actor, canGovern(actor, in.SectorID), fmt.Sprintf("accredit for sector %q", in.SectorID)); err != nil {
		return nil, err
	}
	var v model.Violations
	model.CheckID(&v, "parent", in.IssuerID)
	model.CheckID(&v, "accreditation.profile", in.SectorID)
	model.CheckID(&v, "accreditation.profile", in.ProfileID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	terms := accreditationTerms{in.IssuerID, in.SectorID, in.ProfileID, in.MinVersion, in.MaxVersion, in.ValidFrom, in.ValidUntil}
	var out *model.Accreditation
	err := s.run(ctx, actor, requests.Mutation{
		Op: "CreateAccreditation", RequestID: requestID, Input: terms,
		Apply: func(tx store.Tx) (string, error) {
			now := s.clock()
			a := &model.Accreditation{
				IssuerID: in.IssuerID, SectorID: in.SectorID, ProfileID: in.ProfileID,
				MinVersion: in.MinVersion, MaxVersion: in.MaxVersion,
				ValidFrom: wholeSeconds(in.ValidFrom), ValidUntil: wholeSeconds(in.ValidUntil),
				CreateTime: now,
			}
			// Defaulted here, after the request lookup, so that a retry
			// is answered from the record and not judged by a later clock.
			if a.ValidFrom.IsZero() {
				a.ValidFrom = now
			}
			var v model.Violations
			model.ValidateAccreditationTerms(&v, "accreditation", a)
			if err := v.Err(); err != nil {
				return "", err
			}
			if err := checkAccreditationRefs(tx, a); err != nil {
				return "", err
			}
			a.Events = []model.AccreditationEvent{{
				State: model.AccreditationActive, Reason: "accreditation granted",
				EffectiveTime: a.ValidFrom, RecordTime: now, Actor: actor.ID,
			}}
			if err := createWithFreshID(tx, a); err != nil {
				return "", err
			}
			out = a
			return model.AccreditationName(a.IssuerID, a.ID), nil
		},
		Replay: func(tx store.Tx, name string) (err error) {
			out, err = getAccreditationByName(tx, name)
			return err
		},
	})
	return out, err
}

// checkAccreditationRefs checks that what an accreditation refers to
// exists: the issuer, the sector and a profile with at least one version.
func checkAccreditationRefs(tx store.ReadTx, a *model.Accreditation) error {
	if _, err := tx.GetIssuer(a.IssuerID); err != nil {
		return model.AsMissing(err, model.ErrIssuerUnknown, fmt.Sprintf("issuer %q", a.IssuerID))
	}
	if _, err := tx.GetSector(a.SectorID); err != nil {
		return model.AsMissing(err, model.ErrSectorUnknown, fmt.Sprintf("sector %q", a.SectorID))
	}
	latest, err := tx.LatestProfileVersion(a.SectorID, a.ProfileID)
	if err != nil {
		return err
	}
	if latest == 0 {
		return fmt.Errorf("%w: %s has no versions", model.ErrProfileUnknown, model.ProfileName(a.SectorID, a.ProfileID))
	}
	return nil
}

// createWithFreshID stores a under a new random id. With 60 random bits a
// collision is next to impossible, but should one happen it is retried
// rather than reported to a caller who did nothing wrong.
func createWithFreshID(tx store.Tx, a *model.Accreditation) error {
	const attempts = 3
	var err error
	for range attempts {
		a.ID = newAccreditationID()
		err = tx.CreateAccreditation(a)
		if !errors.Is(err, model.ErrAlreadyExists) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("create accreditation: %w", err)
	}
	return nil
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newAccreditationID returns 12 lower-case base32 characters (60 random
// bits) starting with a letter, so the id is also a valid resource id.
func newAccreditationID() string {
	for {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		id := lowerBase32.EncodeToString(b[:])[:12]
		if id[0] >= 'a' && id[0] <= 'z' {
			return id
		}
	}
}

// GetAccreditation returns an accreditation with its history. Public.
func (s *Service) GetAccreditation(ctx context.Context, actor model.Principal, issuerID, id string) (*model.Accreditation, error) {
	if err := checkAccreditationArgs(issuerID, id); err != nil {
		return nil, err
	}
	var out *model.Accreditation
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		out, err = tx.GetAccreditation(issuerID, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", model.AccreditationName(issuerID, id), err)
	}
	return out, nil
}

// ListAccreditations lists an issuer's accreditations. Public.
func (s *Service) ListAccreditations(ctx context.Context, actor model.Principal, issuerID string, page Page) (items []*model.Accreditation, nextToken string, err error) {
	if err := model.ValidateID("parent", issuerID); err != nil {
		return nil, "", err
	}
	list := "accreditations/" + issuerID
	limit, cursor, err := model.ParsePage(list, page.Size, page.Token)
	if err != nil {
		return nil, "", err
	}
	var next string
	err = s.store.View(ctx, func(tx store.ReadTx) (err error) {
		if _, err := tx.GetIssuer(issuerID); err != nil {
			return model.AsMissing(err, model.ErrIssuerUnknown, fmt.Sprintf("issuer %q", issuerID))
		}
		items, next, err = tx.ListAccreditations(issuerID, cursor, limit)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return items, model.NextPageToken(list, next), nil
}

// ChangeAccreditation records a suspension (to=SUSPENDED), reinstatement
// (to=ACTIVE) or withdrawal (to=WITHDRAWN). effective zero means now; it
// may lie in the future (a scheduled change) but not in the past, and not
// before the latest event. Root or the authority of the profile's sector.
func (s *Service) ChangeAccreditation(ctx context.Context, actor model.Principal, requestID, issuerID, id string, to model.AccreditationState, reason string, effective time.Time) (*model.Accreditation, error) {
	if err := authorize(actor, actor.Kind == model.KindRoot || actor.Kind == model.KindSectorAuthority,
		"change accreditations"); err != nil {
		return nil, err
	}
	var v model.Violations
	model.CheckID(&v, "name", issuerID)
	model.CheckID(&v, "name", id)
	model.CheckReason(&v, "reason", reason)
	if !to.Valid() {
		v.Add("state", "must be ACTIVE, SUSPENDED or WITHDRAWN, got %q", to)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	input := struct {
		IssuerID, ID string
		To           model.AccreditationState
		Reason       string
		Effective    time.Time
	}{issuerID, id, to, reason, effective}
	var out *model.Accreditation
	err := s.run(ctx, actor, requests.Mutation{
		Op: "ChangeAccreditation", RequestID: requestID, Input: input,
		Apply: func(tx store.Tx) (string, error) {
			name := model.AccreditationName(issuerID, id)
			a, err := tx.GetAccreditation(issuerID, id)
			if err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
			if err := authorize(actor, canGovern(actor, a.SectorID), fmt.Sprintf("change accreditations of sector %q", a.SectorID)); err != nil {
				return "", err
			}
			latest := a.Latest()
			if latest == nil {
				return "", fmt.Errorf("%s has no history", name)
			}
			if !latest.State.CanBecome(to) {
				return "", fmt.Errorf("%w: %s is %s and cannot become %s", model.ErrInvalidTransition, name, latest.State, to)
			}
			now := s.clock()
			at, err := effectiveTime(effective, now, latest.EffectiveTime)
			if err != nil {
				return "", err
			}
			out, err = tx.AppendAccreditationEvent(issuerID, id, model.AccreditationEvent{
				State: to, Reason: reason, EffectiveTime: at, RecordTime: now, Actor: actor.ID,
			})
			if err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
			return name, nil
		},
		Replay: func(tx store.Tx, name string) (err error) {
			out, err = getAccreditationByName(tx, name)
			return err
		},
	})
	return out, err
}

// effectiveTime decides when a state change takes effect: zero means now;
// a time less than pastTolerance ago is taken as now; anything earlier
// would rewrite the past and is refused, as is a time before the latest
// event, which would reorder the history.
func effectiveTime(requested, now, latest time.Time) (time.Time, error) {
	at := wholeSeconds(requested)
	switch {
	case at.IsZero():
		at = now
	case at.Before(now.Add(-pastTolerance)):
		return time.Time{}, model.Invalid("effective_time", "must not be in the past (now is %s, got %s): history is never rewritten",
			now.Format(time.RFC3339), at.Format(time.RFC3339))
	case at.Before(now):
		at = now
	}
	if at.Before(latest) {
		return time.Time{}, model.Invalid("effective_time", "must not precede the latest state change, effective %s, got %s",
			latest.Format(time.RFC3339), at.Format(time.RFC3339))
	}
	return at, nil
}

// CheckAccreditation answers whether the issuer was accredited for the
// profile version at time at (zero: now). The issuer and the profile
// version must exist (a draft only for those who may see it).
func (s *Service) CheckAccreditation(ctx context.Context, actor model.Principal, issuerID, sectorID, profileID string, version int32, at time.Time) (*Check, error) {
	var v model.Violations
	model.CheckID(&v, "issuer", issuerID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := checkVersionArgs("profile_version", sectorID, profileID, version); err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = s.clock()
	}
	var out *Check
	err := s.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := tx.GetIssuer(issuerID); err != nil {
			return fmt.Errorf("issuer %q: %w", issuerID, err)
		}
		if _, err := getVisibleProfile(tx, actor, sectorID, profileID, version); err != nil {
			return err
		}
		accs, err := tx.AccreditationsFor(issuerID, sectorID, profileID)
		if err != nil {
			return err
		}
		best, reason, state := model.BestAccreditation(accs, version, at)
		out = &Check{Accredited: reason == model.CheckAccredited, Accreditation: best, StateAtTime: state, Reason: reason}
		return nil
	})
	return out, err
}

// getAccreditationByName loads the accreditation a request recorded.
func getAccreditationByName(tx store.ReadTx, name string) (*model.Accreditation, error) {
	ids, ok := model.ParseName(name, "issuers", "accreditations")
	if !ok {
		return nil, fmt.Errorf("recorded request result %q is not an accreditation name", name)
	}
	return tx.GetAccreditation(ids[0], ids[1])
}

func checkAccreditationArgs(issuerID, id string) error {
	var v model.Violations
	model.CheckID(&v, "name", issuerID)
	model.CheckID(&v, "name", id)
	return v.Err()
}
