package verifier

import (
	"sync"
	"sync/atomic"

	"github.com/skillpass-nl/skillpass/store"
)

// The read path keeps in memory what verification needs, so that a
// verification decodes nothing from bbolt once the records it touches have
// been seen. There is one snapshot per store topic; each is filled lazily
// and dropped whole when the store's version of its topic moves on.
//
// Why per topic: a revocation (status) must not throw away parsed keys and
// rebuilt achievements (registry), and a registry edit must not throw away
// status lists. Why drop whole: the store tells only that something of the
// topic changed, not what.

// versions are the store's topic versions at the start of a verification.
type versions [store.NumTopics]uint64

func readVersions(r store.Reader) versions {
	var v versions
	for t := range store.NumTopics {
		v[t] = r.Version(t)
	}
	return v
}

// lazyMap is a concurrency-safe map filled on demand: many readers, few
// writers (the first sight of a record per snapshot).
type lazyMap[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (l *lazyMap[K, V]) get(k K) (V, bool) {
	l.mu.RLock()
	v, ok := l.m[k]
	l.mu.RUnlock()
	return v, ok
}

// put stores v unless another goroutine stored a value first, and returns
// the value that is stored, so concurrent loaders agree on one.
func (l *lazyMap[K, V]) put(k K, v V) V {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.m[k]; ok {
		return old
	}
	if l.m == nil {
		l.m = make(map[K]V)
	}
	l.m[k] = v
	return v
}

// load returns the value for k, fetching it on a miss. fetch reports
// whether the value may be kept: lookups driven by unauthenticated input
// (an issuer id from a token whose signature is not checked yet) keep
// only what exists, so hostile tokens cannot grow the map.
func load[K comparable, V any](l *lazyMap[K, V], k K, fetch func() (v V, keep bool, err error)) (V, error) {
	if v, ok := l.get(k); ok {
		return v, nil
	}
	v, keep, err := fetch()
	if err != nil || !keep {
		return v, err
	}
	return l.put(k, v), nil
}

// generation holds the current snapshot of one topic.
type generation[S any] struct {
	cur   atomic.Pointer[versioned[S]]
	fresh func() *S
}

type versioned[S any] struct {
	version uint64
	snap    *S
}

// at returns a snapshot at least as new as version. A snapshot is only
// replaced by a newer one: a goroutine that read an older version than
// another must not put back a snapshot the other has already dropped.
// Records loaded into a snapshot after its version was read are at least
// as new as that version (the store bumps versions after committing), so
// a snapshot never holds data older than its version claims.
func (g *generation[S]) at(version uint64) *S {
	for {
		cur := g.cur.Load()
		if cur != nil && cur.version >= version {
			return cur.snap
		}
		next := &versioned[S]{version: version, snap: g.fresh()}
		if g.cur.CompareAndSwap(cur, next) {
			return next.snap
		}
	}
}
