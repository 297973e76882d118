package bolt

// Generic record access shared by every entity: encode/decode through a
// codec, insert-if-absent, replace-if-present and paged listing. The entity
// files only build keys and keep their indexes.

import (
	"bytes"
	"fmt"

	bbolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/skillpass-nl/skillpass/model"
)

// codec ties a domain type T to its storage message M.
type codec[T any, M proto.Message] struct {
	kind   string // for error messages: "sector", "token", ...
	newMsg func() M
	toPB   func(T) (M, error)
	fromPB func(M) (T, error)
}

// infallible adapts a conversion that cannot fail to codec.toPB or
// codec.fromPB.
func infallible[A any, B any](f func(A) B) func(A) (B, error) {
	return func(a A) (B, error) { return f(a), nil }
}

func (c codec[T, M]) encode(v T) ([]byte, error) {
	m, err := c.toPB(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", c.kind, err)
	}
	b, err := proto.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", c.kind, err)
	}
	return b, nil
}

// decode copies out of b (proto.Unmarshal does not alias its input), so the
// result stays valid after the transaction that read b ends.
func (c codec[T, M]) decode(b []byte) (T, error) {
	m := c.newMsg()
	if err := proto.Unmarshal(b, m); err != nil {
		var zero T
		return zero, fmt.Errorf("decode %s record: %w", c.kind, err)
	}
	return c.fromPB(m)
}

func (c codec[T, M]) notFound(ref string) error {
	return fmt.Errorf("%w: %s %s", model.ErrNotFound, c.kind, ref)
}

// get returns the record under key; ref names it in the not-found error.
func (c codec[T, M]) get(b *bbolt.Bucket, key []byte, ref string) (T, error) {
	v := b.Get(key)
	if v == nil {
		var zero T
		return zero, c.notFound(ref)
	}
	return c.decode(v)
}

func (c codec[T, M]) put(b *bbolt.Bucket, key []byte, v T) error {
	enc, err := c.encode(v)
	if err != nil {
		return err
	}
	return b.Put(key, enc)
}

// insert stores v unless key is taken.
func (c codec[T, M]) insert(b *bbolt.Bucket, key []byte, v T, ref string) error {
	if b.Get(key) != nil {
		return fmt.Errorf("%w: %s %s", model.ErrAlreadyExists, c.kind, ref)
	}
	return c.put(b, key, v)
}

// replace stores v over an existing record.
func (c codec[T, M]) replace(b *bbolt.Bucket, key []byte, v T, ref string) error {
	if b.Get(key) == nil {
		return c.notFound(ref)
	}
	return c.put(b, key, v)
}

// list returns up to limit records whose keys start with prefix, after the
// key the cursor names. It looks one key beyond the page so that next is ""
// when the page happens to end exactly at the last record.
func (c codec[T, M]) list(b *bbolt.Bucket, prefix []byte, cursor string, limit int) ([]T, string, error) {
	if limit <= 0 {
		return nil, "", model.Invalid("page_size", "must be positive, got %d", limit)
	}
	cur := b.Cursor()
	var k, v []byte
	if cursor == "" {
		k, v = cur.Seek(prefix)
	} else {
		last, err := decodeCursor(cursor, prefix)
		if err != nil {
			return nil, "", err
		}
		if k, v = cur.Seek(last); bytes.Equal(k, last) {
			k, v = cur.Next()
		}
	}
	var (
		out     []T
		lastKey []byte
	)
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
		if len(out) == limit {
			return out, encodeCursor(lastKey), nil
		}
		rec, err := c.decode(v)
		if err != nil {
			return nil, "", err
		}
		out = append(out, rec)
		lastKey = k
	}
	return out, "", nil
}
