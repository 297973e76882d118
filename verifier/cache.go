package verifier

import (
	"container/list"
	"sync"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

// maxCacheLifetime bounds how long a verdict is served from the cache even
// when nothing it depends on is known to change: a safety net for any
// time-dependent rule the expiry computation might miss.
const maxCacheLifetime = time.Minute

// verdictCache is a bounded LRU of verdicts by token hash. An entry is
// served only while the store's topic versions equal those it was
// computed at and the clock is before its expiry (the next time at which
// a time-dependent check could change its answer).
type verdictCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used; values are *cacheEntry
	items map[[32]byte]*list.Element
}

type cacheEntry struct {
	hash    [32]byte
	verdict *Verdict
	at      versions
	expiry  time.Time
}

func newVerdictCache(max int) *verdictCache {
	return &verdictCache{max: max, order: list.New(), items: make(map[[32]byte]*list.Element, max)}
}

// get returns a copy of the cached verdict, marked Cached, if it is still
// current; a stale entry is dropped.
func (c *verdictCache) get(h [32]byte, at versions, now time.Time) (*Verdict, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[h]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if e.at != at || !now.Before(e.expiry) {
		c.order.Remove(el)
		delete(c.items, h)
		return nil, false
	}
	c.order.MoveToFront(el)
	v := e.verdict.clone()
	v.Cached = true
	return v, true
}

// put stores a copy of v, evicting the least recently used entry if full.
func (c *verdictCache) put(h [32]byte, v *Verdict, at versions, expiry time.Time) {
	e := &cacheEntry{hash: h, verdict: v.clone(), at: at, expiry: expiry}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[h]; ok {
		el.Value = e
		c.order.MoveToFront(el)
		return
	}
	c.items[h] = c.order.PushFront(e)
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).hash)
	}
}

// clone copies a verdict deeply enough that a caller changing its copy
// cannot change what the cache serves to others.
func (v *Verdict) clone() *Verdict {
	out := *v
	out.Checks = append([]Check(nil), v.Checks...)
	if v.Content != nil {
		c := *v.Content
		c.Competencies = make([]Competency, len(v.Content.Competencies))
		for i, comp := range v.Content.Competencies {
			comp.Alignments = append([]model.Alignment(nil), comp.Alignments...)
			c.Competencies[i] = comp
		}
		out.Content = &c
	}
	return &out
}
