package bolt

import (
	"strconv"

	bbolt "go.etcd.io/bbolt"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
)

var requestCodec = codec[*model.RequestRecord, *storagev1.RequestRecord]{
	kind:   "request",
	newMsg: func() *storagev1.RequestRecord { return new(storagev1.RequestRecord) },
	toPB:   infallible(requestToPB),
	fromPB: requestFromPB,
}

// checkRequestKey: request keys are built by internal/requests and join
// their parts with NUL themselves, so unlike ids they may contain it. They
// must fit a bbolt key.
func checkRequestKey(key string) error {
	switch {
	case key == "":
		return model.Invalid("request_key", "must not be empty")
	case len(key) > bbolt.MaxKeySize:
		return model.Invalid("request_key", "must be at most %d bytes, got %d", bbolt.MaxKeySize, len(key))
	}
	return nil
}

func (t *tx) GetRequest(key string) (*model.RequestRecord, error) {
	if err := checkRequestKey(key); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketRequests)
	if err != nil {
		return nil, err
	}
	return requestCodec.get(b, []byte(key), strconv.Quote(key))
}

// PutRequest overwrites: the domain looks a key up first and records only
// outcomes of requests it actually ran.
func (t *tx) PutRequest(key string, r *model.RequestRecord) error {
	if r == nil {
		return model.Invalid("request", "must be set")
	}
	if err := checkRequestKey(key); err != nil {
		return err
	}
	b, err := t.bucket(bucketRequests)
	if err != nil {
		return err
	}
	return requestCodec.put(b, []byte(key), r)
}
