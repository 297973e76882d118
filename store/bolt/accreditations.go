package bolt

import (
	"bytes"
	"fmt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

var accreditationCodec = codec[*model.Accreditation, *storagev1.Accreditation]{
	kind:   "accreditation",
	newMsg: func() *storagev1.Accreditation { return new(storagev1.Accreditation) },
	toPB:   infallible(accreditationToPB),
	fromPB: infallible(accreditationFromPB),
}

func accreditationRef(issuerID, id string) string {
	return fmt.Sprintf("%q of issuer %q", id, issuerID)
}

func (t *tx) GetAccreditation(issuerID, id string) (*model.Accreditation, error) {
	if err := checkIDs("issuer_id", issuerID, "accreditation_id", id); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketAccreditations)
	if err != nil {
		return nil, err
	}
	return accreditationCodec.get(b, joinKey(issuerID, id), accreditationRef(issuerID, id))
}

func (t *tx) ListAccreditations(issuerID, cursor string, limit int) ([]*model.Accreditation, string, error) {
	if err := checkIDs("issuer_id", issuerID); err != nil {
		return nil, "", err
	}
	b, err := t.bucket(bucketAccreditations)
	if err != nil {
		return nil, "", err
	}
	return accreditationCodec.list(b, prefixKey(issuerID), cursor, limit)
}

// AccreditationsFor walks the accreditations_by_profile index, whose keys
// end in the accreditation id, and loads each record. An index entry
// without its record means the file was damaged and is reported, not
// skipped: verification must not quietly miss an accreditation.
func (t *tx) AccreditationsFor(issuerID, sectorID, profileID string) ([]*model.Accreditation, error) {
	if err := checkIDs("issuer_id", issuerID, "sector_id", sectorID, "profile_id", profileID); err != nil {
		return nil, err
	}
	bs, err := t.buckets(bucketAccByProfile, bucketAccreditations)
	if err != nil {
		return nil, err
	}
	index, records := bs[0], bs[1]
	prefix := prefixKey(issuerID, sectorID, profileID)
	var out []*model.Accreditation
	c := index.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		id := string(k[len(prefix):])
		v := records.Get(joinKey(issuerID, id))
		if v == nil {
			return nil, fmt.Errorf("index %s names accreditation %s, which does not exist", bucketAccByProfile, accreditationRef(issuerID, id))
		}
		a, err := accreditationCodec.decode(v)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// CreateAccreditation writes the record and its index entry together; the
// index never changes afterwards because issuer, sector and profile of an
// accreditation are fixed.
func (t *tx) CreateAccreditation(a *model.Accreditation) error {
	if a == nil {
		return model.Invalid("accreditation", "must be set")
	}
	err := checkIDs("accreditation.issuer_id", a.IssuerID, "accreditation.id", a.ID,
		"accreditation.sector_id", a.SectorID, "accreditation.profile_id", a.ProfileID)
	if err != nil {
		return err
	}
	bs, err := t.buckets(bucketAccreditations, bucketAccByProfile)
	if err != nil {
		return err
	}
	t.touch(store.TopicRegistry)
	if err := accreditationCodec.insert(bs[0], joinKey(a.IssuerID, a.ID), a, accreditationRef(a.IssuerID, a.ID)); err != nil {
		return err
	}
	return bs[1].Put(joinKey(a.IssuerID, a.SectorID, a.ProfileID, a.ID), []byte{})
}

// AppendAccreditationEvent only ever adds to the end of the stored history;
// the events already there are written back exactly as they were read.
func (t *tx) AppendAccreditationEvent(issuerID, id string, ev model.AccreditationEvent) (*model.Accreditation, error) {
	if err := checkIDs("issuer_id", issuerID, "accreditation_id", id); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketAccreditations)
	if err != nil {
		return nil, err
	}
	key := joinKey(issuerID, id)
	a, err := accreditationCodec.get(b, key, accreditationRef(issuerID, id))
	if err != nil {
		return nil, err
	}
	t.touch(store.TopicRegistry)
	a.Events = append(a.Events, ev)
	if err := accreditationCodec.put(b, key, a); err != nil {
		return nil, err
	}
	return a, nil
}
