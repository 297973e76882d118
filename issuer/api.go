// Package issuer is Skillpass's issuance domain: issuer signing keys
// (sealed at rest, staged rotation, compromise), issuing skills credentials
// against accredited profile versions, revoking and suspending them, and
// publishing signed Bitstring Status List credentials. It knows nothing of
// gRPC; it reads and writes through the role interfaces of package store.
package issuer

import (
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// Config holds the Service's dependencies and policy.
type Config struct {
	Store store.Store
	// KEK seals and opens issuers' private keys.
	KEK *keys.KEK
	// BaseURL is the public base URL under which issuer ids, profile
	// versions and status lists are published, e.g.
	// "https://skillpass.example"; https, no query or fragment, no
	// trailing slash.
	BaseURL string
	// KeyPolicy governs rotation; keys.DefaultPolicy() if zero.
	KeyPolicy keys.Policy
	// MaxValidity bounds validUntil - validFrom; KeyPolicy.Retention minus
	// MaxStartAhead if zero. MaxValidity + MaxStartAhead may not exceed
	// KeyPolicy.Retention, or a credential could outlive the key that
	// verifies it; New refuses such a configuration.
	MaxValidity time.Duration
	// StatusListTTL is the ttl published in status list credentials; 5
	// minutes if zero.
	StatusListTTL time.Duration
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// Skill is one competency awarded in a credential: CompetencyID, LevelID,
// Method (one of credential.AssessmentMethods) and Evidence. It is the
// credential package's type, so a request passes to credential.New as it
// is and both packages judge the same fields.
type Skill = credential.Skill

// EvidenceRef points at proof of a skill without embedding it: URL
// (https), Name and an optional Digest "sha256:<hex>" of the document.
type EvidenceRef = credential.EvidenceRef

// IssueRequest asks for one credential.
type IssueRequest struct {
	RequestID string // optional idempotency key
	IssuerID  string
	SectorID  string
	ProfileID string
	Version   int32
	// HolderID is the pseudonymous holder id: a did: or urn: URI, never
	// an e-mail address or other personal identifier.
	HolderID string
	// HolderKey is an optional public key of the holder, bound with cnf.
	HolderKey  *jose.JSONWebKey
	Skills     []Skill
	ValidFrom  time.Time // zero: now
	ValidUntil time.Time // zero: ValidFrom + MaxValidity
}

// Issued is an issued credential.
type Issued struct {
	Record *model.CredentialRecord
	JWS    string
}

// BatchResult is the outcome of one item of IssueBatch: exactly one of
// Issued and Err is set.
type BatchResult struct {
	Issued *Issued
	Err    error
}

// StatusAction is a change of a credential's status.
type StatusAction string

// Status actions.
const (
	ActionRevoke    StatusAction = "REVOKE"
	ActionSuspend   StatusAction = "SUSPEND"
	ActionReinstate StatusAction = "REINSTATE"
)
