package admin

// TEMPORARY: signatures agreed between the domain and transport. The domain
// owner replaces these bodies and deletes this file.

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

var errTODO = errors.New("not implemented yet")

// Authenticate returns the principal a bearer secret belongs to, or an error
// wrapping model.ErrUnauthenticated (unknown, expired or revoked token) — the
// error text never contains the secret.
func (s *Service) Authenticate(ctx context.Context, secret string) (model.Principal, error) {
	return model.Principal{}, errTODO
}

// Bootstrap creates the root principal and a root token if the database has
// no principals yet. It returns the secret and true if it created them, ""
// and false otherwise.
func (s *Service) Bootstrap(ctx context.Context) (secret string, created bool, err error) {
	return "", false, errTODO
}

func (s *Service) CreatePrincipal(ctx context.Context, actor model.Principal, requestID string, in *model.Principal) (*model.Principal, error) {
	return nil, errTODO
}
func (s *Service) GetPrincipal(ctx context.Context, actor model.Principal, id string) (*model.Principal, error) {
	return nil, errTODO
}
func (s *Service) ListPrincipals(ctx context.Context, actor model.Principal, page Page) (items []*model.Principal, nextToken string, err error) {
	return nil, "", errTODO
}

// CreateToken returns the new token and its secret. ttl 0 means 90 days. A
// replay of the same request id returns the token and secret "".
func (s *Service) CreateToken(ctx context.Context, actor model.Principal, requestID, principalID, description string, ttl time.Duration) (*model.Token, string, error) {
	return nil, "", errTODO
}
func (s *Service) ListTokens(ctx context.Context, actor model.Principal, principalID string, page Page) (items []*model.Token, nextToken string, err error) {
	return nil, "", errTODO
}
func (s *Service) RevokeToken(ctx context.Context, actor model.Principal, requestID, principalID, tokenID string) (*model.Token, error) {
	return nil, errTODO
}

// Backup streams a consistent snapshot to w. Root only.
func (s *Service) Backup(ctx context.Context, actor model.Principal, w io.Writer) (int64, error) {
	return 0, errTODO
}

// Restore replaces the database with the snapshot in r. Root only.
func (s *Service) Restore(ctx context.Context, actor model.Principal, r io.Reader) (int64, error) {
	return 0, errTODO
}
