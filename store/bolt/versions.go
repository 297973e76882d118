package bolt

// Change counters for read-path caches (store.Reader.Version). They live in
// memory only: a cache lives no longer than the process, so it never has to
// compare against a counter from before a restart.

import (
	"sync/atomic"

	"github.com/skillpass-nl/skillpass/store"
)

// topicSet is a set of store.Topic values as a bit mask.
type topicSet uint32

func (s topicSet) with(t store.Topic) topicSet { return s | 1<<uint(t) }

func (s topicSet) has(t store.Topic) bool { return s&(1<<uint(t)) != 0 }

// allTopics is what a Restore changes.
const allTopics topicSet = 1<<store.NumTopics - 1

// versions holds one counter per topic.
type versions [store.NumTopics]atomic.Uint64

// Version returns the change counter of topic t; an unknown topic has none
// and reads 0.
func (s *Store) Version(t store.Topic) uint64 {
	if t < 0 || t >= store.NumTopics {
		return 0
	}
	return s.versions[t].Load()
}

// bump advances the counter of every topic in ts. It is called only after
// the transaction that wrote them has committed: a reader that sees the new
// counter can then also see the new records, so it never caches old records
// under a new counter.
func (s *Store) bump(ts topicSet) {
	for t := range store.NumTopics {
		if ts.has(t) {
			s.versions[t].Add(1)
		}
	}
}
