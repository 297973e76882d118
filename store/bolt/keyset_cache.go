package bolt

import (
	"bytes"
	"slices"
	"sync"

	"github.com/skillpass-nl/skillpass/keys"
)

// maxCachedKeySets bounds the decoded key sets kept: one per issuer, and a
// national deployment has a few thousand issuers; a full cache is simply
// emptied.
const maxCachedKeySets = 4096

// keySetCache remembers, per issuer, the stored bytes of its key set and
// their decoding. Every issuance re-reads the key set inside its commit
// (the key may have been marked compromised since the snapshot), and
// decoding it parses every public JWK from JSON. The cache is keyed by the
// exact bytes the reading transaction sees, not by a version counter, so
// it cannot answer a transaction with a set that transaction would not
// have read itself: a changed record is a different key and is decoded
// afresh.
type keySetCache struct {
	mu sync.Mutex
	m  map[string]cachedKeySet // by issuer id
}

type cachedKeySet struct {
	raw []byte // a private copy of the stored record
	set keys.Set
}

// get returns a copy of the set decoded from raw, if it is cached.
func (c *keySetCache) get(issuerID string, raw []byte) (keys.Set, bool) {
	c.mu.Lock()
	hit, ok := c.m[issuerID]
	c.mu.Unlock()
	if !ok || !bytes.Equal(hit.raw, raw) {
		return nil, false
	}
	// The slice is the caller's to change (lifecycle functions update
	// states in a copy, but nothing forbids editing in place); the keys'
	// byte slices and public keys are never modified.
	return slices.Clone(hit.set), true
}

// put remembers set as the decoding of raw, which it copies: bbolt's
// bytes are valid only inside the transaction.
func (c *keySetCache) put(issuerID string, raw []byte, set keys.Set) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedKeySets {
		c.m = make(map[string]cachedKeySet)
	}
	c.m[issuerID] = cachedKeySet{raw: bytes.Clone(raw), set: slices.Clone(set)}
}
