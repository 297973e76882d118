package bolt

import (
	"strconv"

	bbolt "go.etcd.io/bbolt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

var issuerCodec = codec[*model.Issuer, *storagev1.Issuer]{
	kind:   "issuer",
	newMsg: func() *storagev1.Issuer { return new(storagev1.Issuer) },
	toPB:   infallible(issuerToPB),
	fromPB: infallible(issuerFromPB),
}

func (t *tx) GetIssuer(id string) (*model.Issuer, error) {
	if err := checkIDs("issuer_id", id); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketIssuers)
	if err != nil {
		return nil, err
	}
	return issuerCodec.get(b, []byte(id), strconv.Quote(id))
}

func (t *tx) ListIssuers(cursor string, limit int) ([]*model.Issuer, string, error) {
	b, err := t.bucket(bucketIssuers)
	if err != nil {
		return nil, "", err
	}
	return issuerCodec.list(b, nil, cursor, limit)
}

func (t *tx) CreateIssuer(i *model.Issuer) error { return t.writeIssuer(i, issuerCodec.insert) }

func (t *tx) UpdateIssuer(i *model.Issuer) error { return t.writeIssuer(i, issuerCodec.replace) }

func (t *tx) writeIssuer(i *model.Issuer, write func(*bbolt.Bucket, []byte, *model.Issuer, string) error) error {
	if i == nil {
		return model.Invalid("issuer", "must be set")
	}
	if err := checkIDs("issuer.id", i.ID); err != nil {
		return err
	}
	b, err := t.bucket(bucketIssuers)
	if err != nil {
		return err
	}
	t.touch(store.TopicRegistry)
	return write(b, []byte(i.ID), i, strconv.Quote(i.ID))
}
