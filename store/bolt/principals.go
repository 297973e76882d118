package bolt

import (
	"strconv"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
)

var principalCodec = codec[*model.Principal, *storagev1.Principal]{
	kind:   "principal",
	newMsg: func() *storagev1.Principal { return new(storagev1.Principal) },
	toPB:   infallible(principalToPB),
	fromPB: infallible(principalFromPB),
}

func (t *tx) GetPrincipal(id string) (*model.Principal, error) {
	if err := checkIDs("principal_id", id); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketPrincipals)
	if err != nil {
		return nil, err
	}
	return principalCodec.get(b, []byte(id), strconv.Quote(id))
}

func (t *tx) ListPrincipals(cursor string, limit int) ([]*model.Principal, string, error) {
	b, err := t.bucket(bucketPrincipals)
	if err != nil {
		return nil, "", err
	}
	return principalCodec.list(b, nil, cursor, limit)
}

func (t *tx) CreatePrincipal(p *model.Principal) error {
	if p == nil {
		return model.Invalid("principal", "must be set")
	}
	if err := checkIDs("principal.id", p.ID); err != nil {
		return err
	}
	b, err := t.bucket(bucketPrincipals)
	if err != nil {
		return err
	}
	return principalCodec.insert(b, []byte(p.ID), p, strconv.Quote(p.ID))
}
