// Package verifier verifies Skillpass credentials and passports and
// explains the verdict item by item (DESIGN.md trust rule 4). It needs no
// caller identity and reads only through store.Reader, so it cannot
// write. It knows nothing of gRPC.
package verifier

import (
	"context"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// Config holds the Service's dependencies.
type Config struct {
	Store store.Reader
	// BaseURL is the public base URL issuer ids and status lists live
	// under (the same as the issuer's); credentials naming another origin
	// are not Skillpass's to vouch for.
	BaseURL string
	// CacheEntries bounds the verdict cache (keyed by token hash); 0: 10000.
	CacheEntries int
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// Service verifies credentials. It is safe for concurrent use.
type Service struct {
	st    store.Reader
	base  string
	now   func() time.Time
	cache *verdictCache
	reg   generation[registrySnap]
	keys  generation[keysSnap]
	stat  generation[statusSnap]
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) { return newService(cfg) }

// Verdict values.
const (
	Valid   = "VALID"
	Invalid = "INVALID"
)

// CheckName names one item of a verdict, in the order they are listed.
type CheckName string

// The checks of trust rule 4, in verdict order.
const (
	CheckFormat          CheckName = "FORMAT"
	CheckAlgorithm       CheckName = "ALGORITHM"
	CheckSignature       CheckName = "SIGNATURE"
	CheckKey             CheckName = "KEY_STATE"
	CheckIssuer          CheckName = "ISSUER_REGISTERED"
	CheckAccreditation   CheckName = "ACCREDITATION_AT_ISSUANCE"
	CheckProfile         CheckName = "PROFILE"
	CheckCompetencies    CheckName = "COMPETENCIES"
	CheckValidity        CheckName = "VALIDITY_PERIOD"
	CheckStatus          CheckName = "STATUS"
	CheckCurrentStanding CheckName = "ISSUER_CURRENT_STANDING"
)

// Outcome of one check.
type Outcome string

// Outcomes. INFO is for items that never fail a verdict (current
// standing); SKIPPED for items that could not be judged because an
// earlier item failed.
const (
	Pass    Outcome = "PASS"
	Fail    Outcome = "FAIL"
	Info    Outcome = "INFO"
	Skipped Outcome = "SKIPPED"
)

// Check is one item of a verdict.
type Check struct {
	Name    CheckName
	Outcome Outcome
	// Reason is a stable machine-readable code, e.g. "OK",
	// "SIGNATURE_INVALID", "REVOKED", "NOT_ACCREDITED_AT_ISSUANCE".
	Reason string
	// Message is a plain sentence in Dutch and English.
	Message model.Text
}

// Verdict is the answer for one credential.
type Verdict struct {
	Verdict string // Valid or Invalid
	Checks  []Check
	// Content is the decoded credential made readable; nil if the token
	// could not be parsed.
	Content *Content
	// TokenHash is the SHA-256 of the token; zero for a token larger than
	// credential.MaxTokenBytes, which is refused unread.
	TokenHash [32]byte
	// Cached tells that the verdict came from the cache.
	Cached bool
}

// Content is what a credential says, with registry names resolved.
type Content struct {
	CredentialID   string
	IssuerID       string
	IssuerName     string
	IssuerURL      string
	SectorID       string
	SectorName     model.Text
	ProfileID      string
	ProfileVersion int32
	ProfileName    model.Text
	ProfileDigest  string
	HolderID       string
	HolderKeyBound bool
	Competencies   []Competency
	IssuedAt       time.Time
	ValidFrom      time.Time
	ValidUntil     time.Time
}

// Competency is one awarded competency made readable.
type Competency struct {
	// ID is the competency id, or the token's achievement id if the
	// registry does not know the competency.
	ID         string
	Name       model.Text
	LevelID    string
	LevelName  model.Text
	LevelRank  int // 1-based position on the scale
	LevelCount int
	Method     string
	Alignments []model.Alignment
}

// Verify verifies one compact JWS. Every problem with the token is in
// the verdict; the error is only for failures of Skillpass itself (store
// unavailable, context cancelled).
func (s *Service) Verify(ctx context.Context, token string) (*Verdict, error) {
	return s.verifyCached(ctx, token)
}

// PassportVerdict is the answer for a holder's passport.
type PassportVerdict struct {
	Credentials []*Verdict
	// Summary lists each competency proven by at least one VALID
	// credential, at the highest level any of them shows.
	Summary []SummaryItem
	// Valid and Invalid count the credentials; HolderConsistent tells
	// whether every parsed credential names the same holder.
	Valid, Invalid   int
	HolderConsistent bool
}

// SummaryItem is one verified competency across a passport.
type SummaryItem struct {
	SectorID, ProfileID string
	ProfileVersion      int32
	Competency          Competency
	CredentialIDs       []string
}

// MaxPassportCredentials bounds the credentials of one VerifyPassport call.
const MaxPassportCredentials = 200

// VerifyPassport verifies many credentials of one holder: at least one and
// at most MaxPassportCredentials, else a *model.ValidationError on
// "tokens".
func (s *Service) VerifyPassport(ctx context.Context, tokens []string) (*PassportVerdict, error) {
	return s.verifyPassport(ctx, tokens)
}
