package keys

import (
	"crypto"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// State is where a key is in its lifecycle.
type State int

const (
	StateUnspecified State = iota
	// StatePending: published so verifiers can fetch it, not yet signing.
	StatePending
	// StateActive: the issuer's signing key.
	StateActive
	// StateRetired: no longer signs; still verifies what it signed while active.
	StateRetired
	// StateCompromised: nothing it signed is trusted any more (DESIGN.md rule 3).
	StateCompromised
)

func (s State) String() string {
	switch s {
	case StatePending:
		return "PENDING"
	case StateActive:
		return "ACTIVE"
	case StateRetired:
		return "RETIRED"
	case StateCompromised:
		return "COMPROMISED"
	}
	return "STATE_UNSPECIFIED"
}

// Key is one issuer signing key with its lifecycle times. Its active window
// is [ActivateTime, RetireTime); a zero RetireTime means it has no end yet.
// State is kept in step with the times by Rotate, Compromise and Advance;
// decisions (SigningKey, ValidAt) read the times, so a stale State can never
// let a key sign outside its window.
type Key struct {
	Kid              string // RFC 7638 SHA-256 thumbprint of the public key
	Alg              Algorithm
	State            State
	PublicJWK        jose.JSONWebKey // public key only, with kid, alg and use "sig"
	Sealed           Sealed          // the private key, encrypted under a KEK
	CreateTime       time.Time
	PublishTime      time.Time // when it appeared in the published key set
	ActivateTime     time.Time // from when it may sign
	RetireTime       time.Time // from when it no longer signs; zero while unscheduled
	CompromiseTime   time.Time // when it was marked compromised
	CompromiseReason string
}

// NewKey generates a key pair for issuerID, seals the private key under kek
// and returns a Key that is not yet part of any set: add it with Rotate.
func NewKey(alg Algorithm, kek *KEK, issuerID string, now time.Time) (Key, error) {
	priv, err := generate(alg)
	if err != nil {
		return Key{}, err
	}
	if ed, ok := priv.(ed25519.PrivateKey); ok {
		// The sealed copy is the only one that should outlive this call.
		defer clear(ed)
	}
	jwk, err := PublicJWK(priv.Public(), alg)
	if err != nil {
		return Key{}, err
	}
	sealed, err := seal(priv, alg, kek, issuerID, jwk.KeyID)
	if err != nil {
		return Key{}, err
	}
	return Key{Kid: jwk.KeyID, Alg: alg, PublicJWK: jwk, Sealed: sealed, CreateTime: now}, nil
}

// Signer opens the key's private part for signing on behalf of issuerID. A
// compromised key is refused: it must never sign again.
func (k Key) Signer(kek *KEK, issuerID string) (crypto.Signer, error) {
	if k.Compromised() {
		return nil, fmt.Errorf("%w: key %s since %s", ErrKeyCompromised, k.Kid, k.CompromiseTime.Format(time.RFC3339))
	}
	if k.Sealed.Alg != k.Alg {
		return nil, fmt.Errorf("%w: key %s is %s but its sealed private key is %s", ErrKeyBinding, k.Kid, k.Alg, k.Sealed.Alg)
	}
	return Open(k.Sealed, kek, issuerID, k.Kid)
}

// StateAt is the key's state at time t as its times define it.
func (k Key) StateAt(t time.Time) State {
	switch {
	case k.Compromised():
		return StateCompromised
	case k.ActivateTime.IsZero() || t.Before(k.ActivateTime):
		return StatePending
	case !k.RetireTime.IsZero() && !t.Before(k.RetireTime):
		return StateRetired
	}
	return StateActive
}

// ValidAt tells whether a signature made at time t by k was made in its
// active window, and so may be trusted. A compromised key is never valid:
// until issuance time can be proven independently, a signature claiming an
// early time proves nothing.
func ValidAt(k Key, t time.Time) bool { return k.StateAt(t) == StateActive }

// Compromised tells whether the key was marked compromised; the time
// counts as well as the state, so a stale State cannot hide a compromise.
func (k Key) Compromised() bool {
	return k.State == StateCompromised || !k.CompromiseTime.IsZero()
}
