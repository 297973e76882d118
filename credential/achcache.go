package credential

import (
	"bytes"
	"encoding/json"
	"slices"
	"sync"
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

// UnmarshalJSON decodes an achievement strictly (unknown members are
// errors, as for the whole credential), through the cache. Callers get
// their own copy, so changing a parsed credential cannot change the cache.
func (a *Achievement) UnmarshalJSON(b []byte) error {
	if cached, ok := achievementCache.get(b); ok {
		*a = cached.clone()
		return nil
	}
	// plain has Achievement's fields but not this method, so Decode does
	// not come back here.
	type plain Achievement
	var v plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*a = Achievement(v)
	achievementCache.put(b, a.clone())
	return nil
}

// clone copies every slice of a, so the copy shares only immutable strings.
func (a Achievement) clone() Achievement {
	a.Type = slices.Clone(a.Type)
	a.Creator.Type = slices.Clone(a.Creator.Type)
	a.Alignment = slices.Clone(a.Alignment)
	for i := range a.Alignment {
		a.Alignment[i].Type = slices.Clone(a.Alignment[i].Type)
	}
	a.ResultDescription = slices.Clone(a.ResultDescription)
	for i := range a.ResultDescription {
		rd := &a.ResultDescription[i]
		rd.Type = slices.Clone(rd.Type)
		rd.AllowedValue = slices.Clone(rd.AllowedValue)
		rd.RubricCriterionLevel = slices.Clone(rd.RubricCriterionLevel)
		for j := range rd.RubricCriterionLevel {
			rd.RubricCriterionLevel[j].Type = slices.Clone(rd.RubricCriterionLevel[j].Type)
		}
	}
	return a
}
