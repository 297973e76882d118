package admin

import (
	"context"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/model"
)

// run executes an idempotent write for actor; see requests.Run.
func (s *Service) run(ctx context.Context, actor model.Principal, m requests.Mutation) error {
	return requests.Run(ctx, s.store, actor.ID, s.clock, m)
}
