package issuer

import (
	"crypto"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/model"
)

// Validity policy.
const (
	// backdateTolerance is how far in the past valid_from may lie: enough
	// for clock skew and a slow retry, too little to backdate a credential
	// into a period the issuer was perhaps not accredited for.
	backdateTolerance = time.Minute
	// MaxStartAhead is how far ahead valid_from may lie: an issuer may
	// issue a credential that starts at a graduation date, not one whose
	// accreditation check would be years stale by then.
	MaxStartAhead = 365 * 24 * time.Hour
)

// pending is a request that passed every check needing no store: its
// normalised content and, with a request id, its fingerprint and key.
type pending struct {
	req     IssueRequest // times in UTC, whole seconds
	actorID string
	fp      [32]byte
	key     string // request key; "" when no request id was given
	// altKey is the other key a record of the same request id may lie
	// under (a version 7 request id's plain or time-ordered key; see
	// secrets.keyed); "" if there is none.
	altKey string
}

// issueContent is the fingerprinted content of an issuance request: a
// retry must carry exactly this.
type issueContent struct {
	IssuerID, SectorID, ProfileID string
	Version                       int32
	HolderID                      string
	HolderKey                     string // RFC 7638 thumbprint, "" if none
	Skills                        []Skill
	ValidFrom, ValidUntil         time.Time
}

// prepare authorises and checks the shape of a request. Rules that need
// the registry (profile content, accreditation, keys) come later.
func (s *Service) prepare(actor model.Principal, req IssueRequest) (*pending, error) {
	if err := authorize(actor, canIssue(actor, req.IssuerID), "issue credentials for issuer %.80q", req.IssuerID); err != nil {
		return nil, err
	}
	var v model.Violations
	if err := requests.Validate("request_id", req.RequestID); err != nil {
		v.Add("request_id", "%s", fieldDescription(err))
	}
	model.CheckID(&v, "issuer_id", req.IssuerID)
	model.CheckID(&v, "sector_id", req.SectorID)
	model.CheckID(&v, "profile_id", req.ProfileID)
	if req.Version < 1 {
		v.Add("version", "must be at least 1, got %d", req.Version)
	}
	thumb := holderKeyThumbprint(&v, req)
	if len(req.Skills) > model.MaxCompetencies {
		v.Add("skills", "must have at most %d skills, got %d", model.MaxCompetencies, len(req.Skills))
	}
	for i, sk := range req.Skills {
		model.CheckID(&v, fmt.Sprintf("skills[%d].competency_id", i), sk.CompetencyID)
		if sk.LevelID == "" || len(sk.LevelID) > maxLevelID {
			v.Add(fmt.Sprintf("skills[%d].level_id", i), "must be 1 to %d characters, got %.80q", maxLevelID, sk.LevelID)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := credential.CheckHolderID(req.HolderID); err != nil {
		return nil, refuse(ErrHolderIDNotPseudonymous, "holder_id", "%v", err)
	}
	if err := checkSkillList(req.Skills); err != nil {
		return nil, err
	}
	req.ValidFrom = req.ValidFrom.UTC().Round(0).Truncate(time.Second)
	req.ValidUntil = req.ValidUntil.UTC().Round(0).Truncate(time.Second)
	p := &pending{req: req, actorID: actor.ID}
	if req.RequestID == "" {
		// Nothing to replay or to protect from reuse.
		return p, nil
	}
	var err error
	p.fp, err = requests.Fingerprint(issueContent{
		IssuerID: req.IssuerID, SectorID: req.SectorID, ProfileID: req.ProfileID, Version: req.Version,
		HolderID: req.HolderID, HolderKey: thumb, Skills: req.Skills,
		ValidFrom: req.ValidFrom, ValidUntil: req.ValidUntil,
	})
	if err != nil {
		return nil, err
	}
	// In clear until issueOnce keys both with the deployment secret.
	p.key = requests.Key(actor.ID, "IssueCredential", req.RequestID)
	return p, nil
}

// holderKeyThumbprint identifies the holder key for the fingerprint; the
// key's full check is credential.New's.
func holderKeyThumbprint(v *model.Violations, req IssueRequest) string {
	if req.HolderKey == nil {
		return ""
	}
	if req.HolderKey.Key == nil || !req.HolderKey.Valid() {
		v.Add("holder_key", "is not a valid JWK")
		return ""
	}
	if !req.HolderKey.IsPublic() {
		// The holder's private key must never leave the wallet; one that
		// did is not bound into a credential as if it were safe. The
		// message never repeats it.
		v.Add("holder_key", "is a private or symmetric key; send only the public key")
		return ""
	}
	pub := req.HolderKey.Public()
	t, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		v.Add("holder_key", "has no thumbprint: %v", err)
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(t)
}

// checkSkillList refuses an empty list and a competency awarded twice.
func checkSkillList(skills []Skill) error {
	if len(skills) == 0 {
		return refuse(ErrNoSkills, "skills", "needs at least one skill")
	}
	seen := make(map[string]int, len(skills))
	for i, sk := range skills {
		if j, dup := seen[sk.CompetencyID]; dup {
			return refuse(ErrDuplicateCompetency, fmt.Sprintf("skills[%d].competency_id", i),
				"awards competency %q again (also skills[%d])", sk.CompetencyID, j)
		}
		seen[sk.CompetencyID] = i
	}
	return nil
}

// checkSkillsInProfile refuses competencies the profile version lacks and
// levels off a competency's scale, naming every offending field.
func checkSkillsInProfile(skills []Skill, p *model.ProfileVersion) error {
	var missing, offScale model.Violations
	for i, sk := range skills {
		c := p.Competency(sk.CompetencyID)
		if c == nil {
			missing.Add(fmt.Sprintf("skills[%d].competency_id", i), "competency %q is not in %s",
				sk.CompetencyID, model.ProfileVersionName(p.SectorID, p.ProfileID, p.Version))
			continue
		}
		if c.LevelIndex(sk.LevelID) < 0 {
			ids := make([]string, len(c.Levels))
			for j, l := range c.Levels {
				ids[j] = l.ID
			}
			offScale.Add(fmt.Sprintf("skills[%d].level_id", i), "level %q is not on the scale of competency %q, which has %q",
				sk.LevelID, c.ID, ids)
		}
	}
	if err := missing.Err(); err != nil {
		return &refusal{sentinel: ErrCompetencyNotInProfile, fields: err}
	}
	if err := offScale.Err(); err != nil {
		return &refusal{sentinel: ErrLevelOffScale, fields: err}
	}
	return nil
}

// window works out the validity window to grant at now: a zero valid_from
// is now, a zero valid_until is valid_from + maxValidity.
func window(req IssueRequest, now time.Time, maxValidity time.Duration) (from, until time.Time, err error) {
	from, until = req.ValidFrom, req.ValidUntil
	if from.IsZero() {
		from = now
	}
	switch {
	case from.Before(now.Add(-backdateTolerance)):
		return from, until, refuse(ErrValidityNotGrantable, "valid_from", "is %s, more than %s before now (%s); credentials cannot be backdated",
			rfc3339(from), backdateTolerance, rfc3339(now))
	case from.After(now.Add(MaxStartAhead)):
		return from, until, refuse(ErrValidityNotGrantable, "valid_from", "is %s, more than %s after now (%s)",
			rfc3339(from), MaxStartAhead, rfc3339(now))
	}
	if until.IsZero() {
		until = from.Add(maxValidity)
	}
	switch {
	case !until.After(from):
		return from, until, refuse(ErrValidityNotGrantable, "valid_until", "is %s; it must be after valid_from %s", rfc3339(until), rfc3339(from))
	case until.Sub(from) > maxValidity:
		return from, until, refuse(ErrValidityNotGrantable, "valid_until", "is %s after valid_from; at most %s may be granted",
			until.Sub(from), maxValidity)
	}
	return from, until, nil
}

// checkWindowAccredited refuses a credential that would start after the
// accreditation it is issued under has ended.
func checkWindowAccredited(from time.Time, acc *model.Accreditation) error {
	if !acc.ValidUntil.IsZero() && !from.Before(acc.ValidUntil) {
		return refuse(ErrValidityNotGrantable, "valid_from", "is %s, not before the end of accreditation %s at %s",
			rfc3339(from), model.AccreditationName(acc.IssuerID, acc.ID), rfc3339(acc.ValidUntil))
	}
	return nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// maxLevelID bounds a level id, as the registry's id rules do.
const maxLevelID = 63
