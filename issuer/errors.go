package issuer

import (
	"fmt"
	"strings"

	"github.com/skillpass-nl/skillpass/model"
)

// Refusals of Issue. Each is a *model.Error with a stable reason that the
// transport maps in its one table. An unknown issuer, an unknown profile
// version and one that is not PUBLISHED are refused with the model's own
// sentinels (model.ErrIssuerUnknown, model.ErrProfileUnknown,
// model.ErrProfileNotPublished), which the transport maps already; a
// missing signing key is keys.ErrNoSigningKey.
var (
	// ErrNotAccredited: the issuer holds no accreditation that covers the
	// profile version now. The error is an *AccreditationRefusal that says
	// why (model.Check* reason).
	ErrNotAccredited = &model.Error{Reason: "NOT_ACCREDITED", Msg: "issuer is not accredited for this profile version now"}
	// ErrCompetencyNotInProfile: a skill names a competency the profile
	// version does not have.
	ErrCompetencyNotInProfile = &model.Error{Reason: "COMPETENCY_NOT_IN_PROFILE", Msg: "competency is not part of the profile version"}
	// ErrLevelOffScale: a skill's level is not on its competency's scale.
	ErrLevelOffScale = &model.Error{Reason: "LEVEL_NOT_ON_SCALE", Msg: "level is not on the competency's scale"}
	// ErrDuplicateCompetency: one request awards the same competency twice.
	ErrDuplicateCompetency = &model.Error{Reason: "DUPLICATE_COMPETENCY", Msg: "competency is awarded more than once"}
	// ErrNoSkills: a credential must award at least one competency.
	ErrNoSkills = &model.Error{Reason: "NO_SKILLS", Msg: "credential awards no competency"}
	// ErrValidityNotGrantable: the validity window asks for more than the
	// issuer may grant (backdated, too far ahead, too long, empty, or
	// starting after its accreditation ends).
	ErrValidityNotGrantable = &model.Error{Reason: "VALIDITY_NOT_GRANTABLE", Msg: "validity window cannot be granted"}
	// ErrHolderIDNotPseudonymous: the holder id is not a did: or urn: URI,
	// for instance an e-mail address. Nothing personal may enter a
	// credential's subject id.
	ErrHolderIDNotPseudonymous = &model.Error{Reason: "HOLDER_ID_NOT_PSEUDONYMOUS", Msg: "holder id must be a pseudonymous did: or urn: URI"}
	// ErrBatchTooLarge: IssueBatch got more than MaxBatch items.
	ErrBatchTooLarge = &model.Error{Reason: "BATCH_TOO_LARGE", Msg: "batch has too many items"}
)

// refusal is a refusal that is also about one request field: errors.Is
// finds its sentinel, and errors.As finds the *model.ValidationError
// naming the field, so the transport can answer InvalidArgument with the
// field violation while tests and clients can still tell refusals apart.
type refusal struct {
	sentinel *model.Error
	fields   error // *model.ValidationError
}

func (r *refusal) Error() string { return r.sentinel.Msg + ": " + r.fields.Error() }

func (r *refusal) Unwrap() []error { return []error{r.sentinel, r.fields} }

// refuse returns a field refusal of kind sentinel for field.
func refuse(sentinel *model.Error, field, format string, args ...any) error {
	return &refusal{sentinel: sentinel, fields: model.Invalid(field, format, args...)}
}

// AccreditationRefusal says why an issuer may not issue for a profile
// version now. It wraps ErrNotAccredited.
type AccreditationRefusal struct {
	IssuerID, SectorID, ProfileID string
	Version                       int32
	// Check is the model.Check* reason model.BestAccreditation gave, e.g.
	// SUSPENDED or VERSION_NOT_COVERED.
	Check string
	// AccreditationID is the closest accreditation, "" if there is none.
	AccreditationID string
}

func (e *AccreditationRefusal) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: issuer %q for %s (%s)", ErrNotAccredited.Msg, e.IssuerID,
		model.ProfileVersionName(e.SectorID, e.ProfileID, e.Version), e.Check)
	if e.AccreditationID != "" {
		fmt.Fprintf(&b, "; closest accreditation %s", model.AccreditationName(e.IssuerID, e.AccreditationID))
	}
	return b.String()
}

func (e *AccreditationRefusal) Unwrap() error { return ErrNotAccredited }
