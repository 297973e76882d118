package keys

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/model"
)

// Set is one issuer's keys, in the order they were added. Every function
// here returns a new Set and leaves its argument untouched, so a caller can
// compute the change, persist it in one transaction and discard it on error.
type Set []Key

// MaxPublishedKeys bounds the published key set per issuer: JWKS documents
// stay small and cacheable, and verifiers never scan a long list.
const MaxPublishedKeys = 8

// MaxCompromisedKeys bounds the compromised keys kept per issuer. They are
// kept past any retention, public part and compromise record only, so that
// a token signed with one keeps verifying as KEY_COMPROMISED rather than as
// an unknown kid (which would hide why it fails, and would let it pass if
// the key were ever re-published). An issuer that loses more keys than
// this has a problem no verdict text solves; the oldest records are then
// dropped, and tokens of those keys fail as KEY_UNKNOWN, still INVALID.
const MaxCompromisedKeys = 32

// Policy holds the rotation settings an operator configures.
type Policy struct {
	// PublishDelay is how long a new key is published before it signs, so
	// verifiers with a cached key set have fetched it by the time they see
	// its first signature. Zero activates at once (first key, emergencies).
	PublishDelay time.Duration
	// Retention is how long a retired key stays in the set. It must
	// outlast the longest credential an issuer grants (issuer.New checks
	// that it covers the furthest start plus the longest validity): a
	// dropped key verifies nothing. Compromised keys are not subject to it
	// (see MaxCompromisedKeys).
	Retention time.Duration
	// MaxKeys bounds the published (non-compromised) keys.
	MaxKeys int
}

// DefaultPolicy publishes a day ahead (longer than any sane JWKS cache
// lifetime) and keeps retired keys six years: room for credentials valid
// five years that start up to a year after they are signed (the daemon's
// defaults).
func DefaultPolicy() Policy {
	return Policy{PublishDelay: 24 * time.Hour, Retention: 6 * 365 * 24 * time.Hour, MaxKeys: MaxPublishedKeys}
}

// Validate names the first invalid setting.
func (p Policy) Validate() error {
	var v model.Violations
	if p.PublishDelay < 0 {
		v.Add("publish_delay", "is %s; it must not be negative", p.PublishDelay)
	}
	if p.Retention <= 0 {
		v.Add("retention", "is %s; it must be positive", p.Retention)
	}
	// Room for the signing key and one pending key, or rotation is impossible.
	if p.MaxKeys < 2 {
		v.Add("max_keys", "is %d; it must be at least 2", p.MaxKeys)
	}
	return v.Err()
}

// Rotate adds newKey (from NewKey) to the set as a staged rotation: it is
// published at now and becomes the signing key at now+PublishDelay, the
// moment the current signing key retires. Only one rotation runs at a time.
// Retired and compromised keys past their retention are dropped; if the
// published keys still exceed MaxKeys the rotation is refused.
func Rotate(set Set, newKey Key, now time.Time, p Policy) (Set, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkNewKey(newKey); err != nil {
		return nil, err
	}
	if _, ok := Find(set, newKey.Kid); ok {
		return nil, fmt.Errorf("%w: key %s is already in the set", model.ErrAlreadyExists, newKey.Kid)
	}
	out, _ := Advance(set, now)
	for _, k := range out {
		if k.State == StatePending {
			return nil, fmt.Errorf("%w: key %s becomes active at %s; rotate again after that",
				ErrRotationPending, k.Kid, k.ActivateTime.Format(time.RFC3339))
		}
	}
	activate := now.Add(p.PublishDelay)
	for i, k := range out {
		if k.State == StateActive {
			out[i].RetireTime = activate
		}
	}
	newKey.PublishTime = now
	newKey.ActivateTime = activate
	out = append(out, newKey)
	out, _ = Advance(out, now)
	out = Prune(out, now, p.Retention)
	if n := countPublished(out); n > p.MaxKeys {
		return nil, fmt.Errorf("%w: it would hold %d published keys, at most %d; %s",
			ErrKeySetFull, n, p.MaxKeys, nextDrop(out, p.Retention))
	}
	return out, nil
}

// Compromise marks a key compromised at now with a reason. If it was the
// pending key of a rotation, the rotation is called off and the current
// signing key keeps signing; if it was the signing key, the issuer has none
// until a new key is rotated in (with no publish delay if need be).
func Compromise(set Set, kid string, now time.Time, reason string) (Set, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, model.Invalid("reason", "is required when marking a key compromised")
	}
	i := slices.IndexFunc(set, func(k Key) bool { return k.Kid == kid })
	if i < 0 {
		return nil, fmt.Errorf("%w: %s", ErrKeyUnknown, kid)
	}
	if set[i].Compromised() {
		return nil, fmt.Errorf("%w: key %s was already marked compromised at %s",
			model.ErrInvalidTransition, kid, set[i].CompromiseTime.Format(time.RFC3339))
	}
	out := slices.Clone(set)
	k := &out[i]
	if k.StateAt(now) == StatePending {
		for j := range out {
			if j != i && out[j].StateAt(now) == StateActive && out[j].RetireTime.Equal(k.ActivateTime) {
				out[j].RetireTime = time.Time{}
			}
		}
	}
	k.State = StateCompromised
	k.CompromiseTime = now
	k.CompromiseReason = reason
	out, _ = Advance(out, now)
	return boundCompromised(out), nil
}

// Advance brings every key's State in line with its times at now, and
// reports whether anything changed so the caller knows to persist.
func Advance(set Set, now time.Time) (Set, bool) {
	out := slices.Clone(set)
	changed := false
	for i := range out {
		if s := out[i].StateAt(now); s != out[i].State {
			out[i].State = s
			changed = true
		}
	}
	return out, changed
}

// Prune drops retired keys retired more than retention ago. Compromised
// keys are kept whatever their age (bounded by MaxCompromisedKeys), without
// their private part. It never drops a pending or active key.
func Prune(set Set, now time.Time, retention time.Duration) Set {
	out := slices.DeleteFunc(slices.Clone(set), func(k Key) bool {
		return k.StateAt(now) == StateRetired && !now.Before(k.RetireTime.Add(retention))
	})
	return boundCompromised(out)
}

// boundCompromised wipes the private part of every compromised key (it
// must never sign again, so a copy at rest is only a liability; sets
// stored before keys were wiped at compromise are cleaned on their next
// write) and keeps the MaxCompromisedKeys most recently compromised ones.
// set is already a copy owned by the caller.
func boundCompromised(set Set) Set {
	var times []time.Time
	for i := range set {
		if set[i].Compromised() {
			set[i].Sealed = Sealed{}
			times = append(times, set[i].CompromiseTime)
		}
	}
	if len(times) <= MaxCompromisedKeys {
		return set
	}
	slices.SortFunc(times, func(a, b time.Time) int { return b.Compare(a) })
	cut := times[MaxCompromisedKeys-1]
	// Keys marked at exactly the cut time share the places left after
	// the newer ones, in set order.
	ties := MaxCompromisedKeys
	for _, t := range times {
		if t.After(cut) {
			ties--
		}
	}
	return slices.DeleteFunc(set, func(k Key) bool {
		switch {
		case !k.Compromised() || k.CompromiseTime.After(cut):
			return false
		case k.CompromiseTime.Before(cut):
			return true
		}
		ties--
		return ties < 0
	})
}

// SigningKey returns the one key that may sign at now.
func SigningKey(set Set, now time.Time) (Key, error) {
	var found []Key
	for _, k := range set {
		if ValidAt(k, now) {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 0:
		return Key{}, fmt.Errorf("%w at %s", ErrNoSigningKey, now.Format(time.RFC3339))
	case 1:
		return found[0], nil
	}
	// Rotate never builds such a set; a stored set that has one was edited
	// outside this package and must not be signed from.
	return Key{}, fmt.Errorf("key set is inconsistent: %d keys are active at %s", len(found), now.Format(time.RFC3339))
}

// VerifyingKey finds the key for kid and checks that a signature made at
// signedAt could have come from it: a retired key still verifies what it
// signed while active; a compromised key is reported as such whatever the
// time. On ErrKeyCompromised and ErrKeyNotActive the key is returned too, so
// a verdict can show its state.
func VerifyingKey(set Set, kid string, signedAt time.Time) (Key, error) {
	k, ok := Find(set, kid)
	if !ok {
		return Key{}, fmt.Errorf("%w: %s", ErrKeyUnknown, kid)
	}
	if k.Compromised() {
		return k, fmt.Errorf("%w: key %s was marked compromised at %s: %s",
			ErrKeyCompromised, kid, k.CompromiseTime.Format(time.RFC3339), k.CompromiseReason)
	}
	if !ValidAt(k, signedAt) {
		window := "from " + k.ActivateTime.Format(time.RFC3339)
		if !k.RetireTime.IsZero() {
			window += " until " + k.RetireTime.Format(time.RFC3339)
		}
		return k, fmt.Errorf("%w: key %s signs %s, not at %s", ErrKeyNotActive, kid, window, signedAt.Format(time.RFC3339))
	}
	return k, nil
}

// Find returns the key with kid.
func Find(set Set, kid string) (Key, bool) {
	i := slices.IndexFunc(set, func(k Key) bool { return k.Kid == kid })
	if i < 0 {
		return Key{}, false
	}
	return set[i], true
}

// JWKS is the published key set: pending, active and retired keys, public
// parts only, each with kid, alg and use "sig". Compromised keys are left
// out so that a verifier working from the JWKS alone rejects what they
// signed; Skillpass's own verifier reports them from the Set instead.
func JWKS(set Set) (jose.JSONWebKeySet, error) {
	out := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, k := range set {
		if k.Compromised() {
			continue
		}
		pub := k.PublicJWK.Public()
		if !pub.IsPublic() || pub.Key == nil {
			return jose.JSONWebKeySet{}, fmt.Errorf("%w: key %s has no usable public key", ErrKeyBinding, k.Kid)
		}
		// Rebuilt from the bare key so nothing but the public parameters and
		// these three members can reach the published document.
		out.Keys = append(out.Keys, jose.JSONWebKey{Key: pub.Key, KeyID: k.Kid, Algorithm: string(k.Alg), Use: "sig"})
	}
	return out, nil
}

func countPublished(set Set) int {
	n := 0
	for _, k := range set {
		if !k.Compromised() {
			n++
		}
	}
	return n
}

// nextDrop tells an operator when the set will have room again.
func nextDrop(set Set, retention time.Duration) string {
	var first *Key
	for i := range set {
		k := &set[i]
		if k.State == StateRetired && (first == nil || k.RetireTime.Before(first.RetireTime)) {
			first = k
		}
	}
	if first == nil {
		return "no retired key can be dropped"
	}
	return fmt.Sprintf("the oldest retired key %s may be dropped from %s", first.Kid, first.RetireTime.Add(retention).Format(time.RFC3339))
}

// checkNewKey makes sure a key about to join a set is fresh from NewKey and
// consistent: its kid is its public key's thumbprint and its sealed private
// key is filed under the same kid and algorithm.
func checkNewKey(k Key) error {
	var v model.Violations
	if k.Kid == "" {
		v.Add("key.kid", "is required")
	}
	if _, ok := k.Alg.code(); !ok {
		v.Add("key.alg", "%q is not a supported algorithm", string(k.Alg))
	}
	if k.State != StateUnspecified || !k.PublishTime.IsZero() || !k.ActivateTime.IsZero() ||
		!k.RetireTime.IsZero() || !k.CompromiseTime.IsZero() {
		v.Add("key.state", "is %s with lifecycle times set; a new key must come fresh from NewKey", k.State)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if !k.PublicJWK.IsPublic() {
		return fmt.Errorf("%w: key %s: public JWK is not a public key", ErrKeyBinding, k.Kid)
	}
	if err := checkPublicKey(k.Alg, k.PublicJWK.Key); err != nil {
		return err
	}
	if err := checkKid(k.PublicJWK.Key, k.Kid); err != nil {
		return err
	}
	if k.PublicJWK.KeyID != k.Kid || k.Sealed.Kid != k.Kid || k.Sealed.Alg != k.Alg {
		return fmt.Errorf("%w: key %s: public JWK kid %q, sealed kid %q and alg %s disagree",
			ErrKeyBinding, k.Kid, k.PublicJWK.KeyID, k.Sealed.Kid, k.Sealed.Alg)
	}
	return nil
}
