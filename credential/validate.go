package credential

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// validate checks everything about a credential that needs neither the
// registry nor the base URL. Sign runs it too, so Skillpass never signs
// what it would refuse to read. Errors wrap ErrNotCredential and name the
// JSON path, except an iss that differs from issuer.id (ErrIssuerMismatch).
func (c *Credential) validate() error {
	checks := []func() error{c.checkEnvelope, c.checkValidity, c.CredentialSubject.check, c.checkStatus, c.checkRelated, c.checkEvidence}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	if c.Iss != c.Issuer.ID {
		return fmt.Errorf("%w: iss %q, issuer.id %q", ErrIssuerMismatch, clip(c.Iss), clip(c.Issuer.ID))
	}
	if c.Iat <= 0 {
		return notCredential("iat", "must be a positive number of seconds since 1970, got %d", c.Iat)
	}
	if c.Cnf != nil {
		if err := checkHolderKey(c.Cnf.JWK); err != nil {
			return notCredential("cnf.jwk", "%v", err)
		}
	}
	return nil
}

func notCredential(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrNotCredential, field, fmt.Sprintf(format, args...))
}

// atField puts the JSON path of the checked field into an ErrNotCredential
// error from a helper that does not know where its input came from.
func atField(field string, err error) error {
	return notCredential(field, "%s", strings.TrimPrefix(err.Error(), ErrNotCredential.Error()+": "))
}

var credentialContext = []string{ContextVC, ContextOB, ContextSkil}

func (c *Credential) checkEnvelope() error {
	switch {
	case !slices.Equal(c.Context, credentialContext):
		return notCredential("@context", "must be exactly %q", credentialContext)
	case !slices.Contains(c.Type, TypeVerifiableCredential) || !slices.Contains(c.Type, TypeOpenBadgeCredential):
		return notCredential("type", "must contain %q and %q", TypeVerifiableCredential, TypeOpenBadgeCredential)
	case len(c.ID) != len(uuidPrefix)+36 || c.ID[:len(uuidPrefix)] != uuidPrefix || !isLowerUUID(c.ID[len(uuidPrefix):]):
		return notCredential("id", "must be urn:uuid: and a lower-case UUID, got %q", clip(c.ID))
	}
	if err := checkHTTPSURL(c.Issuer.ID); err != nil {
		return notCredential("issuer.id", "%v", err)
	}
	if !slices.Contains(c.Issuer.Type, typeProfile) {
		return notCredential("issuer.type", "must contain %q", typeProfile)
	}
	if err := checkName(c.Issuer.Name); err != nil {
		return notCredential("issuer.name", "%v", err)
	}
	if err := checkText(c.Name, model.MaxNameLength); err != nil {
		return notCredential("name", "%v", err)
	}
	return nil
}

func (c *Credential) checkValidity() error {
	from, err := parseTime(c.ValidFrom)
	if err != nil {
		return notCredential("validFrom", "%v", err)
	}
	if c.ValidUntil == "" {
		return nil
	}
	until, err := parseTime(c.ValidUntil)
	if err != nil {
		return notCredential("validUntil", "%v", err)
	}
	if until.Before(from) {
		return notCredential("validUntil", "%s is before validFrom %s", c.ValidUntil, c.ValidFrom)
	}
	return nil
}

// parseTime reads an XML Schema dateTimeStamp as RFC 3339, which requires
// the time zone that VCDM 2.0 demands.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("is required")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("got %q, want an RFC 3339 date-time with time zone", clip(s))
	}
	return t, nil
}

// check checks the subject's own consistency: each result refers to its
// achievement's level scale and names a level on it. Whether the scale is
// the registry's is the verifier's question (AchievementFor).
func (s *Subject) check() error {
	if err := CheckHolderID(s.ID); err != nil {
		return notCredential("credentialSubject.id", "%v", err)
	}
	if !slices.Contains(s.Type, typeSubject) {
		return notCredential("credentialSubject.type", "must contain %q", typeSubject)
	}
	switch n := len(s.Achievement); {
	case n == 0:
		return notCredential("credentialSubject.achievement", "needs at least one achievement")
	case n > model.MaxCompetencies:
		return notCredential("credentialSubject.achievement", "has %d achievements, at most %d are allowed", n, model.MaxCompetencies)
	case len(s.Result) != n:
		return notCredential("credentialSubject.result", "has %d results for %d achievements, want one each", len(s.Result), n)
	}
	seen := make(map[string]bool, len(s.Achievement))
	for i := range s.Achievement {
		a := &s.Achievement[i]
		f := elem{"credentialSubject.achievement", i}
		switch {
		case a.ID == "":
			return notCredential(f.field("id"), "is required")
		case seen[a.ID]:
			return notCredential(f.field("id"), "repeats achievement %q", clip(a.ID))
		case !slices.Contains(a.Type, typeAchievement):
			return notCredential(f.field("type"), "must contain %q", typeAchievement)
		case a.AchievementType != achievementCompetency:
			return notCredential(f.field("achievementType"), "got %q, want %q", clip(a.AchievementType), achievementCompetency)
		}
		seen[a.ID] = true
		if err := s.Result[i].check(elem{"credentialSubject.result", i}, a); err != nil {
			return err
		}
	}
	return nil
}

// elem is element i of a JSON list. Its paths are formatted only when an
// error quotes them: formatting them for every element of every credential
// read is measurable work on the verifier's hot path.
type elem struct {
	list string
	i    int
}

// field is the JSON path of member name of the element.
func (e elem) field(name string) string { return fmt.Sprintf("%s[%d].%s", e.list, e.i, name) }

func (r *Result) check(f elem, a *Achievement) error {
	if !slices.Contains(r.Type, typeResult) {
		return notCredential(f.field("type"), "must contain %q", typeResult)
	}
	i := slices.IndexFunc(a.ResultDescription, func(d ResultDescription) bool { return d.ID == r.ResultDescription })
	if i < 0 {
		return notCredential(f.field("resultDescription"), "%q is not a result description of achievement %q", clip(r.ResultDescription), clip(a.ID))
	}
	levels := a.ResultDescription[i].RubricCriterionLevel
	j := slices.IndexFunc(levels, func(l RubricCriterionLevel) bool { return l.ID == r.AchievedLevel })
	switch {
	case j < 0:
		return notCredential(f.field("achievedLevel"), "%q is not a level of %q", clip(r.AchievedLevel), clip(r.ResultDescription))
	case levels[j].Level != r.Value:
		return notCredential(f.field("value"), "got %q, but achievedLevel is level %q", clip(r.Value), clip(levels[j].Level))
	case !slices.Contains(AssessmentMethods, r.AssessmentMethod):
		return notCredential(f.field("assessmentMethod"), "must be one of %v, got %q", AssessmentMethods, clip(r.AssessmentMethod))
	}
	return nil
}

// checkStatus wants exactly one revocation and one suspension entry at the
// same index; which lists they name is checked against the base URL by
// StatusPosition.
func (c *Credential) checkStatus() error {
	if len(c.CredentialStatus) != 2 {
		return notCredential("credentialStatus", "has %d entries, want a revocation and a suspension entry", len(c.CredentialStatus))
	}
	for i, e := range c.CredentialStatus {
		if err := e.Validate(statuslist.MaxBits); err != nil {
			return fmt.Errorf("%w: credentialStatus[%d].%w", ErrNotCredential, i, err)
		}
	}
	a, b := c.CredentialStatus[0], c.CredentialStatus[1]
	switch {
	case a.StatusPurpose == b.StatusPurpose:
		return notCredential("credentialStatus", "has two %s entries, want one revocation and one suspension entry", a.StatusPurpose)
	case a.StatusListIndex != b.StatusListIndex:
		return notCredential("credentialStatus[1].statusListIndex", "%s differs from %s: both lists must use one index", b.StatusListIndex, a.StatusListIndex)
	}
	return nil
}

func (c *Credential) checkRelated() error {
	if len(c.RelatedResource) != 1 {
		return notCredential("relatedResource", "has %d entries, want exactly the profile version", len(c.RelatedResource))
	}
	r := c.RelatedResource[0]
	if err := checkHTTPSURL(r.ID); err != nil {
		return notCredential("relatedResource[0].id", "%v", err)
	}
	if _, err := digestOfSRI(r.DigestSRI); err != nil {
		return atField("relatedResource[0].digestSRI", err)
	}
	return nil
}

func (c *Credential) checkEvidence() error {
	if n := len(c.Evidence); n > MaxEvidencePerSkill*len(c.CredentialSubject.Achievement) {
		return notCredential("evidence", "has %d references, at most %d per achievement are allowed", n, MaxEvidencePerSkill)
	}
	for i, e := range c.Evidence {
		f := elem{"evidence", i}
		if !slices.Contains(e.Type, typeEvidence) {
			return notCredential(f.field("type"), "must contain %q", typeEvidence)
		}
		if err := checkHTTPSURL(e.ID); err != nil {
			return notCredential(f.field("id"), "%v", err)
		}
		if err := checkText(e.Name, maxEvidenceName); err != nil {
			return notCredential(f.field("name"), "%v", err)
		}
		k := slices.IndexFunc(c.CredentialSubject.Achievement, func(a Achievement) bool { return a.ID == e.Competency })
		if k < 0 {
			return notCredential(f.field("competency"), "%q is not an achievement of this credential", clip(e.Competency))
		}
		if method := c.CredentialSubject.Result[k].AssessmentMethod; e.Genre != method {
			return notCredential(f.field("genre"), "got %q, but the competency was assessed by %q", clip(e.Genre), method)
		}
		if e.DigestMultibase != "" {
			if _, err := digestOfMultibase(e.DigestMultibase); err != nil {
				return atField(f.field("digestMultibase"), err)
			}
		}
	}
	return nil
}
