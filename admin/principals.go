package admin

import (
	"context"
	"fmt"
	"github.com/skillpass-nl/skillpass/internal/requests"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// CreatePrincipal creates principal in.ID. Root only. The sectors of a
// sector authority and the issuer of an issuer client must exist.
func (s *Service) CreatePrincipal(ctx context.Context, actor model.Principal, requestID string, in *model.Principal) (*model.Principal, error) {
	if err := authorize(actor, canManagePrincipals(actor), "create principals"); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, model.Invalid("principal", "is required")
	}
	var v model.Violations
	model.CheckID(&v, "principal_id", in.ID)
	if in.ID == model.Anonymous.ID {
		// Reserved: calls without a token run as this id, so a real
		// principal under it would share their request records.
		v.Add("principal_id", "%q is reserved", in.ID)
	}
	model.ValidatePrincipal(&v, "principal", in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *model.Principal
	err := s.run(ctx, actor, requests.Mutation{
		Op: "CreatePrincipal", RequestID: requestID, Input: in,
		Apply: func(tx store.Tx) (string, error) {
			for _, id := range in.SectorIDs {
				if _, err := tx.GetSector(id); err != nil {
					return "", model.AsMissing(err, model.ErrSectorUnknown, fmt.Sprintf("sector %q", id))
				}
			}
			if in.IssuerID != "" {
				if _, err := tx.GetIssuer(in.IssuerID); err != nil {
					return "", model.AsMissing(err, model.ErrIssuerUnknown, fmt.Sprintf("issuer %q", in.IssuerID))
				}
			}
			p := &model.Principal{
				ID: in.ID, Kind: in.Kind, DisplayName: in.DisplayName,
				SectorIDs: in.SectorIDs, IssuerID: in.IssuerID, CreateTime: s.clock(),
			}
			if err := tx.CreatePrincipal(p); err != nil {
				return "", fmt.Errorf("create principal %q: %w", in.ID, err)
			}
			out = p
			return model.PrincipalName(p.ID), nil
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = tx.GetPrincipal(in.ID)
			return err
		},
	})
	return out, err
}

// GetPrincipal returns a principal. Root only.
func (s *Service) GetPrincipal(ctx context.Context, actor model.Principal, id string) (*model.Principal, error) {
	if err := authorize(actor, canManagePrincipals(actor), "read principals"); err != nil {
		return nil, err
	}
	if err := model.ValidateID("name", id); err != nil {
		return nil, err
	}
	var out *model.Principal
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		out, err = tx.GetPrincipal(id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("principal %q: %w", id, err)
	}
	return out, nil
}

// ListPrincipals lists principals in id order. Root only.
func (s *Service) ListPrincipals(ctx context.Context, actor model.Principal, page Page) (items []*model.Principal, nextToken string, err error) {
	if err := authorize(actor, canManagePrincipals(actor), "list principals"); err != nil {
		return nil, "", err
	}
	const list = "principals"
	limit, cursor, err := model.ParsePage(list, page.Size, page.Token)
	if err != nil {
		return nil, "", err
	}
	var next string
	err = s.store.View(ctx, func(tx store.ReadTx) (err error) {
		items, next, err = tx.ListPrincipals(cursor, limit)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return items, model.NextPageToken(list, next), nil
}
