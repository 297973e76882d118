package admin

import (
	"context"
	"io"

	"github.com/skillpass-nl/skillpass/model"
)

// Backup streams a consistent snapshot to w. Root only.
func (s *Service) Backup(ctx context.Context, actor model.Principal, w io.Writer) (int64, error) {
	if err := authorize(actor, canBackup(actor), "back up the database"); err != nil {
		return 0, err
	}
	return s.store.Backup(ctx, w)
}

// AuthorizeRestore tells whether actor may restore, so that a transport
// can refuse before it receives a snapshot of up to hundreds of MB.
// Restore checks it again.
func (s *Service) AuthorizeRestore(actor model.Principal) error {
	return authorize(actor, canBackup(actor), "restore the database")
}

// Restore replaces the database with the snapshot in r. Root only.
func (s *Service) Restore(ctx context.Context, actor model.Principal, r io.Reader) (int64, error) {
	if err := s.AuthorizeRestore(actor); err != nil {
		return 0, err
	}
	return s.store.Restore(ctx, r)
}
