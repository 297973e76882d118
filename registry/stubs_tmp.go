package registry

// TEMPORARY: signatures agreed between the domain and transport. The domain
// owner replaces these bodies with real implementations (in sectors.go,
// profiles.go, issuers.go, accreditations.go) and deletes this file.

import (
	"context"
	"errors"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

var errTODO = errors.New("not implemented yet")

// Field names for the update methods' fields argument are the API's field
// names: sector: display_name, authority; profile version: display_name,
// description, nlqf_level, competencies, review_by; issuer: legal_name,
// kvk_number, contact. An empty fields list means "all of them".

func (s *Service) CreateSector(ctx context.Context, actor model.Principal, requestID string, in *model.Sector) (*model.Sector, error) {
	return nil, errTODO
}
func (s *Service) GetSector(ctx context.Context, actor model.Principal, id string) (*model.Sector, error) {
	return nil, errTODO
}
func (s *Service) ListSectors(ctx context.Context, actor model.Principal, page Page) (items []*model.Sector, nextToken string, err error) {
	return nil, "", errTODO
}
func (s *Service) UpdateSector(ctx context.Context, actor model.Principal, requestID string, in *model.Sector, fields []string) (*model.Sector, error) {
	return nil, errTODO
}

// CreateProfileVersion ignores in.Version/State/Digest/times: it assigns
// latest+1 and DRAFT.
func (s *Service) CreateProfileVersion(ctx context.Context, actor model.Principal, requestID string, in *model.ProfileVersion) (*model.ProfileVersion, error) {
	return nil, errTODO
}
func (s *Service) GetProfileVersion(ctx context.Context, actor model.Principal, sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	return nil, errTODO
}

// ListProfileVersions lists one profile's versions, or the whole sector's
// when profileID is "". Drafts only for root and the sector's authority.
func (s *Service) ListProfileVersions(ctx context.Context, actor model.Principal, sectorID, profileID string, page Page) (items []*model.ProfileVersion, nextToken string, err error) {
	return nil, "", errTODO
}
func (s *Service) UpdateProfileVersion(ctx context.Context, actor model.Principal, requestID string, in *model.ProfileVersion, fields []string) (*model.ProfileVersion, error) {
	return nil, errTODO
}
func (s *Service) PublishProfileVersion(ctx context.Context, actor model.Principal, requestID, sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	return nil, errTODO
}
func (s *Service) RetireProfileVersion(ctx context.Context, actor model.Principal, requestID, sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	return nil, errTODO
}

func (s *Service) CreateIssuer(ctx context.Context, actor model.Principal, requestID string, in *model.Issuer) (*model.Issuer, error) {
	return nil, errTODO
}
func (s *Service) GetIssuer(ctx context.Context, actor model.Principal, id string) (*model.Issuer, error) {
	return nil, errTODO
}
func (s *Service) ListIssuers(ctx context.Context, actor model.Principal, page Page) (items []*model.Issuer, nextToken string, err error) {
	return nil, "", errTODO
}
func (s *Service) UpdateIssuer(ctx context.Context, actor model.Principal, requestID string, in *model.Issuer, fields []string) (*model.Issuer, error) {
	return nil, errTODO
}

// CreateAccreditation uses in.IssuerID, SectorID, ProfileID, MinVersion,
// MaxVersion, ValidFrom, ValidUntil; it assigns ID, the first event (ACTIVE,
// effective at ValidFrom) and CreateTime.
func (s *Service) CreateAccreditation(ctx context.Context, actor model.Principal, requestID string, in *model.Accreditation) (*model.Accreditation, error) {
	return nil, errTODO
}
func (s *Service) GetAccreditation(ctx context.Context, actor model.Principal, issuerID, id string) (*model.Accreditation, error) {
	return nil, errTODO
}
func (s *Service) ListAccreditations(ctx context.Context, actor model.Principal, issuerID string, page Page) (items []*model.Accreditation, nextToken string, err error) {
	return nil, "", errTODO
}

// ChangeAccreditation records a suspension (to=SUSPENDED), reinstatement
// (to=ACTIVE) or withdrawal (to=WITHDRAWN). effective zero means now.
func (s *Service) ChangeAccreditation(ctx context.Context, actor model.Principal, requestID, issuerID, id string, to model.AccreditationState, reason string, effective time.Time) (*model.Accreditation, error) {
	return nil, errTODO
}

// CheckAccreditation answers whether the issuer was accredited for the
// profile version at time at (zero: now).
func (s *Service) CheckAccreditation(ctx context.Context, actor model.Principal, issuerID, sectorID, profileID string, version int32, at time.Time) (*Check, error) {
	return nil, errTODO
}
