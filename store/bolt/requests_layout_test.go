package bolt

import (
	"bytes"
	"context"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// TestRequestResultLayout: a request's result is kept in the time index,
// not in its randomly keyed record, and a record written before that
// layout, with the result inside it, still reads back whole.
func TestRequestResultLayout(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	now := time.Unix(1795700000, 0).UTC()
	result := bytes.Repeat([]byte("sealed"), 400)
	put := func(key string, r *model.RequestRecord) {
		t.Helper()
		if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutRequest(key, r) }); err != nil {
			t.Fatal(err)
		}
	}
	put("new", &model.RequestRecord{ResultName: "issuers/a/credentials/1", Result: result, CreateTime: now})
	put("none", &model.RequestRecord{ResultName: "issuers/a/credentials/2", CreateTime: now})
	// The old layout, written directly: the result in the record, nothing
	// in the index.
	if err := s.withDB(ctx, func(db *bbolt.DB) error {
		return db.Update(func(btx *bbolt.Tx) error {
			v, err := requestCodec.encode(&model.RequestRecord{ResultName: "issuers/a/credentials/3", Result: result, CreateTime: now})
			if err != nil {
				return err
			}
			if err := btx.Bucket(bucketRequests).Put([]byte("old"), v); err != nil {
				return err
			}
			return btx.Bucket(bucketRequestsByTime).Put(requestTimeKey(now, "old"), nil)
		})
	}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, key string
		want      []byte
		inIndex   bool
	}{
		{"ok/result in the time index", "new", result, true},
		{"ok/no result", "none", nil, false},
		{"ok/result in the record (older layout)", "old", result, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got *model.RequestRecord
			if err := s.View(ctx, func(tx store.ReadTx) (err error) {
				got, err = tx.GetRequest(tc.key)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Result, tc.want) || !got.CreateTime.Equal(now) {
				t.Fatalf("result %d bytes at %v, want %d bytes at %v", len(got.Result), got.CreateTime, len(tc.want), now)
			}
			if err := s.withDB(ctx, func(db *bbolt.DB) error {
				return db.View(func(btx *bbolt.Tx) error {
					stored, err := requestCodec.decode(btx.Bucket(bucketRequests).Get([]byte(tc.key)))
					if err != nil {
						return err
					}
					indexed := btx.Bucket(bucketRequestsByTime).Get(requestTimeKey(now, tc.key))
					if (len(indexed) > 0) != tc.inIndex || (tc.inIndex && len(stored.Result) > 0) {
						t.Errorf("record holds %d result bytes, index %d; want the result in the index: %v", len(stored.Result), len(indexed), tc.inIndex)
					}
					return nil
				})
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
	// The sweep removes the result with its record.
	if err := s.Update(ctx, func(tx store.Tx) error {
		n, err := tx.DeleteRequestsBefore(now.Add(time.Second), 10)
		if err == nil && n != 3 {
			t.Errorf("swept %d records, want 3", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.withDB(ctx, func(db *bbolt.DB) error {
		return db.View(func(btx *bbolt.Tx) error {
			if n := btx.Bucket(bucketRequestsByTime).Stats().KeyN; n != 0 {
				t.Errorf("time index keeps %d entries after the sweep", n)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
}
