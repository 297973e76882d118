package issuer

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/internal/uuid7"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// The deployment secret (keys.DeploymentSecret) is stored sealed under the
// KEK as the store's secret secretName. It is in every backup, and
// RewrapKeys re-seals it with the issuer keys.
const secretName = "deployment"

// Labels of the keys derived from the deployment secret.
const (
	holderKeyLabel  = "skillpass holder hash key v1"
	resultKeyLabel  = "skillpass request result key v1"
	requestKeyLabel = "skillpass request fingerprint key v1"
)

// errSecretChanged: the stored deployment secret is not the one this
// Service opened (a restore replaced the database). The issuance is
// retried with the stored one.
var errSecretChanged = errors.New("deployment secret changed under the running service")

// secrets are the keys derived from the deployment secret.
type secrets struct {
	sealed   []byte // the stored record they were opened from
	holder   model.HolderHashKey
	results  *keys.DataKey
	requests [32]byte // keys request ids and fingerprints (see keyed)
}

// secretCache holds the opened secrets: one AES-GCM open and two HKDF
// derivations per process, not per credential. Every issuance reads it, so
// the read is a lock-free atomic load.
type secretCache struct {
	cur atomic.Pointer[secrets]
	mu  sync.Mutex // held while loading, so concurrent first calls load once
}

// secrets returns the deployment's derived keys, creating and storing the
// deployment secret on first use.
func (s *Service) secrets(ctx context.Context) (*secrets, error) {
	c := &s.secretCache
	if cur := c.cur.Load(); cur != nil {
		return cur, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur := c.cur.Load(); cur != nil {
		return cur, nil
	}
	var sealed []byte
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		sealed, err = storedSecret(tx)
		return err
	})
	if errors.Is(err, model.ErrNotFound) {
		err = s.store.Update(ctx, func(tx store.Tx) (err error) {
			sealed, err = createSecret(tx, s.kek)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	sec, err := openSecrets(sealed, s.kek)
	if err != nil {
		return nil, err
	}
	c.cur.Store(sec)
	return sec, nil
}

// forgetSecrets drops sec from the cache, so the next call reads the
// stored secret again.
func (s *Service) forgetSecrets(sec *secrets) { s.secretCache.cur.CompareAndSwap(sec, nil) }

// check fails with errSecretChanged unless tx holds the secret sec was
// opened from. Issuance runs it in its commit, so nothing is recorded
// under a secret the database does not have.
func (sec *secrets) check(tx store.ReadTx) error {
	sealed, err := storedSecret(tx)
	switch {
	case errors.Is(err, model.ErrNotFound):
		return fmt.Errorf("%w: it is no longer stored", errSecretChanged)
	case err != nil:
		return err
	case !bytes.Equal(sealed, sec.sealed):
		return errSecretChanged
	}
	return nil
}

func openSecrets(sealed []byte, kek *keys.KEK) (*secrets, error) {
	secret, err := keys.OpenDeploymentSecret(sealed, kek)
	if err != nil {
		return nil, err
	}
	defer secret.Destroy()
	holder, err := secret.Derive(holderKeyLabel)
	if err != nil {
		return nil, err
	}
	requestKey, err := secret.Derive(requestKeyLabel)
	if err != nil {
		return nil, err
	}
	resultKey, err := secret.Derive(resultKeyLabel)
	defer clear(resultKey[:])
	if err != nil {
		return nil, err
	}
	results, err := keys.NewDataKey(resultKey)
	if err != nil {
		return nil, err
	}
	return &secrets{sealed: sealed, holder: holder, results: results, requests: requestKey}, nil
}

// storedSecret returns the sealed deployment secret; model.ErrNotFound if
// there is none yet.
func storedSecret(tx store.ReadTx) ([]byte, error) { return tx.GetSecret(secretName) }

// createSecret stores a new deployment secret sealed under kek, unless a
// concurrent first start stored one already, and returns what is stored.
func createSecret(tx store.Tx, kek *keys.KEK) ([]byte, error) {
	sealed, err := storedSecret(tx)
	if !errors.Is(err, model.ErrNotFound) {
		return sealed, err
	}
	secret, err := keys.GenerateDeploymentSecret()
	if err != nil {
		return nil, err
	}
	defer secret.Destroy()
	if sealed, err = secret.Seal(kek); err != nil {
		return nil, err
	}
	return sealed, tx.PutSecret(secretName, sealed)
}

// rewrapSecret re-seals the stored deployment secret under newKEK; there
// is nothing to do before the first issuance created it.
func rewrapSecret(tx store.Tx, oldKEK, newKEK *keys.KEK) error {
	sealed, err := storedSecret(tx)
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	out, moved, err := keys.RewrapDeploymentSecret(sealed, oldKEK, newKEK)
	if err != nil {
		return fmt.Errorf("re-wrap the deployment secret: %w", err)
	}
	if !moved {
		return nil
	}
	return tx.PutSecret(secretName, out)
}

// keyed returns p with its request key and fingerprint keyed by the
// deployment secret, as they are stored. In clear, a stored fingerprint
// (a hash of the holder id, skills and dates) would let anyone with the
// database confirm guesses of who holds which skill, and the key would keep
// the caller's request id, which callers often build from a student number.
// Keyed, the database alone confirms nothing; a retry computes the same
// values and finds its record.
//
// A keyed id lands on a random page of the request index, one page write
// per credential. A version 7 UUID as request id (RFC 9562, as the CLI and
// skillpass-load send) whose time lies within orderedKeyWindow of now is
// stored with that time in front of the MAC, so the records of one group
// commit share the last pages instead. The window keeps anything but a time
// out of the key in clear (an id of that shape may carry other digits
// there) and reveals no more than the record's own creation time does.
//
// An id of that shape may have its record under either key: written
// outside the window (or by a release before this layout) under the plain
// MAC, or within it under the ordered key. altKey is the other one, and
// lookups try both, so a retry that crosses the window's edge still finds
// its record.
func (sec *secrets) keyed(p *pending, now time.Time) *pending {
	if p.key == "" {
		return p
	}
	out := *p
	mac := hex.EncodeToString(sec.mac("request id", []byte(p.req.RequestID)))
	out.key = requests.Key(p.actorID, "IssueCredential", mac)
	if prefix, ok := uuid7.TimePrefix(p.req.RequestID); ok {
		ordered := requests.Key(p.actorID, "IssueCredential", prefix+"."+mac)
		if t, _ := uuid7.PrefixTime(prefix); t.After(now.Add(-orderedKeyWindow)) && t.Before(now.Add(orderedKeyWindow)) {
			out.key, out.altKey = ordered, out.key
		} else {
			out.altKey = ordered
		}
	}
	copy(out.fp[:], sec.mac("fingerprint", p.fp[:]))
	return &out
}

// orderedKeyWindow is how far from the server's clock a version 7 request
// id's time may be for its record to be keyed in time order: ids are made
// just before their request, so a day covers any client clock worth
// trusting.
const orderedKeyWindow = 24 * time.Hour

// mac is HMAC-SHA-256 under the request key, over a purpose and data.
func (sec *secrets) mac(purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, sec.requests[:])
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}
