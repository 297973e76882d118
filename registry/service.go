// Package registry is the trust registry's domain logic: sectors, versioned
// competency profiles, issuers and accreditations, with the rules of who may
// change what. It knows nothing of gRPC; it reads and writes through the
// role interfaces of package store, one transaction per operation.
package registry

import (
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// Config holds the Service's dependencies.
type Config struct {
	Store store.Store
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// Service implements the registry operations. Every method takes the
// authenticated caller (model.Anonymous if none) and enforces the
// authorisation policy itself, so the policy lives in one package.
//
// Field names for the update methods' fields argument are the API's field
// names: sector: display_name, authority; profile version: display_name,
// description, nlqf_level, competencies, review_by; issuer: legal_name,
// kvk_number, contact. An empty fields list means "all of them".
type Service struct {
	store store.Store
	now   func() time.Time
}

// New returns a Service.
func New(cfg Config) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: cfg.Store, now: now}
}

// clock returns the current time in UTC in whole seconds, the form in
// which registry times are stored and compared. Whole seconds because a
// credential records its issuance time as a JWT iat (seconds): "was the
// issuer accredited at issuance" must get the same answer from the issuer,
// which checks at iat, and from any verifier, which only knows iat.
func (s *Service) clock() time.Time { return wholeSeconds(s.now()) }

// wholeSeconds is t in UTC, truncated to the second, without a monotonic
// reading.
func wholeSeconds(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// Page asks for one page of a list.
type Page struct {
	Size  int    // 0: default (50); larger than 1000 is clamped to 1000
	Token string // "" or a NextToken from an earlier page of the same list
}

// Check answers "was the issuer accredited for the profile version at T".
type Check struct {
	Accredited bool
	// Accreditation is the covering accreditation, or else the closest
	// match for the profile, or nil if the issuer has none for it.
	Accreditation *model.Accreditation
	StateAtTime   model.AccreditationState
	// Reason: ACCREDITED, NO_ACCREDITATION, VERSION_NOT_COVERED,
	// OUTSIDE_VALIDITY, SUSPENDED or WITHDRAWN (model.Check*).
	Reason string
}
