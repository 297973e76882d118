// Package admin is the domain logic behind the admin API: principals, their
// bearer tokens, authentication of a presented token, the first-start root
// bootstrap, and backup and restore of the whole database. It knows nothing
// of gRPC.
package admin

import (
	"time"

	"github.com/skillpass-nl/skillpass/store"
)

// Config holds the Service's dependencies.
type Config struct {
	Store store.Store
	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// Service implements the admin operations.
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

// clock returns the current time in UTC without a monotonic reading, the
// form in which times are stored and compared.
func (s *Service) clock() time.Time { return s.now().UTC().Round(0) }

// Page asks for one page of a list.
type Page struct {
	Size  int    // 0: default (50); larger than 1000 is clamped to 1000
	Token string // "" or a NextToken from an earlier page of the same list
}
