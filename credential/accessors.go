package credential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// Accessors for the verifier and the issuer. They assume a credential that
// Parse or New produced (so times and entries are well-formed); the
// methods taking a base URL also check that the credential's references
// point where Skillpass's URL scheme says they must.

// UUID is the credential's id without the "urn:uuid:" prefix.
func (c *Credential) UUID() string { return strings.TrimPrefix(c.ID, uuidPrefix) }

// HolderID is the pseudonymous holder id of the subject.
func (c *Credential) HolderID() string { return c.CredentialSubject.ID }

// ValidFromTime is validFrom as a time.
func (c *Credential) ValidFromTime() time.Time { return mustTime(c.ValidFrom) }

// ValidUntilTime is validUntil as a time; zero if the credential has none.
func (c *Credential) ValidUntilTime() time.Time { return mustTime(c.ValidUntil) }

// IssuedAt is the signing time iat, in UTC.
func (c *Credential) IssuedAt() time.Time { return time.Unix(c.Iat, 0).UTC() }

// Status returns the entry for purpose with its parsed index.
func (c *Credential) Status(purpose statuslist.Purpose) (statuslist.Entry, int, bool) {
	for _, e := range c.CredentialStatus {
		if e.StatusPurpose == purpose {
			i, err := e.Index(statuslist.MaxBits)
			return e, i, err == nil
		}
	}
	return statuslist.Entry{}, 0, false
}

// IssuerID returns the issuer id that issuer.id names under base.
func (c *Credential) IssuerID(base string) (string, error) {
	id, err := ParseIssuerURL(base, c.Issuer.ID)
	if err != nil {
		return "", atField("issuer.id", err)
	}
	return id, nil
}

// ProfileRef names the profile version a credential is issued against,
// with the digest it quotes.
type ProfileRef struct {
	SectorID  string
	ProfileID string
	Version   int32
	Digest    string // "sha256:<hex>", as model.ProfileDigest writes it
}

// Profile returns the profile version that relatedResource pins, under
// base.
func (c *Credential) Profile(base string) (ProfileRef, error) {
	if len(c.RelatedResource) != 1 {
		return ProfileRef{}, notCredential("relatedResource", "has %d entries, want exactly the profile version", len(c.RelatedResource))
	}
	r := c.RelatedResource[0]
	sector, profile, version, err := ParseProfileURL(base, r.ID)
	if err != nil {
		return ProfileRef{}, atField("relatedResource[0].id", err)
	}
	digest, err := ParseDigestSRI(r.DigestSRI)
	if err != nil {
		return ProfileRef{}, atField("relatedResource[0].digestSRI", err)
	}
	return ProfileRef{SectorID: sector, ProfileID: profile, Version: version, Digest: digest}, nil
}

// Awarded is one competency a credential awards.
type Awarded struct {
	CompetencyID string
	LevelID      string
	Method       string
	// Achievement is the token's achievement; the verifier compares it
	// with AchievementFor built from the registry.
	Achievement *Achievement
	Evidence    []Evidence
}

// Awarded lists the awarded competencies in credential order. Every
// achievement must belong to the profile version of relatedResource.
func (c *Credential) Awarded(base string) ([]Awarded, error) {
	ref, err := c.Profile(base)
	if err != nil {
		return nil, err
	}
	prefix := ProfileURL(base, ref.SectorID, ref.ProfileID, ref.Version) + "#"
	s := &c.CredentialSubject
	out := make([]Awarded, len(s.Achievement))
	for i := range s.Achievement {
		a := &s.Achievement[i]
		id, ok := strings.CutPrefix(a.ID, prefix)
		if !ok || !model.ValidID(id) {
			return nil, notCredential(fmt.Sprintf("credentialSubject.achievement[%d].id", i), "%q is not a competency of %s", clip(a.ID), strings.TrimSuffix(prefix, "#"))
		}
		out[i] = Awarded{CompetencyID: id, LevelID: s.Result[i].Value, Method: s.Result[i].AssessmentMethod, Achievement: a}
		for _, e := range c.Evidence {
			if e.Competency == a.ID {
				out[i].Evidence = append(out[i].Evidence, e)
			}
		}
	}
	return out, nil
}

// StatusRef locates a credential's bit: the same index in the issuer's
// revocation and suspension lists of one number.
type StatusRef struct {
	IssuerID string
	List     int32
	Index    int
}

// StatusPosition checks that both status entries name lists of the
// credential's own issuer under base, of one number, and returns where.
func (c *Credential) StatusPosition(base string) (StatusRef, error) {
	issuerID, err := c.IssuerID(base)
	if err != nil {
		return StatusRef{}, err
	}
	var ref StatusRef
	for i, e := range c.CredentialStatus {
		f := fmt.Sprintf("credentialStatus[%d].statusListCredential", i)
		owner, purpose, list, err := ParseStatusListURL(base, e.StatusListCredential)
		if err != nil {
			return StatusRef{}, atField(f, err)
		}
		index, err := e.Index(statuslist.MaxBits)
		switch {
		case err != nil:
			return StatusRef{}, fmt.Errorf("%w: credentialStatus[%d].%w", ErrNotCredential, i, err)
		case owner != issuerID:
			return StatusRef{}, notCredential(f, "is a list of issuer %q, not of the credential's issuer %q", owner, issuerID)
		case purpose != e.StatusPurpose:
			return StatusRef{}, notCredential(f, "is a %s list but the entry's statusPurpose is %s", purpose, e.StatusPurpose)
		case i > 0 && (list != ref.List || index != ref.Index):
			return StatusRef{}, notCredential(f, "list %d index %d differs from list %d index %d of credentialStatus[0]", list, index, ref.List, ref.Index)
		}
		ref = StatusRef{IssuerID: issuerID, List: list, Index: index}
	}
	if len(c.CredentialStatus) == 0 {
		return StatusRef{}, notCredential("credentialStatus", "is empty")
	}
	return ref, nil
}

// mustTime parses a time Parse or New has already checked; anything else
// (an absent validUntil) is the zero time.
func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// jsonMarshal encodes v without HTML escaping, so names with "&" or "<"
// read in the payload as they were written.
func jsonMarshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode credential: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
