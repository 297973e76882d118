package p256verify

import (
	"container/list"
	"crypto/ecdsa"
	"crypto/elliptic"
	"math/big"
	"sync"
	"time"
)

// DefaultCacheSize is the number of key tables the package-level Verify keeps:
// 64 tables of 148 KiB on amd64 (222 KiB elsewhere), about 9.5 MiB (14 MiB),
// enough for every active key of a few dozen issuers.
const DefaultCacheSize = 64

var defaultCache = NewCache(DefaultCacheSize)

// Verify reports whether (r, s) is a valid signature by pub over digest, with
// exactly the result of crypto/ecdsa.Verify, using the package's shared cache
// of key tables (see Cache). Keys on other curves go to crypto/ecdsa. It never
// panics: a nil or malformed key or a nil r or s is simply rejected.
func Verify(pub *ecdsa.PublicKey, digest []byte, r, s *big.Int) bool {
	return defaultCache.Verify(pub, digest, r, s)
}

// VerifyP1363 is Verify for a 64-byte r||s signature (JWS ES256).
func VerifyP1363(pub *ecdsa.PublicKey, digest, sig []byte) bool {
	return defaultCache.VerifyP1363(pub, digest, sig)
}

// Cache remembers key tables for the public keys it has seen, so a caller can
// verify with just an *ecdsa.PublicKey. It is safe for concurrent use.
//
// A key's table is built on its second use: the first use goes to
// crypto/ecdsa.Verify, so a key seen once costs no more than crypto/ecdsa and
// keeps no table. Keys seen once are remembered (65 bytes each) in a list of
// at most size entries, separate from the tables, so a stream of one-off keys
// cannot flush the tables of busy keys.
//
// Memory bound: at most size tables (148 KiB each on amd64, 222 KiB
// elsewhere) are retained, plus one table under construction per goroutine
// that is building one at that moment. No lock is held while a table is built (about 1 ms); concurrent callers
// needing the same table meanwhile use crypto/ecdsa rather than wait. When
// more than size keys are in constant use, tables are evicted least recently
// used first and rebuilt on the next reuse; size the cache to the number of
// keys that verify routinely.
type Cache struct {
	size int

	mu      sync.Mutex
	builds  buildBudget
	entries map[keyEncoding]*list.Element
	tables  list.List // of *cacheEntry with a table; front is most recent
	seen    list.List // of *cacheEntry without a table; front is most recent
}

// keyEncoding is the SEC 1 uncompressed encoding of a public key: 0x04 || X || Y.
type keyEncoding [1 + 2*scalarSize]byte

type cacheEntry struct {
	enc      keyEncoding
	key      *Key // nil until built
	building bool
	invalid  bool // NewKey refused the key: never try again
}

// NewCache returns a cache keeping at most size key tables (size < 1 is
// treated as 1).
func NewCache(size int) *Cache {
	return &Cache{size: max(size, 1), entries: make(map[keyEncoding]*list.Element)}
}

// Verify is the package-level Verify using this cache.
func (c *Cache) Verify(pub *ecdsa.PublicKey, digest []byte, r, s *big.Int) bool {
	if k := c.key(pub); k != nil {
		return k.Verify(digest, r, s)
	}
	return fallbackVerify(pub, digest, r, s)
}

// VerifyP1363 is the package-level VerifyP1363 using this cache.
func (c *Cache) VerifyP1363(pub *ecdsa.PublicKey, digest, sig []byte) bool {
	r, s, ok := splitP1363(sig)
	return ok && c.Verify(pub, digest, r, s)
}

// Len reports how many keys have a table in the cache.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tables.Len()
}

// fallbackVerify is crypto/ecdsa.Verify, minus the inputs on which it would
// panic (nil key, curve, coordinates, r or s).
func fallbackVerify(pub *ecdsa.PublicKey, digest []byte, r, s *big.Int) bool {
	if pub == nil || pub.Curve == nil || r == nil || s == nil {
		return false
	}
	//lint:ignore SA1019 nil coordinates would make crypto/ecdsa panic; they are only compared with nil
	if x, y := pub.X, pub.Y; x == nil || y == nil {
		return false
	}
	return ecdsa.Verify(pub, digest, r, s)
}

// encodeKey returns pub's uncompressed encoding without validating the point:
// only keys that NewKey accepted ever get a table, and the fixed-width
// encoding is one-to-one, so an unvalidated key can never match one.
//
// It reads the coordinates directly, which Go 1.26 deprecates in favour of
// PublicKey.Bytes: Bytes also checks that the point is on the curve, work
// this lookup runs on every verification and does not need.
func encodeKey(pub *ecdsa.PublicKey) (enc keyEncoding, ok bool) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return enc, false
	}
	//lint:ignore SA1019 see the doc comment: an unvalidated fixed-width encoding is all a lookup needs
	x, y := pub.X, pub.Y
	if x == nil || y == nil || x.Sign() < 0 || y.Sign() < 0 || x.BitLen() > 256 || y.BitLen() > 256 {
		return enc, false
	}
	enc[0] = 4
	x.FillBytes(enc[1 : 1+scalarSize])
	y.FillBytes(enc[1+scalarSize:])
	return enc, true
}

// key returns pub's table if the cache has one, building it if this is the
// key's second use, or nil to send the caller to crypto/ecdsa.
func (c *Cache) key(pub *ecdsa.PublicKey) *Key {
	enc, ok := encodeKey(pub)
	if !ok {
		return nil
	}
	c.mu.Lock()
	el, found := c.entries[enc]
	if !found {
		c.entries[enc] = c.seen.PushFront(&cacheEntry{enc: enc})
		c.trim(&c.seen)
		c.mu.Unlock()
		return nil
	}
	e := el.Value.(*cacheEntry)
	if e.key != nil {
		c.tables.MoveToFront(el)
		c.mu.Unlock()
		return e.key
	}
	c.seen.MoveToFront(el)
	if e.building || e.invalid || !c.builds.take(time.Now()) {
		c.mu.Unlock()
		return nil
	}
	e.building = true
	c.mu.Unlock()

	// From the encoding taken above, not from pub again: a caller that
	// changed pub meanwhile must not get another key's table stored under
	// this key's encoding.
	k, err := newKeyFromEncoding(enc[:], defaultWindow)

	c.mu.Lock()
	defer c.mu.Unlock()
	e.building = false
	if err != nil {
		e.invalid = true
		return nil
	}
	// The entry may have been evicted while the table was built; the table
	// still serves this call but is not kept.
	if c.entries[enc] == el {
		c.seen.Remove(el)
		e.key = k
		c.entries[enc] = c.tables.PushFront(e)
		c.trim(&c.tables)
	}
	return k
}

// Table builds are rate limited. Every issuer key is public and a token
// chooses its key by kid, so with more keys than the cache holds a caller
// could use each key twice in turn and make every other call build a
// table (a review measured 7.5x crypto/ecdsa per call). Past the
// budget the call simply goes to crypto/ecdsa, so no input costs more than
// crypto/ecdsa plus the budget's share: maxBuildsPerSecond builds of about
// 1 ms each is under 1% of a CPU. A deployment's routine keys still get
// their tables within seconds of first use.
const (
	maxBuildsPerSecond = 8
	maxBuildBurst      = 8
)

// buildBudget is a token bucket of table builds; the Cache's mutex guards it.
type buildBudget struct {
	tokens float64
	last   time.Time
}

// take reports whether a build may start now, spending a token if so.
func (b *buildBudget) take(now time.Time) bool {
	if b.last.IsZero() {
		b.tokens = maxBuildBurst
	} else if d := now.Sub(b.last); d > 0 {
		b.tokens = min(maxBuildBurst, b.tokens+d.Seconds()*maxBuildsPerSecond)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// trim evicts the least recently used entries of l beyond the cache size.
func (c *Cache) trim(l *list.List) {
	for l.Len() > c.size {
		e := l.Remove(l.Back()).(*cacheEntry)
		delete(c.entries, e.enc)
	}
}
