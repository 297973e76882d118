package bolt

import (
	"strconv"

	bbolt "go.etcd.io/bbolt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

var sectorCodec = codec[*model.Sector, *storagev1.Sector]{
	kind:   "sector",
	newMsg: func() *storagev1.Sector { return new(storagev1.Sector) },
	toPB:   infallible(sectorToPB),
	fromPB: infallible(sectorFromPB),
}

func (t *tx) GetSector(id string) (*model.Sector, error) {
	if err := checkIDs("sector_id", id); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketSectors)
	if err != nil {
		return nil, err
	}
	return sectorCodec.get(b, []byte(id), strconv.Quote(id))
}

func (t *tx) ListSectors(cursor string, limit int) ([]*model.Sector, string, error) {
	b, err := t.bucket(bucketSectors)
	if err != nil {
		return nil, "", err
	}
	return sectorCodec.list(b, nil, cursor, limit)
}

func (t *tx) CreateSector(s *model.Sector) error { return t.writeSector(s, sectorCodec.insert) }

func (t *tx) UpdateSector(s *model.Sector) error { return t.writeSector(s, sectorCodec.replace) }

func (t *tx) writeSector(s *model.Sector, write func(*bbolt.Bucket, []byte, *model.Sector, string) error) error {
	if s == nil {
		return model.Invalid("sector", "must be set")
	}
	if err := checkIDs("sector.id", s.ID); err != nil {
		return err
	}
	b, err := t.bucket(bucketSectors)
	if err != nil {
		return err
	}
	t.touch(store.TopicRegistry)
	return write(b, []byte(s.ID), s, strconv.Quote(s.ID))
}
