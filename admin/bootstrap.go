package admin

import (
	"context"
	"fmt"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// Bootstrap principal of a fresh database.
const (
	RootPrincipalID  = "root"
	rootDisplayName  = "operator"
	rootTokenPurpose = "created on first start"
)

// Bootstrap creates the root principal and a root token if the database has
// no principals yet. It returns the secret and true if it created them, ""
// and false otherwise. Both are created in one transaction, so a crash
// cannot leave a root principal that nobody can log in as.
func (s *Service) Bootstrap(ctx context.Context) (secret string, created bool, err error) {
	err = s.store.Update(ctx, func(tx store.Tx) error {
		existing, _, err := tx.ListPrincipals("", 1)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return nil
		}
		now := s.clock()
		root := &model.Principal{ID: RootPrincipalID, Kind: model.KindRoot, DisplayName: rootDisplayName, CreateTime: now}
		if err := tx.CreatePrincipal(root); err != nil {
			return fmt.Errorf("bootstrap: %w", err)
		}
		_, secret, err = issueToken(tx, root.ID, rootTokenPurpose, now, BootstrapTokenTTL)
		if err != nil {
			return fmt.Errorf("bootstrap: %w", err)
		}
		created = true
		return nil
	})
	if err != nil {
		return "", false, err
	}
	return secret, created, nil
}
