package admin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/skillpass-nl/skillpass/internal/requests"
	"strings"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// Token lifetimes.
const (
	DefaultTokenTTL   = 90 * 24 * time.Hour
	MaxTokenTTL       = 2 * 365 * 24 * time.Hour
	MinTokenTTL       = time.Minute
	BootstrapTokenTTL = 365 * 24 * time.Hour
)

// SecretPrefix marks Skillpass bearer secrets, so that secret scanners
// can find leaked ones and Authenticate can reject junk without a lookup.
const SecretPrefix = "skp_"

// secretBytes is the entropy of a secret: 256 bits, so that the single
// unsalted SHA-256 stored for it cannot be brute-forced.
const secretBytes = 32

// secretLength is the length of every issued secret.
var secretLength = len(SecretPrefix) + base64.RawURLEncoding.EncodedLen(secretBytes)

// CreateToken returns the new token and its secret, which is shown only
// here: only its hash is stored. ttl 0 means 90 days. A replay of the same
// request id returns the token and secret "". Root for any principal, any
// principal for itself.
func (s *Service) CreateToken(ctx context.Context, actor model.Principal, requestID, principalID, description string, ttl time.Duration) (*model.Token, string, error) {
	if err := authorize(actor, canManageTokens(actor, principalID), fmt.Sprintf("create tokens for principal %q", principalID)); err != nil {
		return nil, "", err
	}
	var v model.Violations
	model.CheckID(&v, "parent", principalID)
	if description != "" {
		model.CheckName(&v, "description", description)
	}
	switch {
	case ttl < 0:
		v.Add("ttl", "must not be negative, got %s", ttl)
	case ttl == 0:
		ttl = DefaultTokenTTL
	case ttl < MinTokenTTL:
		v.Add("ttl", "must be at least %s, got %s", MinTokenTTL, ttl)
	case ttl > MaxTokenTTL:
		v.Add("ttl", "must be at most %s (2 years), got %s", MaxTokenTTL, ttl)
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	input := struct {
		PrincipalID, Description string
		TTL                      time.Duration
	}{principalID, description, ttl}
	var (
		out    *model.Token
		secret string
	)
	err := s.run(ctx, actor, requests.Mutation{
		Op: "CreateToken", RequestID: requestID, Input: input,
		Apply: func(tx store.Tx) (string, error) {
			if _, err := tx.GetPrincipal(principalID); err != nil {
				return "", model.AsMissing(err, model.ErrPrincipalUnknown, fmt.Sprintf("principal %q", principalID))
			}
			t, sec, err := issueToken(tx, principalID, description, s.clock(), ttl)
			if err != nil {
				return "", err
			}
			out, secret = t, sec
			return model.TokenName(t.PrincipalID, t.ID), nil
		},
		Replay: func(tx store.Tx, name string) (err error) {
			out, err = getTokenByName(tx, name)
			return err
		},
	})
	if err != nil {
		return nil, "", err
	}
	return out, secret, nil
}

// issueToken creates a token with a fresh secret in tx.
func issueToken(tx store.Tx, principalID, description string, now time.Time, ttl time.Duration) (*model.Token, string, error) {
	var raw [secretBytes]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails (Go 1.24+)
	secret := SecretPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	var id [8]byte
	_, _ = rand.Read(id[:])
	t := &model.Token{
		PrincipalID: principalID,
		ID:          hex.EncodeToString(id[:]),
		SecretHash:  model.HashSecret(secret),
		Description: description,
		CreateTime:  now,
		ExpireTime:  now.Add(ttl),
	}
	if err := tx.CreateToken(t); err != nil {
		// Deliberately without the secret, which must never reach a log.
		return nil, "", fmt.Errorf("create token for principal %q: %w", principalID, err)
	}
	return t, secret, nil
}

// ListTokens lists a principal's tokens (never their secrets). Root for any
// principal, any principal for itself.
func (s *Service) ListTokens(ctx context.Context, actor model.Principal, principalID string, page Page) (items []*model.Token, nextToken string, err error) {
	if err := authorize(actor, canManageTokens(actor, principalID), fmt.Sprintf("list tokens of principal %q", principalID)); err != nil {
		return nil, "", err
	}
	if err := model.ValidateID("parent", principalID); err != nil {
		return nil, "", err
	}
	list := "tokens/" + principalID
	limit, cursor, err := model.ParsePage(list, page.Size, page.Token)
	if err != nil {
		return nil, "", err
	}
	var next string
	err = s.store.View(ctx, func(tx store.ReadTx) (err error) {
		if _, err := tx.GetPrincipal(principalID); err != nil {
			return model.AsMissing(err, model.ErrPrincipalUnknown, fmt.Sprintf("principal %q", principalID))
		}
		items, next, err = tx.ListTokens(principalID, cursor, limit)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return items, model.NextPageToken(list, next), nil
}

// RevokeToken revokes a token. Revoking a revoked token is fine and keeps
// the first revocation time. Root for any principal, any principal for
// itself.
func (s *Service) RevokeToken(ctx context.Context, actor model.Principal, requestID, principalID, tokenID string) (*model.Token, error) {
	if err := authorize(actor, canManageTokens(actor, principalID), fmt.Sprintf("revoke tokens of principal %q", principalID)); err != nil {
		return nil, err
	}
	var v model.Violations
	model.CheckID(&v, "name", principalID)
	if !validTokenID(tokenID) {
		v.Add("name", "token id must be 16 lower-case hex digits, got %q", tokenID)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	name := model.TokenName(principalID, tokenID)
	var out *model.Token
	err := s.run(ctx, actor, requests.Mutation{
		Op: "RevokeToken", RequestID: requestID, Input: name,
		Apply: func(tx store.Tx) (string, error) {
			t, err := tx.GetToken(principalID, tokenID)
			if err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
			if t.RevokeTime.IsZero() {
				t.RevokeTime = s.clock()
				if err := tx.UpdateToken(t); err != nil {
					return "", fmt.Errorf("revoke %s: %w", name, err)
				}
			}
			out = t
			return name, nil
		},
		Replay: func(tx store.Tx, name string) (err error) {
			out, err = getTokenByName(tx, name)
			return err
		},
	})
	return out, err
}

// validTokenID reports whether id has the shape newly issued token ids
// have; anything else cannot exist, so it is refused before a lookup.
func validTokenID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// getTokenByName loads the token a request recorded.
func getTokenByName(tx store.ReadTx, name string) (*model.Token, error) {
	ids, ok := model.ParseName(name, "principals", "tokens")
	if !ok {
		return nil, fmt.Errorf("recorded request result %q is not a token name", name)
	}
	return tx.GetToken(ids[0], ids[1])
}

// errUnknownToken is the answer for every secret that matches no token;
// it says nothing about the secret itself.
var errUnknownToken = fmt.Errorf("%w: unknown token", model.ErrUnauthenticated)

// Authenticate returns the principal a bearer secret belongs to, or an error
// wrapping model.ErrUnauthenticated (unknown, expired or revoked token) — the
// error text never contains the secret.
func (s *Service) Authenticate(ctx context.Context, secret string) (model.Principal, error) {
	if secret == "" {
		return model.Principal{}, fmt.Errorf("%w: no token", model.ErrUnauthenticated)
	}
	// Every secret this server issued has exactly this shape; anything else
	// is refused without touching the store.
	if len(secret) != secretLength || !strings.HasPrefix(secret, SecretPrefix) {
		return model.Principal{}, errUnknownToken
	}
	var p *model.Principal
	err := s.store.View(ctx, func(tx store.ReadTx) error {
		t, err := tx.TokenBySecretHash(model.HashSecret(secret))
		if errors.Is(err, model.ErrNotFound) || (err == nil && !t.Matches(secret)) {
			return errUnknownToken
		}
		if err != nil {
			return err
		}
		name := model.TokenName(t.PrincipalID, t.ID)
		if !t.RevokeTime.IsZero() {
			return fmt.Errorf("%w: token %s was revoked at %s", model.ErrUnauthenticated, name, t.RevokeTime.Format(time.RFC3339))
		}
		if now := s.clock(); !now.Before(t.ExpireTime) {
			return fmt.Errorf("%w: token %s expired at %s", model.ErrUnauthenticated, name, t.ExpireTime.Format(time.RFC3339))
		}
		p, err = tx.GetPrincipal(t.PrincipalID)
		if errors.Is(err, model.ErrNotFound) {
			return fmt.Errorf("%w: the principal of token %s no longer exists", model.ErrUnauthenticated, name)
		}
		return err
	})
	if err != nil {
		return model.Principal{}, err
	}
	return *p, nil
}
