// Package requests makes mutating calls idempotent on their request id: the
// outcome of a request is recorded in the same transaction as its effect, so
// a retry after a lost answer (or a crash) finds it and gets the same result,
// and a request id reused for different content is refused.
package requests

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// MaxIDLength bounds request ids.
const MaxIDLength = 128

// Key scopes a request id to the caller and the operation, so two callers
// (or two operations) never collide on the same id.
func Key(actorID, operation, requestID string) string {
	return actorID + "\x00" + operation + "\x00" + requestID
}

// Fingerprint hashes the content of a request. It uses encoding/json over
// plain Go values, which is deterministic (struct fields in declaration
// order, map keys sorted).
func Fingerprint(v any) ([32]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return [32]byte{}, fmt.Errorf("fingerprint request: %w", err)
	}
	return sha256.Sum256(b), nil
}

// Validate checks a request id; "" means the caller did not ask for
// idempotency.
func Validate(field, requestID string) error {
	if len(requestID) > MaxIDLength {
		return model.Invalid(field, "must be at most %d bytes, got %d", MaxIDLength, len(requestID))
	}
	for _, r := range requestID {
		if r < 0x21 || r > 0x7e {
			return model.Invalid(field, "must be printable ASCII without spaces")
		}
	}
	return nil
}

// Lookup returns the result name of an earlier request with the same key.
// found is false if there was none (or requestID is ""). A record with a
// different fingerprint is model.ErrRequestIDReused.
func Lookup(tx store.ReadTx, key string, requestID string, fp [32]byte) (resultName string, found bool, err error) {
	if requestID == "" {
		return "", false, nil
	}
	rec, err := tx.GetRequest(key)
	if errors.Is(err, model.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if rec.Fingerprint != fp {
		return "", false, fmt.Errorf("%w: %q", model.ErrRequestIDReused, requestID)
	}
	return rec.ResultName, true, nil
}

// Record stores the outcome of a request; a no-op when requestID is "".
func Record(tx store.Tx, key, requestID string, fp [32]byte, resultName string, now time.Time) error {
	if requestID == "" {
		return nil
	}
	return tx.PutRequest(key, &model.RequestRecord{Fingerprint: fp, ResultName: resultName, CreateTime: now})
}

// Mutation describes one idempotent write: Apply makes the change and
// returns the resource name of the result; Replay loads the result of an
// earlier request with the same request id from its recorded name.
type Mutation struct {
	Op        string // operation name, part of the request key
	RequestID string
	Input     any // fingerprinted: a retry must carry the same content
	Apply     func(tx store.Tx) (resultName string, err error)
	Replay    func(tx store.Tx, resultName string) error
}

// Run executes m in one transaction of st: look up the request id, and
// either replay the recorded result or apply the change and record it.
// Lookup, change and record commit together, so a crash can never leave a
// change without its record or the other way round.
func Run(ctx context.Context, st store.Store, actorID string, now func() time.Time, m Mutation) error {
	if err := Validate("request_id", m.RequestID); err != nil {
		return err
	}
	fp, err := Fingerprint(m.Input)
	if err != nil {
		return err
	}
	key := Key(actorID, m.Op, m.RequestID)
	return st.Update(ctx, func(tx store.Tx) error {
		name, found, err := Lookup(tx, key, m.RequestID, fp)
		if err != nil {
			return err
		}
		if found {
			return m.Replay(tx, name)
		}
		name, err = m.Apply(tx)
		if err != nil {
			return err
		}
		return Record(tx, key, m.RequestID, fp, name, now())
	})
}
