package credential

import (
	"slices"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Decoding achievements is most of the cost of Parse: they carry the whole
// level scale of every competency. They are also the same bytes in every
// credential of a profile version, because AchievementFor is
// deterministic. So decoded achievements are kept in a small cache keyed
// by their exact JSON bytes: equal bytes decode to equal values, so a hit
// can never change what a token says, and a miss just decodes. A hostile
// flood of distinct achievements only evicts entries.
const (
	achievementCacheEntries = 1024
	achievementCacheMaxKey  = 8 << 10 // larger achievements are decoded, not kept
)

var achievementCache = &decodeCache{entries: make(map[string]Achievement, achievementCacheEntries)}

type decodeCache struct {
	mu      sync.RWMutex
	entries map[string]Achievement
}

func (c *decodeCache) get(key []byte) (Achievement, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	a, ok := c.entries[string(key)]
	return a, ok
}

func (c *decodeCache) put(key []byte, a Achievement) {
	if len(key) > achievementCacheMaxKey {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= achievementCacheEntries {
		for k := range c.entries { // an arbitrary victim; Go randomises the order
			delete(c.entries, k)
			break
		}
	}
	c.entries[string(key)] = a
}

// UnmarshalJSONFrom decodes an achievement for the fast pass (see
// decode.go) through the cache, as strictly as the rest of the payload.
// Callers get their own copy, so changing a parsed credential cannot
// change the cache. Only this strict decode fills the cache, so nothing a
// more lenient reader accepted is ever served from it.
func (a *Achievement) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue() // checked by dec under the caller's options
	if err != nil {
		return err
	}
	if cached, ok := achievementCache.get(raw); ok {
		*a = cached.clone()
		return nil
	}
	// plain has Achievement's fields but not this method, so Unmarshal
	// does not come back here.
	type plain Achievement
	var v plain
	if err := jsonv2.Unmarshal(raw, &v, strictJSON); err != nil {
		return err
	}
	*a = Achievement(v)
	achievementCache.put(raw, a.clone())
	return nil
}

// clone copies every slice of a, so the copy shares only immutable
// strings. The string lists share one backing array, each capped at its
// own length so that appending to one cannot overwrite the next: a cache
// hit is on the verifier's hot path, and one allocation beats ten.
func (a Achievement) clone() Achievement {
	n := len(a.Type) + len(a.Creator.Type)
	for _, al := range a.Alignment {
		n += len(al.Type)
	}
	for _, rd := range a.ResultDescription {
		n += len(rd.Type) + len(rd.AllowedValue)
		for _, l := range rd.RubricCriterionLevel {
			n += len(l.Type)
		}
	}
	backing := make([]string, 0, n)
	own := func(s []string) []string {
		if s == nil {
			return nil // as slices.Clone: nil stays nil
		}
		start := len(backing)
		backing = append(backing, s...)
		return backing[start:len(backing):len(backing)]
	}
	a.Type = own(a.Type)
	a.Creator.Type = own(a.Creator.Type)
	a.Alignment = slices.Clone(a.Alignment)
	for i := range a.Alignment {
		a.Alignment[i].Type = own(a.Alignment[i].Type)
	}
	a.ResultDescription = slices.Clone(a.ResultDescription)
	for i := range a.ResultDescription {
		rd := &a.ResultDescription[i]
		rd.Type = own(rd.Type)
		rd.AllowedValue = own(rd.AllowedValue)
		rd.RubricCriterionLevel = slices.Clone(rd.RubricCriterionLevel)
		for j := range rd.RubricCriterionLevel {
			rd.RubricCriterionLevel[j].Type = own(rd.RubricCriterionLevel[j].Type)
		}
	}
	return a
}
