package bolt

import (
	"fmt"

	bbolt "go.etcd.io/bbolt"

	"github.com/skillpass-nl/skillpass/store"
)

// tx adapts a bbolt transaction to store.Tx. The same type serves View
// (where bbolt itself refuses writes) and Update. It is valid only inside
// the fn it was passed to.
type tx struct {
	btx     *bbolt.Tx
	topics  topicSet     // topics this transaction wrote, bumped after commit
	keySets *keySetCache // the store's decoded key sets
}

// touch records that the transaction writes records of topic. Writers call
// it before writing, not after succeeding: a write that fails half-way in a
// transaction that still commits must not leave read-path caches stale, and
// a needless bump only costs a cache refill.
func (t *tx) touch(topic store.Topic) { t.topics = t.topics.with(topic) }

var _ store.Tx = (*tx)(nil)

// bucket returns one of the schema's buckets. Open guarantees they exist;
// the error is for a database file changed behind the store's back.
func (t *tx) bucket(name []byte) (*bbolt.Bucket, error) {
	b := t.btx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("bucket %q is missing from the database", name)
	}
	return b, nil
}

// buckets returns several buckets at once for multi-record operations.
func (t *tx) buckets(names ...[]byte) ([]*bbolt.Bucket, error) {
	out := make([]*bbolt.Bucket, len(names))
	for i, n := range names {
		b, err := t.bucket(n)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}
