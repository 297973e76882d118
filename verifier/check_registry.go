package verifier

import (
	"strconv"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/model"
)

// The checks against the trust registry: ISSUER_REGISTERED,
// ACCREDITATION_AT_ISSUANCE, PROFILE and COMPETENCIES.

// maxEcho bounds text from a token quoted in a sentence.
const maxEcho = 120

func (r *run) issuerRegistered() error {
	iss, err := r.issuer(r.issuerID)
	if err != nil {
		return err
	}
	switch {
	case iss == nil:
		r.fail(CheckIssuer, ReasonIssuerNotRegistered)
	case r.c.Issuer.Name != iss.LegalName:
		// The signature binds the issuer's id, not its name, and names
		// change (a merger, a new legal form). Failing here would take
		// proof away from workers for an administrative act (trust rule
		// 2); the sentence says both names and the content shows the
		// registered one.
		r.pass(CheckIssuer, ReasonIssuerNameChanged, "claimed", clip(r.c.Issuer.Name), "issuer", iss.LegalName)
	default:
		r.pass(CheckIssuer, ReasonOK, "issuer", iss.LegalName)
	}
	return nil
}

// profileRef reads relatedResource once and looks the profile version up.
func (r *run) profileRef() error {
	if r.refDone {
		return nil
	}
	r.refDone = true
	r.ref, r.refErr = r.c.Profile(r.base)
	if r.refErr != nil {
		return nil
	}
	var err error
	r.prof, err = r.profile(r.ref.SectorID, r.ref.ProfileID, r.ref.Version)
	return err
}

// profileName names the referenced profile: its registry name, or its id
// if the registry does not know the version.
func (r *run) profileName() model.Text {
	if r.prof != nil {
		return r.prof.pv.Name
	}
	return model.Text{NL: r.ref.ProfileID, EN: r.ref.ProfileID}
}

func (r *run) version() string { return strconv.Itoa(int(r.ref.Version)) }

// atIssuanceReasons maps the registry's answer to "was the issuer
// accredited at iat" onto verdict reasons.
var atIssuanceReasons = map[string]string{
	model.CheckNoAccreditation:   ReasonNotAccredited,
	model.CheckVersionNotCovered: ReasonVersionNotCovered,
	model.CheckOutsideValidity:   ReasonOutsideAccreditation,
	model.CheckSuspended:         ReasonAccreditationSuspended,
	model.CheckWithdrawn:         ReasonAccreditationWithdrawn,
}

// accreditationAtIssuance applies trust rule 2: what counts is the
// accreditation at the signing time; a suspension or withdrawal after it
// does not touch the credential (it shows in ISSUER_CURRENT_STANDING).
func (r *run) accreditationAtIssuance() error {
	if err := r.profileRef(); err != nil {
		return err
	}
	if r.refErr != nil {
		r.skip(CheckAccreditation, CheckProfile)
		return nil
	}
	accs, err := r.accreditations(r.issuerID, r.ref.SectorID, r.ref.ProfileID)
	if err != nil {
		return err
	}
	iat := r.c.IssuedAt()
	_, got, _ := model.BestAccreditation(accs, r.ref.Version, iat)
	args := []any{"issuer", r.c.Issuer.Name, "profile", r.profileName(), "version", r.version(), "iat", day(iat)}
	if got == model.CheckAccredited {
		r.pass(CheckAccreditation, ReasonOK, args...)
		return nil
	}
	r.fail(CheckAccreditation, atIssuanceReasons[got], args...)
	return nil
}

// profileCheck: the version exists, was published (a retired version
// still backs what was issued against it) and its digest is the one the
// credential quotes.
func (r *run) profileCheck() error {
	if err := r.profileRef(); err != nil {
		return err
	}
	if r.refErr != nil {
		r.fail(CheckProfile, ReasonProfileRefInvalid)
		return nil
	}
	args := []any{"profile", r.profileName(), "version", r.version()}
	switch pv := r.prof; {
	case pv == nil:
		r.fail(CheckProfile, ReasonProfileNotFound)
	case pv.pv.State == model.ProfileDraft:
		r.fail(CheckProfile, ReasonProfileDraft, args...)
	case pv.pv.Digest != r.ref.Digest:
		r.fail(CheckProfile, ReasonProfileDigest, args...)
	case pv.pv.State == model.ProfileRetired:
		r.pass(CheckProfile, ReasonProfileRetired, append(args, "retired", day(pv.pv.RetireTime))...)
	default:
		r.pass(CheckProfile, ReasonOK, args...)
	}
	return nil
}

// competencies compares every achievement with the one the registry
// defines for it, after checking the level against the scale (a forged
// level has to add itself to the token's scale, which would otherwise be
// reported as the less telling ACHIEVEMENT_MISMATCH).
func (r *run) competencies() error {
	s := &r.c.CredentialSubject
	for i := range s.Achievement {
		a := &s.Achievement[i]
		comp := r.prof.byAchievementID[a.ID]
		if comp == nil {
			r.fail(CheckCompetencies, ReasonCompetencyUnknown, "competency", clip(a.Name), "profile", r.profileName(), "version", r.version())
			return nil
		}
		name := comp.Name
		if comp.LevelIndex(s.Result[i].Value) < 0 {
			r.fail(CheckCompetencies, ReasonLevelOffScale, "level", clip(s.Result[i].Value), "competency", name)
			return nil
		}
		if !r.prof.achievements[comp.ID].Equal(sameCreatorName(a, r.prof.achievements[comp.ID])) {
			r.fail(CheckCompetencies, ReasonAchievementDiffers, "competency", name)
			return nil
		}
	}
	r.pass(CheckCompetencies, ReasonOK, "count", strconv.Itoa(len(s.Achievement)))
	return nil
}

// sameCreatorName returns a, or a copy of it whose creator (the sector)
// carries want's name when both name the same sector id. A published
// profile version never changes, but a sector may be renamed; the rename
// must not invalidate the credentials issued under the old name.
func sameCreatorName(a, want *credential.Achievement) *credential.Achievement {
	if a.Creator.ID != want.Creator.ID || a.Creator.Name == want.Creator.Name {
		return a
	}
	c := *a
	c.Creator.Name = want.Creator.Name
	return &c
}

// clip shortens text from a token before it is quoted in a sentence.
func clip(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	cut := maxEcho
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
