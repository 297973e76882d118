package credential

import (
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// Limits on what one credential may carry. A credential must stay below
// MaxTokenBytes once signed; Sign reports it if the whole still does not fit.
const (
	MaxEvidencePerSkill = 10
	maxEvidenceName     = 200
)

// Skill is one competency to award, as the issuer asks for it.
type Skill struct {
	CompetencyID string
	LevelID      string
	Method       string // one of AssessmentMethods
	Evidence     []EvidenceRef
}

// EvidenceRef points at proof of a skill without embedding it.
type EvidenceRef struct {
	URL    string // https
	Name   string // optional
	Digest string // optional "sha256:<hex>" of the document
}

// BuildInput is everything New needs. The caller has already decided that
// the issuer may issue it (accreditation, published profile, validity
// policy); New checks that the content is well-formed and consistent with
// the profile version.
type BuildInput struct {
	BaseURL string
	Issuer  *model.Issuer
	Sector  *model.Sector
	Profile *model.ProfileVersion // with its Digest
	// CredentialID is a UUID in canonical lower-case form; the credential's
	// id is "urn:uuid:" + CredentialID.
	CredentialID string
	HolderID     string           // pseudonymous: a did: or urn: URI
	HolderKey    *jose.JSONWebKey // optional; only its public part is used
	Skills       []Skill
	// StatusList and StatusIndex locate the credential's bit in both of the
	// issuer's lists of that number (revocation and suspension), each of
	// StatusListBits entries (statuslist.DefaultBits if 0).
	StatusList     int32
	StatusIndex    int
	StatusListBits int
	ValidFrom      time.Time // required; kept to the second
	ValidUntil     time.Time // zero: no end
	IssuedAt       time.Time // the signing time (iat), to the second
}

// New assembles a credential. Invalid input is a *model.ValidationError
// naming request fields ("skills[2].level_id"); New never signs.
func New(in BuildInput) (*Credential, error) {
	if err := checkRefs(in); err != nil {
		return nil, err
	}
	var v model.Violations
	profileURL := ProfileURL(in.BaseURL, in.Profile.SectorID, in.Profile.ProfileID, in.Profile.Version)
	sri, err := DigestSRI(in.Profile.Digest)
	if err != nil {
		v.Add("profile.digest", "%v (is the profile version published?)", err)
	}
	if !uuidPattern.MatchString(in.CredentialID) {
		v.Add("credential_id", "must be a UUID in lower-case canonical form, got %q", clip(in.CredentialID))
	}
	if err := CheckHolderID(in.HolderID); err != nil {
		v.Add("holder_id", "%v", err)
	}
	cnf, err := confirmation(in.HolderKey)
	if err != nil {
		v.Add("holder_key", "%v", err)
	}
	subject, evidence := buildSkills(&v, in, profileURL)
	status := buildStatus(&v, in)
	checkWindow(&v, in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	issuerURL := IssuerURL(in.BaseURL, in.Issuer.ID)
	subject.ID = in.HolderID
	return &Credential{
		Context:           []string{ContextVC, ContextOB, ContextSkil},
		ID:                uuidPrefix + in.CredentialID,
		Type:              []string{TypeVerifiableCredential, TypeOpenBadgeCredential},
		Issuer:            Issuer{ID: issuerURL, Type: []string{typeProfile}, Name: in.Issuer.LegalName},
		Name:              english(in.Profile.Name),
		ValidFrom:         formatTime(in.ValidFrom),
		ValidUntil:        formatTime(in.ValidUntil),
		CredentialSubject: subject,
		CredentialStatus:  status,
		RelatedResource:   []RelatedResource{{ID: profileURL, DigestSRI: sri}},
		Evidence:          evidence,
		Iss:               issuerURL,
		Iat:               in.IssuedAt.Unix(),
		Cnf:               cnf,
	}, nil
}

// checkRefs rejects missing registry records and a bad base URL: these are
// the caller's wiring, not the request's content.
func checkRefs(in BuildInput) error {
	switch {
	case in.Issuer == nil:
		return model.Invalid("issuer", "is required")
	case in.Sector == nil:
		return model.Invalid("sector", "is required")
	case in.Profile == nil:
		return model.Invalid("profile", "is required")
	case in.Profile.SectorID != in.Sector.ID:
		return model.Invalid("profile", "belongs to sector %q, not %q", in.Profile.SectorID, in.Sector.ID)
	}
	return CheckBaseURL("base_url", in.BaseURL)
}

// buildSkills turns the requested skills into the subject's achievements
// and results, and their evidence, one achievement per competency.
func buildSkills(v *model.Violations, in BuildInput, profileURL string) (Subject, []Evidence) {
	s := Subject{Type: []string{typeSubject}}
	if len(in.Skills) == 0 {
		v.Add("skills", "needs at least one skill")
	}
	var evidence []Evidence
	seen := make(map[string]int, len(in.Skills))
	for i, sk := range in.Skills {
		f := fmt.Sprintf("skills[%d]", i)
		c := in.Profile.Competency(sk.CompetencyID)
		if c == nil {
			v.Add(f+".competency_id", "competency %q is not in profile %s version %d", clip(sk.CompetencyID), in.Profile.ProfileID, in.Profile.Version)
			continue
		}
		if j, dup := seen[c.ID]; dup {
			v.Add(f+".competency_id", "awards competency %q again (also skills[%d])", c.ID, j)
			continue
		}
		seen[c.ID] = i
		if c.LevelIndex(sk.LevelID) < 0 {
			v.Add(f+".level_id", "level %q is not on the scale of competency %q (%s)", clip(sk.LevelID), c.ID, levelIDs(c))
		}
		if !slices.Contains(AssessmentMethods, sk.Method) {
			v.Add(f+".method", "must be one of %v, got %q", AssessmentMethods, clip(sk.Method))
		}
		a := AchievementFor(in.BaseURL, in.Sector, in.Profile, c)
		s.Achievement = append(s.Achievement, a)
		s.Result = append(s.Result, Result{
			Type:              []string{typeResult},
			ResultDescription: ResultDescriptionID(a.ID),
			AchievedLevel:     LevelID(a.ID, sk.LevelID),
			Value:             sk.LevelID,
			AssessmentMethod:  sk.Method,
		})
		evidence = append(evidence, buildEvidence(v, f, sk, a.ID)...)
	}
	return s, evidence
}

func buildEvidence(v *model.Violations, field string, sk Skill, achievementID string) []Evidence {
	if len(sk.Evidence) > MaxEvidencePerSkill {
		v.Add(field+".evidence", "must have at most %d references, got %d", MaxEvidencePerSkill, len(sk.Evidence))
		return nil
	}
	out := make([]Evidence, 0, len(sk.Evidence))
	for j, ref := range sk.Evidence {
		f := fmt.Sprintf("%s.evidence[%d]", field, j)
		if err := checkHTTPSURL(ref.URL); err != nil {
			v.Add(f+".url", "%v", err)
		}
		if err := checkText(ref.Name, maxEvidenceName); err != nil {
			v.Add(f+".name", "%v", err)
		}
		e := Evidence{ID: ref.URL, Type: []string{typeEvidence}, Name: ref.Name, Genre: sk.Method, Competency: achievementID}
		if ref.Digest != "" {
			mb, err := DigestMultibase(ref.Digest)
			if err != nil {
				v.Add(f+".digest", "%v", err)
			}
			e.DigestMultibase = mb
		}
		out = append(out, e)
	}
	return out
}

func buildStatus(v *model.Violations, in BuildInput) []statuslist.Entry {
	bits := in.StatusListBits
	if bits == 0 {
		bits = statuslist.DefaultBits
	}
	if in.StatusList < 0 {
		v.Add("status_list", "must not be negative, got %d", in.StatusList)
		return nil
	}
	var out []statuslist.Entry
	for _, purpose := range []statuslist.Purpose{statuslist.PurposeRevocation, statuslist.PurposeSuspension} {
		e, err := statuslist.NewEntry(StatusListURL(in.BaseURL, in.Issuer.ID, purpose, in.StatusList), purpose, in.StatusIndex, bits)
		if err != nil {
			v.Add("status_index", "%v", err)
			return nil
		}
		out = append(out, e)
	}
	return out
}

func checkWindow(v *model.Violations, in BuildInput) {
	switch {
	case in.ValidFrom.IsZero():
		v.Add("valid_from", "is required")
	case !in.ValidUntil.IsZero() && !in.ValidUntil.Truncate(time.Second).After(in.ValidFrom.Truncate(time.Second)):
		v.Add("valid_until", "must be at least a second after valid_from (%s), got %s", formatTime(in.ValidFrom), formatTime(in.ValidUntil))
	}
	if in.IssuedAt.Unix() <= 0 {
		v.Add("issued_at", "must be after 1970-01-01T00:00:00Z, got %s", in.IssuedAt.UTC().Format(time.RFC3339))
	}
}

// confirmation is the cnf claim for a holder key: its public part only,
// which must be a key type wallets use for proofs of possession.
func confirmation(k *jose.JSONWebKey) (*Confirmation, error) {
	if k == nil {
		return nil, nil
	}
	pub := k.Public()
	if err := checkHolderKey(&pub); err != nil {
		return nil, err
	}
	return &Confirmation{JWK: &pub}, nil
}

func levelIDs(c *model.Competency) string {
	ids := make([]string, len(c.Levels))
	for i, l := range c.Levels {
		ids[i] = l.ID
	}
	return fmt.Sprintf("levels %q", ids)
}

// formatTime is the one time format of credentials: RFC 3339 in UTC to the
// second; the zero time is absent.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}
