package registry

import (
	"context"
	"fmt"
	"github.com/skillpass-nl/skillpass/internal/requests"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// CreateSector creates a sector with id in.ID. Root only.
func (s *Service) CreateSector(ctx context.Context, actor model.Principal, requestID string, in *model.Sector) (*model.Sector, error) {
	if err := authorize(actor, canCreateSector(actor), "create sectors"); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, model.Invalid("sector", "is required")
	}
	var v model.Violations
	model.CheckID(&v, "sector_id", in.ID)
	model.ValidateSector(&v, "sector", in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *model.Sector
	err := s.run(ctx, actor, requests.Mutation{
		Op: "CreateSector", RequestID: requestID, Input: in,
		Apply: func(tx store.Tx) (string, error) {
			now := s.clock()
			sec := &model.Sector{ID: in.ID, Name: in.Name, Authority: in.Authority, CreateTime: now, UpdateTime: now}
			if err := tx.CreateSector(sec); err != nil {
				return "", fmt.Errorf("create sector %q: %w", in.ID, err)
			}
			out = sec
			return model.SectorName(sec.ID), nil
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = tx.GetSector(in.ID)
			return err
		},
	})
	return out, err
}

// GetSector returns a sector. Anyone may read sectors.
func (s *Service) GetSector(ctx context.Context, actor model.Principal, id string) (*model.Sector, error) {
	if err := model.ValidateID("name", id); err != nil {
		return nil, err
	}
	var out *model.Sector
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		out, err = tx.GetSector(id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sector %q: %w", id, err)
	}
	return out, nil
}

// ListSectors lists sectors in id order. Anyone may list them.
func (s *Service) ListSectors(ctx context.Context, actor model.Principal, page Page) (items []*model.Sector, nextToken string, err error) {
	const list = "sectors"
	limit, cursor, err := model.ParsePage(list, page.Size, page.Token)
	if err != nil {
		return nil, "", err
	}
	var next string
	err = s.store.View(ctx, func(tx store.ReadTx) (err error) {
		items, next, err = tx.ListSectors(cursor, limit)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return items, model.NextPageToken(list, next), nil
}

// UpdateSector changes the fields of sector in.ID. Root or the sector's
// authority.
func (s *Service) UpdateSector(ctx context.Context, actor model.Principal, requestID string, in *model.Sector, fields []string) (*model.Sector, error) {
	if in == nil {
		return nil, model.Invalid("sector", "is required")
	}
	if err := authorize(actor, canGovern(actor, in.ID), fmt.Sprintf("update sector %q", in.ID)); err != nil {
		return nil, err
	}
	if err := model.ValidateID("sector.name", in.ID); err != nil {
		return nil, err
	}
	mask, err := parseMask(fields, sectorFields)
	if err != nil {
		return nil, err
	}
	var out *model.Sector
	err = s.run(ctx, actor, requests.Mutation{
		Op: "UpdateSector", RequestID: requestID, Input: updateInput{in, fields},
		Apply: func(tx store.Tx) (string, error) {
			sec, err := tx.GetSector(in.ID)
			if err != nil {
				return "", fmt.Errorf("sector %q: %w", in.ID, err)
			}
			if mask["display_name"] {
				sec.Name = in.Name
			}
			if mask["authority"] {
				sec.Authority = in.Authority
			}
			var v model.Violations
			model.ValidateSector(&v, "sector", sec)
			if err := v.Err(); err != nil {
				return "", err
			}
			sec.UpdateTime = s.clock()
			if err := tx.UpdateSector(sec); err != nil {
				return "", fmt.Errorf("update sector %q: %w", in.ID, err)
			}
			out = sec
			return model.SectorName(sec.ID), nil
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = tx.GetSector(in.ID)
			return err
		},
	})
	return out, err
}

// updateInput is what an update request's fingerprint covers: the new
// content and which fields of it apply.
type updateInput struct {
	In     any
	Fields []string
}
