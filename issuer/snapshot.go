package issuer

import (
	"context"
	"fmt"
	"sync"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// maxSnapshots bounds the snapshot cache. There is one entry per (issuer,
// profile version) in use, a few thousand at most in a national
// deployment; a cache that fills up is simply emptied.
const maxSnapshots = 4096

// snapshot is what the rules of one issuance read: the issuer, the sector,
// the profile version, the issuer's accreditations for the profile and its
// key set, all from one read transaction. It is shared between
// concurrent issuances and never modified.
type snapshot struct {
	regVer, keysVer uint64
	issuer          *model.Issuer
	sector          *model.Sector
	profile         *model.ProfileVersion
	accreditations  []*model.Accreditation
	keys            keys.Set
}

type snapshotKey struct {
	issuerID, sectorID, profileID string
	version                       int32
}

// snapshotCache keeps snapshots while store.Version says neither the
// registry nor any key set changed, so steady issuance for one profile
// does not decode the same records (and key set) for every credential.
// The commit still re-checks accreditation and key inside its own
// transaction, so a change that lands after the snapshot is caught there.
type snapshotCache struct {
	mu sync.Mutex
	m  map[snapshotKey]*snapshot
}

// snapshot returns the request's snapshot, from the cache if it is current.
func (s *Service) snapshot(ctx context.Context, req IssueRequest) (*snapshot, error) {
	k := snapshotKey{req.IssuerID, req.SectorID, req.ProfileID, req.Version}
	// Versions are read before the records: a change committed meanwhile
	// moves them past what is stored with the snapshot, never behind.
	regVer, keysVer := s.store.Version(store.TopicRegistry), s.store.Version(store.TopicKeys)
	c := &s.snapshots
	c.mu.Lock()
	hit, ok := c.m[k]
	c.mu.Unlock()
	if ok && hit.regVer == regVer && hit.keysVer == keysVer {
		return hit, nil
	}
	snap := &snapshot{regVer: regVer, keysVer: keysVer}
	if err := s.store.View(ctx, func(tx store.ReadTx) error { return snap.read(tx, req) }); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxSnapshots {
		c.m = make(map[snapshotKey]*snapshot)
	}
	c.m[k] = snap
	return snap, nil
}

// read fills the snapshot from tx; a missing issuer or profile version is
// refused here, before any rule is applied.
func (snap *snapshot) read(tx store.ReadTx, req IssueRequest) error {
	var err error
	if snap.issuer, err = tx.GetIssuer(req.IssuerID); err != nil {
		return model.AsMissing(err, model.ErrIssuerUnknown, fmt.Sprintf("issuer %q", req.IssuerID))
	}
	name := model.ProfileVersionName(req.SectorID, req.ProfileID, req.Version)
	if snap.profile, err = tx.GetProfileVersion(req.SectorID, req.ProfileID, req.Version); err != nil {
		return model.AsMissing(err, model.ErrProfileUnknown, name)
	}
	if snap.sector, err = tx.GetSector(req.SectorID); err != nil {
		return model.AsMissing(err, model.ErrProfileUnknown, name)
	}
	if snap.accreditations, err = tx.AccreditationsFor(req.IssuerID, req.SectorID, req.ProfileID); err != nil {
		return err
	}
	snap.keys, err = tx.IssuerKeys(req.IssuerID)
	return err
}
