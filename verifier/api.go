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

// Content is what a credential says. Its names (issuer, sector, profile,
// competencies, levels) come from the registry only when Verified;
// otherwise every field is the token's own unverified claim.
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
	// Verified tells that the signature checked out with a key of the
	// issuer the credential names and that the key vouched for it at the
	// signing time (SIGNATURE and KEY_STATE passed), so the names above
	// are the registry's. False: the signature or the key did not hold;
	// the content shows only what the token claims, which a forger may have
	// written; a reader must present it as claims, never as "issued by".
	Verified bool
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
//
// A passport is one person's: an employer reading the summary must be able
// to believe that this person holds every competency in it. So the
// summary covers only the holder that the VALID credentials agree on;
// when VALID credentials name different holders there is no telling whose
// passport it is, the summary is empty and the PASSPORT_HOLDER item fails.
// Each credential's own verdict is unaffected: it says what that
// credential proves, about whom it names.
type PassportVerdict struct {
	// Credentials has one verdict per token, in the order given; a repeat
	// (see DuplicateOf) carries a copy of the first one's verdict.
	Credentials []*Verdict
	// Summary lists each competency proven by at least one VALID
	// credential of HolderID, at the highest level any of them shows;
	// empty when HolderID is "".
	Summary []SummaryItem
	// Valid and Invalid count distinct credentials: a repeat is not
	// counted again, so Valid+Invalid may be less than len(Credentials).
	Valid, Invalid int
	// HolderConsistent tells whether every parsed credential, valid or
	// not, names the same holder.
	HolderConsistent bool
	// HolderID is the holder every VALID credential names, whom the
	// summary is about; "" if no credential is valid or the valid ones
	// name different holders.
	HolderID string
	// Checks are the passport's own items, PASSPORT_HOLDER then
	// PASSPORT_DUPLICATES, each with an outcome, a stable reason and
	// sentences like a credential's.
	Checks []Check
	// DuplicateOf[i] is the index of the earlier entry that Credentials[i]
	// repeats, or -1. A repeat is the same token again, or another token
	// of a VALID credential already given (same issuer, same credential
	// id; an ES256 signature differs each time the same credential is
	// signed).
	DuplicateOf []int
}

// The passport's own items, after the verdicts of its credentials.
const (
	// CheckPassportHolder: the VALID credentials name one holder.
	CheckPassportHolder CheckName = "PASSPORT_HOLDER"
	// CheckPassportDuplicates: no credential is given twice (INFO if one
	// is; repeats are counted once).
	CheckPassportDuplicates CheckName = "PASSPORT_DUPLICATES"
)

// SummaryItem is one verified competency across a passport.
type SummaryItem struct {
	SectorID, ProfileID string
	ProfileVersion      int32
	Competency          Competency
	CredentialIDs       []string
}

// MaxPassportCredentials bounds the credentials of one VerifyPassport call.
const MaxPassportCredentials = 200

// MaxPassportBytes bounds the tokens of one VerifyPassport call together.
// A real credential is 2-3 KiB, so 2 MiB holds a full passport of
// MaxPassportCredentials at over 10 KiB each, while one call can no longer
// make the verifier parse MaxPassportCredentials tokens of
// credential.MaxTokenBytes (12.8 MiB).
const MaxPassportBytes = 2 << 20

// VerifyPassport verifies many credentials of one holder: at least one, at
// most MaxPassportCredentials and MaxPassportBytes together, else a
// *model.ValidationError on "tokens", returned before any token is read.
func (s *Service) VerifyPassport(ctx context.Context, tokens []string) (*PassportVerdict, error) {
	return s.verifyPassport(ctx, tokens)
}
