package issuer

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

// listBits is the size of every status list Skillpass publishes: the
// specification's minimum, which already gives 131,072 holders of one
// issuer herd privacy and keeps a list credential around 16 KiB raw.
const listBits = statuslist.DefaultBits

// allocators hands out status slots: per issuer, the list currently being
// filled and a random allocator over its free indexes. An issuer's state
// is rebuilt lazily from the store (StatusIndexes) the first time it is
// needed, so nothing but the issuance records is ever persisted.
type allocators struct {
	mu sync.Mutex
	m  map[string]*issuerSlots
}

// issuerSlots is one issuer's allocation state. Its mutex is held across
// the first load so concurrent first issuances load once.
type issuerSlots struct {
	mu     sync.Mutex
	loaded bool
	gen    uint64 // bumped on every reload; a slot of an older generation is not released
	list   int32  // the list being filled
	alloc  *statuslist.Allocator
}

// slot is an allocated (list, index) pair.
type slot struct {
	list  int32
	index int
	gen   uint64
}

func (a *allocators) issuer(issuerID string) *issuerSlots {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil {
		a.m = make(map[string]*issuerSlots)
	}
	is, ok := a.m[issuerID]
	if !ok {
		is = &issuerSlots{}
		a.m[issuerID] = is
	}
	return is
}

// allocate takes a random free index of the issuer's current list, moving
// to the next list number when it is full.
func (s *Service) allocate(ctx context.Context, issuerID string) (slot, error) {
	is := s.slots.issuer(issuerID)
	is.mu.Lock()
	defer is.mu.Unlock()
	if !is.loaded {
		if err := is.load(ctx, s.store, issuerID); err != nil {
			return slot{}, err
		}
	}
	for {
		i, err := is.alloc.Allocate()
		if err == nil {
			return slot{list: is.list, index: i, gen: is.gen}, nil
		}
		if !errors.Is(err, statuslist.ErrFull) {
			return slot{}, err
		}
		if err := is.open(ctx, s.store, issuerID, is.list+1); err != nil {
			return slot{}, err
		}
	}
}

// release returns an index whose credential was never committed. An index
// of an earlier generation or list is dropped instead: it may have been
// handed out again since, and an unused bit costs nothing.
func (s *Service) release(issuerID string, sl slot) {
	is := s.slots.issuer(issuerID)
	is.mu.Lock()
	defer is.mu.Unlock()
	if is.loaded && sl.gen == is.gen && sl.list == is.list {
		// The only possible error is "not in use", which the generation
		// check rules out; there is nothing a caller could do about it.
		_ = is.alloc.Release(sl.index)
	}
}

// reload makes the next allocation rebuild the issuer's state from the
// store: the store refused a slot as taken, so memory and store disagree
// (a restored backup, say).
func (s *Service) reload(issuerID string) {
	is := s.slots.issuer(issuerID)
	is.mu.Lock()
	defer is.mu.Unlock()
	is.loaded = false
}

// load finds the issuer's highest list number and opens it.
func (is *issuerSlots) load(ctx context.Context, st store.Reader, issuerID string) error {
	var count int32
	err := st.View(ctx, func(tx store.ReadTx) (err error) {
		count, err = tx.StatusListCount(issuerID)
		return err
	})
	if err != nil {
		return err
	}
	return is.open(ctx, st, issuerID, max(count-1, 0))
}

// open rebuilds the allocator of list from the indexes the store records.
func (is *issuerSlots) open(ctx context.Context, st store.Reader, issuerID string, list int32) error {
	var used []int
	err := st.View(ctx, func(tx store.ReadTx) (err error) {
		used, err = tx.StatusIndexes(issuerID, list)
		return err
	})
	if err != nil {
		return err
	}
	alloc, err := statuslist.NewAllocator(listBits, used)
	if err != nil {
		return fmt.Errorf("status list %d of issuer %q: %w", list, issuerID, err)
	}
	is.gen++
	is.list, is.alloc, is.loaded = list, alloc, true
	return nil
}
