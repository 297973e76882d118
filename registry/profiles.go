package registry

import (
	"context"
	"fmt"
	"github.com/skillpass-nl/skillpass/internal/requests"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// CreateProfileVersion creates a DRAFT version of profile in.ProfileID in
// sector in.SectorID. It ignores in.Version/State/Digest/times: it assigns
// latest+1 and DRAFT. Root or the sector's authority.
func (s *Service) CreateProfileVersion(ctx context.Context, actor model.Principal, requestID string, in *model.ProfileVersion) (*model.ProfileVersion, error) {
	if in == nil {
		return nil, model.Invalid("profile_version", "is required")
	}
	if err := authorize(actor, canGovern(actor, in.SectorID), fmt.Sprintf("write profiles of sector %q", in.SectorID)); err != nil {
		return nil, err
	}
	var v model.Violations
	model.CheckID(&v, "parent", in.SectorID)
	model.CheckID(&v, "parent", in.ProfileID)
	model.ValidateProfileContent(&v, "profile_version", in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	content := profileContentOf(in)
	var out *model.ProfileVersion
	err := s.run(ctx, actor, requests.Mutation{
		Op: "CreateProfileVersion", RequestID: requestID, Input: content,
		Apply: func(tx store.Tx) (string, error) {
			if _, err := tx.GetSector(in.SectorID); err != nil {
				return "", model.AsMissing(err, model.ErrSectorUnknown, fmt.Sprintf("sector %q", in.SectorID))
			}
			latest, err := tx.LatestProfileVersion(in.SectorID, in.ProfileID)
			if err != nil {
				return "", err
			}
			now := s.clock()
			p := content
			p.Version = latest + 1
			p.State = model.ProfileDraft
			p.CreateTime, p.UpdateTime = now, now
			if err := tx.CreateProfileVersion(p); err != nil {
				return "", fmt.Errorf("create %s: %w", model.ProfileVersionName(p.SectorID, p.ProfileID, p.Version), err)
			}
			out = p
			return model.ProfileVersionName(p.SectorID, p.ProfileID, p.Version), nil
		},
		Replay: func(tx store.Tx, name string) (err error) {
			out, err = getProfileByName(tx, name)
			return err
		},
	})
	return out, err
}

// GetProfileVersion returns a profile version; drafts only to root and the
// sector's authority, to everyone else they are not found.
func (s *Service) GetProfileVersion(ctx context.Context, actor model.Principal, sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	if err := checkVersionArgs("name", sectorID, profileID, version); err != nil {
		return nil, err
	}
	var out *model.ProfileVersion
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		out, err = getVisibleProfile(tx, actor, sectorID, profileID, version)
		return err
	})
	return out, err
}

// ListProfileVersions lists one profile's versions, or the whole sector's
// when profileID is "", by profile id then version. Drafts only for root
// and the sector's authority.
func (s *Service) ListProfileVersions(ctx context.Context, actor model.Principal, sectorID, profileID string, page Page) (items []*model.ProfileVersion, nextToken string, err error) {
	var v model.Violations
	model.CheckID(&v, "parent", sectorID)
	list := "profiles/" + sectorID
	if profileID != "" {
		model.CheckID(&v, "parent", profileID)
		list += "/" + profileID
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	limit, cursor, err := model.ParsePage(list, page.Size, page.Token)
	if err != nil {
		return nil, "", err
	}
	err = s.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := tx.GetSector(sectorID); err != nil {
			return model.AsMissing(err, model.ErrSectorUnknown, fmt.Sprintf("sector %q", sectorID))
		}
		// Hidden drafts would leave holes in a page; keep reading until
		// the page is full or the list ends, so callers see full pages.
		for len(items) < limit {
			batch, next, err := tx.ListProfileVersions(sectorID, profileID, cursor, limit-len(items))
			if err != nil {
				return err
			}
			for _, p := range batch {
				if canSeeDraft(actor, p) {
					items = append(items, p)
				}
			}
			cursor = next
			if next == "" {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return items, model.NextPageToken(list, cursor), nil
}

// UpdateProfileVersion changes fields of a DRAFT version; published and
// retired versions are immutable (model.ErrProfileNotDraft).
func (s *Service) UpdateProfileVersion(ctx context.Context, actor model.Principal, requestID string, in *model.ProfileVersion, fields []string) (*model.ProfileVersion, error) {
	if in == nil {
		return nil, model.Invalid("profile_version", "is required")
	}
	if err := authorize(actor, canGovern(actor, in.SectorID), fmt.Sprintf("write profiles of sector %q", in.SectorID)); err != nil {
		return nil, err
	}
	if err := checkVersionArgs("profile_version.name", in.SectorID, in.ProfileID, in.Version); err != nil {
		return nil, err
	}
	mask, err := parseMask(fields, profileFields)
	if err != nil {
		return nil, err
	}
	content := profileContentOf(in)
	content.Version = in.Version
	var out *model.ProfileVersion
	err = s.run(ctx, actor, requests.Mutation{
		Op: "UpdateProfileVersion", RequestID: requestID, Input: updateInput{content, fields},
		Apply: func(tx store.Tx) (string, error) {
			p, err := getVisibleProfile(tx, actor, in.SectorID, in.ProfileID, in.Version)
			if err != nil {
				return "", err
			}
			name := model.ProfileVersionName(p.SectorID, p.ProfileID, p.Version)
			if p.State != model.ProfileDraft {
				return "", fmt.Errorf("%w: %s is %s; publish a new version instead", model.ErrProfileNotDraft, name, p.State)
			}
			applyProfileMask(p, content, mask)
			var v model.Violations
			model.ValidateProfileContent(&v, "profile_version", p)
			if err := v.Err(); err != nil {
				return "", err
			}
			p.UpdateTime = s.clock()
			if err := tx.UpdateProfileVersion(p); err != nil {
				return "", fmt.Errorf("update %s: %w", name, err)
			}
			out = p
			return name, nil
		},
		Replay: func(tx store.Tx, name string) (err error) {
			out, err = getProfileByName(tx, name)
			return err
		},
	})
	return out, err
}

// PublishProfileVersion moves a DRAFT to PUBLISHED and fixes its digest.
func (s *Service) PublishProfileVersion(ctx context.Context, actor model.Principal, requestID, sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	return s.transition(ctx, actor, "PublishProfileVersion", requestID, sectorID, profileID, version,
		func(p *model.ProfileVersion, now time.Time) error {
			if p.State != model.ProfileDraft {
				return fmt.Errorf("%w: %s is %s; only a DRAFT can be published",
					model.ErrProfileNotDraft, model.ProfileVersionName(p.SectorID, p.ProfileID, p.Version), p.State)
			}
			// A draft was valid when written; check again so that nothing
			// a later rule forbids is frozen into a published version.
			var v model.Violations
			model.ValidateProfileContent(&v, "profile_version", p)
			if err := v.Err(); err != nil {
				return err
			}
			digest, err := model.ProfileDigest(p)
			if err != nil {
				return err
			}
			p.State, p.Digest, p.PublishTime = model.ProfilePublished, digest, now
			return nil
		})
}

// RetireProfileVersion moves a PUBLISHED version to RETIRED: no new
// credentials may be issued against it; existing ones keep verifying.
func (s *Service) RetireProfileVersion(ctx context.Context, actor model.Principal, requestID, sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	return s.transition(ctx, actor, "RetireProfileVersion", requestID, sectorID, profileID, version,
		func(p *model.ProfileVersion, now time.Time) error {
			if p.State != model.ProfilePublished {
				return fmt.Errorf("%w: %s is %s; only a PUBLISHED version can be retired",
					model.ErrInvalidTransition, model.ProfileVersionName(p.SectorID, p.ProfileID, p.Version), p.State)
			}
			p.State, p.RetireTime = model.ProfileRetired, now
			return nil
		})
}

// transition runs a lifecycle change of one profile version: change checks
// the current state and applies the new one.
func (s *Service) transition(ctx context.Context, actor model.Principal, op, requestID, sectorID, profileID string, version int32,
	change func(p *model.ProfileVersion, now time.Time) error) (*model.ProfileVersion, error) {
	if err := authorize(actor, canGovern(actor, sectorID), fmt.Sprintf("write profiles of sector %q", sectorID)); err != nil {
		return nil, err
	}
	if err := checkVersionArgs("name", sectorID, profileID, version); err != nil {
		return nil, err
	}
	name := model.ProfileVersionName(sectorID, profileID, version)
	var out *model.ProfileVersion
	err := s.run(ctx, actor, requests.Mutation{
		Op: op, RequestID: requestID, Input: name,
		Apply: func(tx store.Tx) (string, error) {
			p, err := getVisibleProfile(tx, actor, sectorID, profileID, version)
			if err != nil {
				return "", err
			}
			now := s.clock()
			if err := change(p, now); err != nil {
				return "", err
			}
			p.UpdateTime = now
			if err := tx.UpdateProfileVersion(p); err != nil {
				return "", fmt.Errorf("update %s: %w", name, err)
			}
			out = p
			return name, nil
		},
		Replay: func(tx store.Tx, name string) (err error) {
			out, err = getProfileByName(tx, name)
			return err
		},
	})
	return out, err
}

// profileContentOf copies the caller-supplied content of a profile
// version, dropping what the server assigns (version, state, digest,
// times), so that neither the fingerprint nor the stored record depends on
// output-only fields a client echoed back.
func profileContentOf(in *model.ProfileVersion) *model.ProfileVersion {
	return &model.ProfileVersion{
		SectorID:     in.SectorID,
		ProfileID:    in.ProfileID,
		Name:         in.Name,
		Description:  in.Description,
		NLQFLevel:    in.NLQFLevel,
		Competencies: in.Competencies,
		ReviewBy:     in.ReviewBy,
	}
}

func applyProfileMask(p, in *model.ProfileVersion, mask fieldSet) {
	if mask["display_name"] {
		p.Name = in.Name
	}
	if mask["description"] {
		p.Description = in.Description
	}
	if mask["nlqf_level"] {
		p.NLQFLevel = in.NLQFLevel
	}
	if mask["competencies"] {
		p.Competencies = in.Competencies
	}
	if mask["review_by"] {
		p.ReviewBy = in.ReviewBy
	}
}

// getVisibleProfile loads a profile version the actor may see; a draft the
// actor may not see is reported as not found, so its existence does not
// leak.
func getVisibleProfile(tx store.ReadTx, actor model.Principal, sectorID, profileID string, version int32) (*model.ProfileVersion, error) {
	name := model.ProfileVersionName(sectorID, profileID, version)
	p, err := tx.GetProfileVersion(sectorID, profileID, version)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if !canSeeDraft(actor, p) {
		return nil, fmt.Errorf("%s: %w", name, model.ErrNotFound)
	}
	return p, nil
}

// getProfileByName loads the profile version a request recorded.
func getProfileByName(tx store.ReadTx, name string) (*model.ProfileVersion, error) {
	sectorID, profileID, version, ok := model.ParseProfileVersionName(name)
	if !ok {
		return nil, fmt.Errorf("recorded request result %q is not a profile version name", name)
	}
	return tx.GetProfileVersion(sectorID, profileID, version)
}

// checkVersionArgs checks the ids and number that name a profile version.
func checkVersionArgs(field, sectorID, profileID string, version int32) error {
	var v model.Violations
	model.CheckID(&v, field, sectorID)
	model.CheckID(&v, field, profileID)
	if version < 1 {
		v.Add(field, "version must be at least 1, got %d", version)
	}
	return v.Err()
}
