package issuer

import (
	"context"
	"fmt"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// rewrapPage is how many issuers one ListIssuers call returns while
// re-wrapping; all pages are read in the same transaction.
const rewrapPage = 500

// RewrapKeys re-seals every issuer's private keys, and the deployment
// secret, from oldKEK to newKEK in one transaction and returns how many
// issuer keys it re-sealed. Any failure, such as a key that oldKEK does not
// open, aborts the transaction: either everything moves to newKEK or
// nothing does, so the database never needs two KEKs. Retired keys are
// re-sealed too (they must not keep the old KEK alive); compromised keys
// lose their private part instead, which nothing may use again. A key
// already under newKEK is left as it is and not counted.
//
// Sealed request results (results.go) need no work: they are sealed under
// a key derived from the deployment secret, which moves here, so replays
// keep working under newKEK. The secret itself is not changed: the old KEK
// no longer opens anything in this database file, but with a backup taken
// before the rewrap it still yields the deployment secret, and so the keys
// of holder hashes and sealed results, present and future. Rotating the
// deployment secret is not supported yet; treat old backups as sensitive as
// the old KEK.
func RewrapKeys(ctx context.Context, st store.Store, oldKEK, newKEK *keys.KEK) (int, error) {
	var v model.Violations
	if st == nil {
		v.Add("store", "is required")
	}
	if oldKEK == nil {
		v.Add("old_kek", "is required")
	}
	if newKEK == nil {
		v.Add("new_kek", "is required")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if oldKEK.ID() == newKEK.ID() {
		return 0, model.Invalid("new_kek", "is the same key as old_kek (%s)", oldKEK.ID())
	}
	var n int
	err := st.Update(ctx, func(tx store.Tx) error {
		n = 0 // Update may not run fn twice, but a count must never double
		if err := rewrapSecret(tx, oldKEK, newKEK); err != nil {
			return err
		}
		cursor := ""
		for {
			issuers, next, err := tx.ListIssuers(cursor, rewrapPage)
			if err != nil {
				return err
			}
			for _, is := range issuers {
				moved, err := rewrapIssuer(tx, is.ID, oldKEK, newKEK)
				if err != nil {
					return err
				}
				n += moved
			}
			if next == "" {
				return nil
			}
			cursor = next
		}
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// rewrapIssuer re-seals one issuer's keys and writes the set back if any
// key changed.
func rewrapIssuer(tx store.Tx, issuerID string, oldKEK, newKEK *keys.KEK) (int, error) {
	set, err := tx.IssuerKeys(issuerID)
	if err != nil {
		return 0, err
	}
	out := make(keys.Set, len(set))
	moved, wiped := 0, 0
	for i, k := range set {
		switch {
		case k.Compromised():
			// Stored before compromised keys were wiped at compromise.
			if k.Sealed.KEKID != "" {
				k.Sealed = keys.Sealed{}
				wiped++
			}
		case k.Sealed.KEKID != newKEK.ID():
			sealed, err := keys.Rewrap(k.Sealed, oldKEK, newKEK)
			if err != nil {
				return 0, fmt.Errorf("re-wrap key %s of issuer %q: %w", k.Kid, issuerID, err)
			}
			k.Sealed = sealed
			moved++
		}
		out[i] = k
	}
	if moved+wiped == 0 {
		return 0, nil
	}
	return moved, tx.PutIssuerKeys(issuerID, out)
}
