package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

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
	bs, err := t.buckets(bucketRequests, bucketRequestsByTime)
	if err != nil {
		return nil, err
	}
	r, err := requestCodec.get(bs[0], []byte(key), strconv.Quote(key))
	if err != nil || len(r.Result) > 0 {
		return r, err // a result stored in the record itself (before layout 3 had results in the index)
	}
	if v := bs[1].Get(requestTimeKey(r.CreateTime, key)); len(v) > 0 {
		r.Result = bytes.Clone(v)
	}
	return r, nil
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
	bs, err := t.buckets(bucketRequests, bucketRequestsByTime)
	if err != nil {
		return err
	}
	reqs, byTime := bs[0], bs[1]
	// An overwritten record leaves its old place in the time index.
	if old := reqs.Get([]byte(key)); old != nil {
		prev, err := requestCodec.decode(old)
		if err != nil {
			return fmt.Errorf("request %s: %w", strconv.Quote(key), err)
		}
		if err := byTime.Delete(requestTimeKey(prev.CreateTime, key)); err != nil {
			return err
		}
	}
	// The result goes into the time index, whose keys grow with time, and
	// the record keeps the rest: request keys are mostly HMACs (only a
	// version 7 request id puts its time in front), so records land on
	// random pages of their bucket, and a record without its result
	// (about 150 bytes, not a sealed credential) keeps that bucket small
	// and its writes few. BenchmarkIssueRequestRecord measures it.
	rec := *r
	rec.Result = nil
	if err := requestCodec.put(reqs, []byte(key), &rec); err != nil {
		return err
	}
	return byTime.Put(requestTimeKey(r.CreateTime, key), r.Result)
}

// requestTimeKey is the index key of a request record: its creation time,
// then its key, so records of the same instant stay distinct.
func requestTimeKey(created time.Time, key string) []byte {
	b := make([]byte, 8, 8+len(key))
	binary.BigEndian.PutUint64(b, uint64(max(created.UnixNano(), 0)))
	return append(b, key...)
}

func (t *tx) DeleteRequestsBefore(cutoff time.Time, limit int) (int, error) {
	if limit < 1 {
		return 0, model.Invalid("limit", "must be at least 1, got %d", limit)
	}
	bs, err := t.buckets(bucketRequests, bucketRequestsByTime)
	if err != nil {
		return 0, err
	}
	reqs, byTime := bs[0], bs[1]
	end := uint64(max(cutoff.UnixNano(), 0))
	var doomed [][]byte
	c := byTime.Cursor()
	for k, _ := c.First(); k != nil && len(doomed) < limit; k, _ = c.Next() {
		if len(k) < 8 || binary.BigEndian.Uint64(k[:8]) >= end {
			break
		}
		doomed = append(doomed, bytes.Clone(k))
	}
	// Deleting while iterating a bbolt cursor skips keys; collect first.
	for _, k := range doomed {
		if err := reqs.Delete(k[8:]); err != nil {
			return 0, err
		}
		if err := byTime.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// indexRequestsByTime fills the time index from the request records, for
// the migration that adds it.
func indexRequestsByTime(btx *bbolt.Tx) error {
	reqs, byTime := btx.Bucket(bucketRequests), btx.Bucket(bucketRequestsByTime)
	return reqs.ForEach(func(k, v []byte) error {
		r, err := requestCodec.decode(v)
		if err != nil {
			return fmt.Errorf("index request %q: %w", k, err)
		}
		return byTime.Put(requestTimeKey(r.CreateTime, string(k)), nil)
	})
}
