// Package requests makes mutating calls idempotent on their request id: the
// outcome of a request is recorded in the same transaction as its effect, so
// a retry after a lost answer (or a crash) finds it and gets the same result,
// and a request id reused for different content is refused.
package requests

import (
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
