package registry

import (
	"context"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// mutation describes one idempotent write: apply makes the change and
// returns the resource name of the result; replay loads the result of an
// earlier request with the same request id from its recorded name.
type mutation struct {
	op        string // operation name, part of the request key
	requestID string
	input     any // fingerprinted: a retry must carry the same content
	apply     func(tx store.Tx) (resultName string, err error)
	replay    func(tx store.Tx, resultName string) error
}

// run executes m in one transaction: look up the request id, and either
// replay the recorded result or apply the change and record it. Lookup,
// change and record commit together, so a crash can never leave a change
// without its record or the other way round.
func (s *Service) run(ctx context.Context, actor model.Principal, m mutation) error {
	if err := requests.Validate("request_id", m.requestID); err != nil {
		return err
	}
	fp, err := requests.Fingerprint(m.input)
	if err != nil {
		return err
	}
	key := requests.Key(actor.ID, m.op, m.requestID)
	return s.store.Update(ctx, func(tx store.Tx) error {
		name, found, err := requests.Lookup(tx, key, m.requestID, fp)
		if err != nil {
			return err
		}
		if found {
			return m.replay(tx, name)
		}
		name, err = m.apply(tx)
		if err != nil {
			return err
		}
		return requests.Record(tx, key, m.requestID, fp, name, s.clock())
	})
}
