package verifier

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

// registrySnap holds registry records (TopicRegistry).
type registrySnap struct {
	issuers  lazyMap[string, *model.Issuer]
	profiles lazyMap[profileKey, *profileEntry]
	accs     lazyMap[accKey, []*model.Accreditation]
}

type profileKey struct {
	sectorID, profileID string
	version             int32
}

type accKey struct{ issuerID, sectorID, profileID string }

// profileEntry is a profile version with what verification derives from
// it, computed once per snapshot rather than per credential.
type profileEntry struct {
	pv     *model.ProfileVersion
	sector *model.Sector
	// achievements are the exact OB3 achievements credentials must carry,
	// by competency id (credential.AchievementFor).
	achievements map[string]*credential.Achievement
	// byAchievementID finds a competency by its achievement's id
	// ("<profile version URL>#<competency id>").
	byAchievementID map[string]*model.Competency
}

// keysSnap holds issuer key sets (TopicKeys).
type keysSnap struct {
	sets lazyMap[string, map[string]*keys.Key] // issuer id -> kid -> key

	// owners maps every kid to its issuer, to tell a kid of another issuer
	// from an unknown one. Built once per snapshot, on the first token
	// whose kid is not in the named issuer's set.
	ownersMu sync.Mutex
	owners   map[string]string
}

// statusSnap holds status lists (TopicStatus). A nil list was never
// written: all its bits are clear.
type statusSnap struct {
	lists lazyMap[listKey, *statuslist.Bitstring]
}

type listKey struct {
	issuerID string
	purpose  statuslist.Purpose
	list     int32
}

// reads is one verification's view of the snapshots and the store.
type reads struct {
	ctx  context.Context
	st   store.Reader
	base string
	reg  *registrySnap
	keys *keysSnap
	stat *statusSnap
}

// view runs fn in a read transaction of the store.
func (r *reads) view(fn func(store.ReadTx) error) error { return r.st.View(r.ctx, fn) }

// notFound turns the store's ErrNotFound into a nil result: a missing
// record is an answer for a verdict, not a failure of Skillpass.
func notFound[T any](v *T, err error) (*T, error) {
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// issuer returns the registered issuer, or nil.
func (r *reads) issuer(id string) (*model.Issuer, error) {
	return load(&r.reg.issuers, id, func() (i *model.Issuer, keep bool, err error) {
		err = r.view(func(tx store.ReadTx) error {
			i, err = notFound(tx.GetIssuer(id))
			return err
		})
		return i, i != nil, err
	})
}

// profile returns the profile version with its sector, or nil if either
// does not exist.
func (r *reads) profile(sectorID, profileID string, version int32) (*profileEntry, error) {
	k := profileKey{sectorID, profileID, version}
	return load(&r.reg.profiles, k, func() (*profileEntry, bool, error) {
		var e *profileEntry
		err := r.view(func(tx store.ReadTx) error {
			pv, err := notFound(tx.GetProfileVersion(sectorID, profileID, version))
			if err != nil || pv == nil {
				return err
			}
			sector, err := notFound(tx.GetSector(sectorID))
			if err != nil || sector == nil {
				return err
			}
			e = newProfileEntry(r.base, sector, pv)
			return nil
		})
		return e, e != nil, err
	})
}

func newProfileEntry(base string, sector *model.Sector, pv *model.ProfileVersion) *profileEntry {
	n := len(pv.Competencies)
	e := &profileEntry{pv: pv, sector: sector,
		achievements: make(map[string]*credential.Achievement, n), byAchievementID: make(map[string]*model.Competency, n)}
	for i := range pv.Competencies {
		c := &pv.Competencies[i]
		a := credential.AchievementFor(base, sector, pv, c)
		e.achievements[c.ID] = &a
		e.byAchievementID[a.ID] = c
	}
	return e
}

// accreditations returns the issuer's accreditations for a profile. Only
// called for an issuer whose signature checked out, so an empty answer is
// kept too.
func (r *reads) accreditations(issuerID, sectorID, profileID string) ([]*model.Accreditation, error) {
	return load(&r.reg.accs, accKey{issuerID, sectorID, profileID}, func() (accs []*model.Accreditation, keep bool, err error) {
		err = r.view(func(tx store.ReadTx) error {
			accs, err = tx.AccreditationsFor(issuerID, sectorID, profileID)
			return err
		})
		return accs, true, err
	})
}

// keySet returns the issuer's keys by kid; empty if it has none.
func (r *reads) keySet(issuerID string) (map[string]*keys.Key, error) {
	return load(&r.keys.sets, issuerID, func() (map[string]*keys.Key, bool, error) {
		var set keys.Set
		err := r.view(func(tx store.ReadTx) (err error) {
			set, err = tx.IssuerKeys(issuerID)
			return err
		})
		if err != nil {
			return nil, false, err
		}
		return indexKeys(set), len(set) > 0, nil
	})
}

func indexKeys(set keys.Set) map[string]*keys.Key {
	m := make(map[string]*keys.Key, len(set))
	for i := range set {
		m[set[i].Kid] = &set[i]
	}
	return m
}

// kidOwner returns the issuer whose key set holds kid, or "".
func (r *reads) kidOwner(kid string) (string, error) {
	k := r.keys
	k.ownersMu.Lock()
	defer k.ownersMu.Unlock()
	if k.owners == nil {
		owners, err := r.loadOwners()
		if err != nil {
			return "", err
		}
		k.owners = owners
	}
	return k.owners[kid], nil
}

// loadOwners reads every issuer's key set in one transaction.
func (r *reads) loadOwners() (map[string]string, error) {
	owners := make(map[string]string)
	err := r.view(func(tx store.ReadTx) error {
		cursor := ""
		for {
			page, next, err := tx.ListIssuers(cursor, 1000)
			if err != nil {
				return err
			}
			for _, iss := range page {
				set, err := tx.IssuerKeys(iss.ID)
				if err != nil {
					return err
				}
				for _, key := range set {
					owners[key.Kid] = iss.ID
				}
			}
			if next == "" {
				return nil
			}
			cursor = next
		}
	})
	if err != nil {
		return nil, fmt.Errorf("read key sets: %w", err)
	}
	return owners, nil
}

// statusList returns one of an issuer's lists, nil if never written.
func (r *reads) statusList(issuerID string, purpose statuslist.Purpose, list int32) (*statuslist.Bitstring, error) {
	return load(&r.stat.lists, listKey{issuerID, purpose, list}, func() (*statuslist.Bitstring, bool, error) {
		var bits *statuslist.Bitstring
		err := r.view(func(tx store.ReadTx) error {
			l, err := notFound(tx.GetStatusList(issuerID, string(purpose), list))
			if err != nil || l == nil {
				return err
			}
			bits, err = statuslist.FromBytes(l.Bits)
			if err != nil {
				return fmt.Errorf("stored %s list %d of issuer %q: %w", purpose, list, issuerID, err)
			}
			return nil
		})
		return bits, true, err
	})
}
