package issuer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

// statusListCache keeps each signed status list credential until it may be
// stale: a status or key change anywhere (store.Version of TopicStatus or
// TopicKeys moved), or half its validity has passed, so a verifier that
// caches it for its ttl never holds one that expired. Lists are fetched
// far more often than they change; signing (gzip and a signature over up
// to 16 KiB) is paid once per change, not per fetch.
type statusListCache struct {
	mu sync.Mutex
	m  map[listKey]signedList
}

type listKey struct {
	issuerID string
	purpose  statuslist.Purpose
	list     int32
}

type signedList struct {
	jws                string
	statusVer, keysVer uint64
	refreshAt          time.Time
}

func (c *statusListCache) get(k listKey, statusVer, keysVer uint64, now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hit, ok := c.m[k]
	if !ok || hit.statusVer != statusVer || hit.keysVer != keysVer || !now.Before(hit.refreshAt) {
		return "", false
	}
	return hit.jws, true
}

func (c *statusListCache) put(k listKey, v signedList) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[listKey]signedList)
	}
	c.m[k] = v
}

// StatusListCredential returns the signed BitstringStatusListCredential
// (compact JWS) of the issuer's list number list for purpose, signed with
// the issuer's current signing key. Public. A list no credential was ever
// issued into is model.ErrNotFound.
func (s *Service) StatusListCredential(ctx context.Context, issuerID, purpose string, list int32) (string, error) {
	var v model.Violations
	model.CheckID(&v, "issuer_id", issuerID)
	p := statuslist.Purpose(purpose)
	if !p.Valid() {
		v.Add("purpose", "must be %q or %q, got %.80q", statuslist.PurposeRevocation, statuslist.PurposeSuspension, purpose)
	}
	if list < 0 {
		v.Add("list", "must not be negative, got %d", list)
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	key := listKey{issuerID: issuerID, purpose: p, list: list}
	// Versions are read before the data: a change committed in between
	// moves them past what is cached here, so it is re-signed next time.
	statusVer, keysVer := s.store.Version(store.TopicStatus), s.store.Version(store.TopicKeys)
	now := s.clock()
	if jws, ok := s.published.get(key, statusVer, keysVer, now); ok {
		return jws, nil
	}
	bits, signing, err := s.readStatusList(ctx, key, now)
	if err != nil {
		return "", err
	}
	signer, err := s.signerFor(issuerID, signing)
	if err != nil {
		return "", err
	}
	jws, err := credential.SignStatusList(credential.StatusListInput{
		BaseURL: s.baseURL, IssuerID: issuerID, Purpose: p, List: list, Bits: bits, Now: now, TTL: s.statusTTL,
	}, signer, signing.Alg, signing.Kid)
	if err != nil {
		return "", err
	}
	s.published.put(key, signedList{jws: jws, statusVer: statusVer, keysVer: keysVer, refreshAt: now.Add(s.statusTTL / 2)})
	return jws, nil
}

// readStatusList reads the list's bits (all zero if no bit was ever set)
// and the issuer's signing key in one snapshot.
func (s *Service) readStatusList(ctx context.Context, k listKey, now time.Time) (*statuslist.Bitstring, keys.Key, error) {
	var (
		bits    *statuslist.Bitstring
		signing keys.Key
	)
	err := s.store.View(ctx, func(tx store.ReadTx) error {
		if _, err := tx.GetIssuer(k.issuerID); err != nil {
			return model.AsMissing(err, model.ErrIssuerUnknown, fmt.Sprintf("issuer %q", k.issuerID))
		}
		count, err := tx.StatusListCount(k.issuerID)
		if err != nil {
			return err
		}
		if k.list >= count {
			return fmt.Errorf("%w: issuer %q has %d status lists; list %d was never used", model.ErrNotFound, k.issuerID, count, k.list)
		}
		l, err := tx.GetStatusList(k.issuerID, string(k.purpose), k.list)
		switch {
		case errors.Is(err, model.ErrNotFound):
			bits, err = statuslist.New(listBits)
		case err == nil:
			bits, err = statuslist.FromBytes(l.Bits)
		}
		if err != nil {
			return fmt.Errorf("%s status list %d of issuer %q: %w", k.purpose, k.list, k.issuerID, err)
		}
		set, err := tx.IssuerKeys(k.issuerID)
		if err != nil {
			return err
		}
		signing, err = keys.SigningKey(set, now)
		return err
	})
	return bits, signing, err
}
