package issuer

import (
	"context"
	"crypto"
	"fmt"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// maxPublishDelay bounds an explicit publish delay: a rotation staged
// further ahead than this is a typo, not a plan.
const maxPublishDelay = 90 * 24 * time.Hour

// signerCache keeps the opened private key of each issuer's signing key,
// so the KEK unseal (an AES-GCM open and a PKCS#8 parse) is paid once per
// key, not per credential. It holds one key per issuer, the one most
// recently asked for: an issuer signs with one key at a time, so the cache
// is bounded by the number of issuers and a rotated-out key leaves it.
type signerCache struct {
	mu sync.Mutex
	m  map[string]cachedSigner // by issuer id
}

type cachedSigner struct {
	kid    string
	signer crypto.Signer
}

// signerFor returns the signer of k, which the caller took from the
// issuer's current key set with keys.SigningKey: the cache is keyed by the
// kid that set names, so a key the set no longer calls active is never
// asked for, and a compromised key is refused by k.Signer before it can be
// cached (and dropped by forget when it is marked).
func (s *Service) signerFor(issuerID string, k keys.Key) (crypto.Signer, error) {
	c := &s.signers
	c.mu.Lock()
	hit, ok := c.m[issuerID]
	c.mu.Unlock()
	if ok && hit.kid == k.Kid {
		return hit.signer, nil
	}
	signer, err := k.Signer(s.kek, issuerID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]cachedSigner)
	}
	c.m[issuerID] = cachedSigner{kid: k.Kid, signer: signer}
	return signer, nil
}

// forget drops the issuer's cached signer if it is for kid.
func (c *signerCache) forget(issuerID, kid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if hit, ok := c.m[issuerID]; ok && hit.kid == kid {
		delete(c.m, issuerID)
	}
}

// keyRotation is the fingerprinted content of a RotateKey request.
type keyRotation struct {
	IssuerID     string
	Alg          keys.Algorithm
	PublishDelay *time.Duration
}

// RotateKey generates a new key (alg "" means ES256) and stages it:
// published now, signing after publishDelay (nil: the policy's delay; the
// issuer's first key signs at once).
func (s *Service) RotateKey(ctx context.Context, actor model.Principal, requestID, issuerID string, alg keys.Algorithm, publishDelay *time.Duration) (keys.Set, error) {
	if err := authorize(actor, canManageKeys(actor, issuerID), "manage the keys of issuer %.80q", issuerID); err != nil {
		return nil, err
	}
	alg, err := keys.ParseAlgorithm(string(alg))
	if err != nil {
		return nil, err
	}
	if publishDelay != nil && (*publishDelay < 0 || *publishDelay > maxPublishDelay) {
		return nil, model.Invalid("publish_delay", "is %s; it must be between 0 and %s", *publishDelay, maxPublishDelay)
	}
	var out keys.Set
	err = s.run(ctx, actor, requests.Mutation{
		Op: "RotateKey", RequestID: requestID,
		Input: keyRotation{IssuerID: issuerID, Alg: alg, PublishDelay: publishDelay},
		Apply: func(tx store.Tx) (string, error) {
			set, err := issuerKeys(tx, issuerID)
			if err != nil {
				return "", err
			}
			now := s.clock()
			policy := s.keyPolicy
			switch {
			case publishDelay != nil:
				policy.PublishDelay = *publishDelay
			case len(set) == 0:
				// Nobody can hold a cached key set without this key
				// yet, so there is nothing to wait for.
				policy.PublishDelay = 0
			}
			k, err := keys.NewKey(alg, s.kek, issuerID, now)
			if err != nil {
				return "", err
			}
			if out, err = keys.Rotate(set, k, now, policy); err != nil {
				return "", err
			}
			return keyName(issuerID, k.Kid), tx.PutIssuerKeys(issuerID, out)
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = tx.IssuerKeys(issuerID)
			return err
		},
	})
	return out, err
}

// keyCompromise is the fingerprinted content of a CompromiseKey request.
type keyCompromise struct{ IssuerID, Kid, Reason string }

// CompromiseKey marks a key compromised now, with a reason.
func (s *Service) CompromiseKey(ctx context.Context, actor model.Principal, requestID, issuerID, kid, reason string) (keys.Set, error) {
	if err := authorize(actor, canManageKeys(actor, issuerID), "manage the keys of issuer %.80q", issuerID); err != nil {
		return nil, err
	}
	var v model.Violations
	if kid == "" {
		v.Add("kid", "is required")
	}
	model.CheckReason(&v, "reason", reason)
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Dropped before and after: no issuance that starts from now on may
	// sign with it, whatever the outcome of the write.
	s.signers.forget(issuerID, kid)
	defer s.signers.forget(issuerID, kid)
	var out keys.Set
	err := s.run(ctx, actor, requests.Mutation{
		Op: "CompromiseKey", RequestID: requestID,
		Input: keyCompromise{IssuerID: issuerID, Kid: kid, Reason: reason},
		Apply: func(tx store.Tx) (string, error) {
			set, err := issuerKeys(tx, issuerID)
			if err != nil {
				return "", err
			}
			if out, err = keys.Compromise(set, kid, s.clock(), reason); err != nil {
				return "", err
			}
			return keyName(issuerID, kid), tx.PutIssuerKeys(issuerID, out)
		},
		Replay: func(tx store.Tx, _ string) (err error) {
			out, err = tx.IssuerKeys(issuerID)
			return err
		},
	})
	return out, err
}

// ListKeys returns the issuer's key set (public parts and lifecycle only
// are meant to leave the service; callers must not expose Sealed). States
// are brought in line with the current time.
func (s *Service) ListKeys(ctx context.Context, actor model.Principal, issuerID string) (keys.Set, error) {
	if err := authorize(actor, canManageKeys(actor, issuerID), "list the keys of issuer %.80q", issuerID); err != nil {
		return nil, err
	}
	var set keys.Set
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		set, err = issuerKeys(tx, issuerID)
		return err
	})
	if err != nil {
		return nil, err
	}
	set, _ = keys.Advance(set, s.clock())
	return set, nil
}

// JWKS returns the issuer's published key set. Public.
func (s *Service) JWKS(ctx context.Context, issuerID string) (jose.JSONWebKeySet, error) {
	var set keys.Set
	err := s.store.View(ctx, func(tx store.ReadTx) (err error) {
		set, err = issuerKeys(tx, issuerID)
		return err
	})
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return keys.JWKS(set)
}

// issuerKeys reads the key set of an issuer that must exist.
func issuerKeys(tx store.ReadTx, issuerID string) (keys.Set, error) {
	if err := model.ValidateID("issuer_id", issuerID); err != nil {
		return nil, err
	}
	if _, err := tx.GetIssuer(issuerID); err != nil {
		return nil, model.AsMissing(err, model.ErrIssuerUnknown, fmt.Sprintf("issuer %.80q", issuerID))
	}
	return tx.IssuerKeys(issuerID)
}

// run executes an idempotent change for actor; see requests.Run.
func (s *Service) run(ctx context.Context, actor model.Principal, m requests.Mutation) error {
	return requests.Run(ctx, s.store, actor.ID, s.clock, m)
}

// keyName is the resource name recorded for a key change.
func keyName(issuerID, kid string) string { return model.IssuerName(issuerID) + "/keys/" + kid }
