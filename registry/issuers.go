package registry

import (
	"context"
	"fmt"
	"github.com/skillpass-nl/skillpass/internal/requests"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// CreateIssuer registers issuer in.ID. Root or any sector authority.
func (s *Service) CreateIssuer(ctx context.Context, actor model.Principal, requestID string, in *model.Issuer) (*model.Issuer, error) {
	if err := authorize(actor, canCreateIssuer(actor), "register issuers"); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, model.Invalid("issuer", "is required")
	}
	var v model.Violations
	model.CheckID(&v, "issuer_id", in.ID)
	model.ValidateIssuer(&v, "issuer", in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *model.Issuer
	err := s.run(ctx, actor, requests.Mutation{
		Op: "CreateIssuer", RequestID: requestID, Input: in,
		Apply: func(tx store.Tx) (string, error) {
			now := s.clock()
			iss := &model.Issuer{ID: in.ID, LegalName: in.LegalName, KvKNumber: in.KvKNumber, Contact: in.Contact, CreateTime: now, UpdateTime: now}
			if err := tx.CreateIssuer(iss); err != nil {
				return "", fmt.Errorf("create issuer %q: %w", in.ID, err)
			}
			out = iss
			return model.IssuerName(iss.ID), nil
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = tx.GetIssuer(in.ID)
			return err
		},
	})
	return out, err
}

// GetIssuer returns an issuer. Anyone may read issuers.
func (s *Service) GetIssuer(ctx context.Context, actor model.Principal, id string) (*model.Issuer, error) {
	if err := model.ValidateID("name", id); err != nil {
		return nil, err
	}
	var out *model.Issuer
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		out, err = tx.GetIssuer(id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("issuer %q: %w", id, err)
	}
	return out, nil
}

// ListIssuers lists issuers in id order. Anyone may list them.
func (s *Service) ListIssuers(ctx context.Context, actor model.Principal, page Page) (items []*model.Issuer, nextToken string, err error) {
	const list = "issuers"
	limit, cursor, err := model.ParsePage(list, page.Size, page.Token)
	if err != nil {
		return nil, "", err
	}
	var next string
	err = s.store.View(ctx, func(tx store.ReadTx) (err error) {
		items, next, err = tx.ListIssuers(cursor, limit)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return items, model.NextPageToken(list, next), nil
}

// UpdateIssuer changes fields of issuer in.ID. Root or the issuer's own
// client.
func (s *Service) UpdateIssuer(ctx context.Context, actor model.Principal, requestID string, in *model.Issuer, fields []string) (*model.Issuer, error) {
	if in == nil {
		return nil, model.Invalid("issuer", "is required")
	}
	if err := authorize(actor, canUpdateIssuer(actor, in.ID), fmt.Sprintf("update issuer %q", in.ID)); err != nil {
		return nil, err
	}
	if err := model.ValidateID("issuer.name", in.ID); err != nil {
		return nil, err
	}
	mask, err := parseMask(fields, issuerFields)
	if err != nil {
		return nil, err
	}
	var out *model.Issuer
	err = s.run(ctx, actor, requests.Mutation{
		Op: "UpdateIssuer", RequestID: requestID, Input: updateInput{in, fields},
		Apply: func(tx store.Tx) (string, error) {
			iss, err := tx.GetIssuer(in.ID)
			if err != nil {
				return "", fmt.Errorf("issuer %q: %w", in.ID, err)
			}
			if err := checkIdentityChange(actor, iss, in, mask); err != nil {
				return "", err
			}
			if mask["legal_name"] {
				iss.LegalName = in.LegalName
			}
			if mask["kvk_number"] {
				iss.KvKNumber = in.KvKNumber
			}
			if mask["contact"] {
				iss.Contact = in.Contact
			}
			var v model.Violations
			model.ValidateIssuer(&v, "issuer", iss)
			if err := v.Err(); err != nil {
				return "", err
			}
			iss.UpdateTime = s.clock()
			if err := tx.UpdateIssuer(iss); err != nil {
				return "", fmt.Errorf("update issuer %q: %w", in.ID, err)
			}
			out = iss
			return model.IssuerName(iss.ID), nil
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = tx.GetIssuer(in.ID)
			return err
		},
	})
	return out, err
}
