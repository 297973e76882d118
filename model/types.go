package model

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"time"
)

// Text is a display text in Dutch and English.
type Text struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// Sector is a branch of the labour market with the authority that governs
// its competency profiles.
type Sector struct {
	ID         string
	Name       Text
	Authority  string
	CreateTime time.Time
	UpdateTime time.Time
}

// ProfileState is the lifecycle state of a profile version.
type ProfileState string

// Profile states. DRAFT -> PUBLISHED -> RETIRED, never back.
const (
	ProfileDraft     ProfileState = "DRAFT"
	ProfilePublished ProfileState = "PUBLISHED"
	ProfileRetired   ProfileState = "RETIRED"
)

// Framework identifies a skills framework a competency is aligned to.
type Framework string

// Frameworks Skillpass aligns to.
const (
	FrameworkESCO        Framework = "ESCO"
	FrameworkCompetentNL Framework = "CompetentNL"
)

// NLQFLevel is a level of the Dutch qualifications framework: "entry"
// (instroomniveau) or "1".."8".
type NLQFLevel string

// NLQFEntry is the entry level, below NLQF 1, with no EQF counterpart.
const NLQFEntry NLQFLevel = "entry"

// EQF returns the EQF level that the NLQF level corresponds to: NLQF n is
// EQF n; the entry level has none (0).
func (l NLQFLevel) EQF() int {
	if len(l) == 1 && l[0] >= '1' && l[0] <= '8' {
		return int(l[0] - '0')
	}
	return 0
}

// Valid reports whether l is a known NLQF level.
func (l NLQFLevel) Valid() bool { return l == NLQFEntry || l.EQF() != 0 }

// Alignment ties a competency to a framework entry.
type Alignment struct {
	Framework        Framework `json:"framework"`
	FrameworkVersion string    `json:"frameworkVersion"`
	TargetURL        string    `json:"targetUrl,omitempty"`
	TargetCode       string    `json:"targetCode,omitempty"`
	TargetName       string    `json:"targetName,omitempty"`
}

// Level is one step of a competency's level scale.
type Level struct {
	ID          string
	Name        Text
	Description Text
}

// Competency is one skill of a profile with its alignments and level scale.
type Competency struct {
	ID          string
	Name        Text
	Description Text
	Alignments  []Alignment
	Levels      []Level // ordered, lowest first
}

// LevelIndex returns the position of level id on the competency's scale, or
// -1 if the scale has no such level.
func (c *Competency) LevelIndex(id string) int {
	return slices.IndexFunc(c.Levels, func(l Level) bool { return l.ID == id })
}

// ProfileVersion is one version of a sector's competency profile. Once
// published it never changes; its Digest is what credentials quote.
type ProfileVersion struct {
	SectorID     string
	ProfileID    string
	Version      int32
	Name         Text
	Description  Text
	NLQFLevel    NLQFLevel
	Competencies []Competency
	ReviewBy     string // YYYY-MM-DD
	State        ProfileState
	Digest       string // "sha256:<hex>", set on publish
	CreateTime   time.Time
	UpdateTime   time.Time
	PublishTime  time.Time
	RetireTime   time.Time
}

// Competency returns the competency with the given id, or nil.
func (p *ProfileVersion) Competency(id string) *Competency {
	for i := range p.Competencies {
		if p.Competencies[i].ID == id {
			return &p.Competencies[i]
		}
	}
	return nil
}

// Contact is an issuer's organisational contact. No personal data.
type Contact struct {
	Email   string
	Website string
	Phone   string
}

// Issuer is an organisation that awards skills credentials.
type Issuer struct {
	ID         string
	LegalName  string
	KvKNumber  string
	Contact    Contact
	CreateTime time.Time
	UpdateTime time.Time
}

// AccreditationState is the state of an accreditation.
type AccreditationState string

// Accreditation states.
const (
	AccreditationActive    AccreditationState = "ACTIVE"
	AccreditationSuspended AccreditationState = "SUSPENDED"
	AccreditationWithdrawn AccreditationState = "WITHDRAWN"
)

// AccreditationEvent is one entry of an accreditation's append-only history.
type AccreditationEvent struct {
	State         AccreditationState
	Reason        string
	EffectiveTime time.Time
	RecordTime    time.Time
	Actor         string // principal id
}

// Accreditation lets an issuer award the competencies of a range of versions
// of one profile within a validity window.
type Accreditation struct {
	IssuerID   string
	ID         string
	SectorID   string
	ProfileID  string
	MinVersion int32
	MaxVersion int32 // 0: open-ended
	ValidFrom  time.Time
	ValidUntil time.Time // zero: open-ended
	Events     []AccreditationEvent
	CreateTime time.Time
}

// Principal is someone who may call Skillpass.
type Principal struct {
	ID          string
	Kind        PrincipalKind
	DisplayName string
	SectorIDs   []string // SECTOR_AUTHORITY only
	IssuerID    string   // ISSUER_CLIENT only
	CreateTime  time.Time
}

// PrincipalKind is the role of a principal.
type PrincipalKind string

// Principal kinds.
const (
	KindAnonymous       PrincipalKind = "ANONYMOUS"
	KindRoot            PrincipalKind = "ROOT"
	KindSectorAuthority PrincipalKind = "SECTOR_AUTHORITY"
	KindIssuerClient    PrincipalKind = "ISSUER_CLIENT"
)

// Anonymous is the principal of a call without a token.
var Anonymous = Principal{ID: "anonymous", Kind: KindAnonymous, DisplayName: "anonymous"}

// GovernsSector reports whether p may act as authority of the sector.
func (p Principal) GovernsSector(sectorID string) bool {
	return p.Kind == KindRoot || (p.Kind == KindSectorAuthority && slices.Contains(p.SectorIDs, sectorID))
}

// Token is a bearer token of a principal. Only the SHA-256 of its secret is
// ever stored.
type Token struct {
	PrincipalID string
	ID          string
	SecretHash  [32]byte
	Description string
	CreateTime  time.Time
	ExpireTime  time.Time
	RevokeTime  time.Time
}

// HashSecret returns the hash under which a token secret is stored. The
// secret carries 256 random bits, so a single SHA-256 is enough: there is
// nothing to brute-force.
func HashSecret(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }

// Matches reports, in constant time, whether secret is this token's secret.
func (t *Token) Matches(secret string) bool {
	h := HashSecret(secret)
	return subtle.ConstantTimeCompare(h[:], t.SecretHash[:]) == 1
}

// RequestRecord remembers the outcome of a mutating request so that a retry
// with the same request id gets the same answer.
type RequestRecord struct {
	Fingerprint [32]byte
	ResultName  string
	// Result is an optional opaque result body, for operations whose
	// answer cannot be rebuilt from ResultName (an issued credential's
	// JWS, which is signed with a randomised signature).
	Result     []byte
	CreateTime time.Time
}
