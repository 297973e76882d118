package statuslist

import (
	"fmt"
	"io"
	"math/bits"
	"sync"
)

const (
	// probeLimit is how many uniform random probes Allocate tries before
	// it selects directly among the free indexes. Probing is O(1) while the
	// list has room; the fallback keeps a nearly full list fast.
	probeLimit = 32
	// blockWords groups the used-bitmap into blocks of 64 words (4,096
	// indexes) with a free count each, so selecting the k-th free index
	// scans blocks, not bits: 2,048 blocks for an 8 Mbit list.
	blockWords = 64
)

// Allocator hands out the unused indexes of one status list uniformly at
// random and never twice, so an index reveals neither when a credential
// was issued nor how many were issued before it. It is safe for concurrent
// use. It keeps no state of its own on disk: rebuild it with NewAllocator
// from the indexes recorded with issued credentials.
type Allocator struct {
	mu        sync.Mutex
	size      int
	used      []uint64 // bit i%64 of word i/64 set: index i is taken (or past size)
	blockFree []int    // free indexes per block of blockWords words
	free      int
	rnd       *randSource
}

// NewAllocator returns an allocator for a list of size entries (the same
// size rules as New) in which the indexes in used are already taken.
// A used index outside the list is an ErrRange error, one listed twice an
// ErrIndexInUse error: both mean the recorded state is inconsistent.
func NewAllocator(size int, used []int) (*Allocator, error) {
	return newAllocator(size, used, nil)
}

func newAllocator(size int, used []int, rnd io.Reader) (*Allocator, error) {
	if err := checkSize(size); err != nil {
		return nil, err
	}
	words := (size + 63) / 64
	a := &Allocator{
		size:      size,
		used:      make([]uint64, words),
		blockFree: make([]int, (words+blockWords-1)/blockWords),
		free:      size,
		rnd:       newRandSource(rnd),
	}
	// Bits past size in the last word count as taken, so every word can be
	// treated alike when counting and selecting free indexes.
	if tail := size % 64; tail != 0 {
		a.used[words-1] = ^uint64(0) << tail
	}
	for w := range a.used {
		a.blockFree[w/blockWords] += 64 - bits.OnesCount64(a.used[w])
	}
	for _, i := range used {
		if err := a.markUsed(i); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Size is the number of entries in the list.
func (a *Allocator) Size() int { return a.size }

// Free is the number of indexes still unallocated.
func (a *Allocator) Free() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.free
}

// Allocate takes an unused index chosen uniformly at random among all
// unused ones, or fails with ErrFull.
func (a *Allocator) Allocate() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.free == 0 {
		return 0, fmt.Errorf("%w: all %d indexes are allocated", ErrFull, a.size)
	}
	// Each probe is uniform over the list, so a probe that lands on a free
	// index is uniform over the free ones.
	for range probeLimit {
		i, err := a.rnd.intn(a.size)
		if err != nil {
			return 0, err
		}
		if !a.isUsed(i) {
			a.take(i)
			return i, nil
		}
	}
	// Nearly full: pick the k-th free index for a uniform k, which is just
	// as uniform and needs no luck.
	k, err := a.rnd.intn(a.free)
	if err != nil {
		return 0, err
	}
	i, ok := a.selectFree(k)
	if !ok {
		// Unreachable while free and blockFree agree, which take and
		// Release maintain together under the lock.
		return 0, fmt.Errorf("statuslist: allocator state inconsistent: no free index %d of %d", k, a.free)
	}
	a.take(i)
	return i, nil
}

// MarkUsed takes a specific index, e.g. one recorded by another node.
func (a *Allocator) MarkUsed(i int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.markUsed(i)
}

// Release returns an allocated index to the pool. Use it only for an
// index that was never published (its issuance failed before commit):
// reusing a published index would give a new credential an old status.
func (a *Allocator) Release(i int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkIndex(i); err != nil {
		return err
	}
	if !a.isUsed(i) {
		return fmt.Errorf("%w: index %d", ErrIndexNotInUse, i)
	}
	a.used[i/64] &^= 1 << (i % 64)
	a.blockFree[i/64/blockWords]++
	a.free++
	return nil
}

func (a *Allocator) markUsed(i int) error {
	if err := a.checkIndex(i); err != nil {
		return err
	}
	if a.isUsed(i) {
		return fmt.Errorf("%w: index %d", ErrIndexInUse, i)
	}
	a.take(i)
	return nil
}

func (a *Allocator) checkIndex(i int) error {
	if i < 0 || i >= a.size {
		return fmt.Errorf("%w: index %d is outside the list of %d entries", ErrRange, i, a.size)
	}
	return nil
}

func (a *Allocator) isUsed(i int) bool { return a.used[i/64]&(1<<(i%64)) != 0 }

func (a *Allocator) take(i int) {
	a.used[i/64] |= 1 << (i % 64)
	a.blockFree[i/64/blockWords]--
	a.free--
}

// selectFree returns the k-th free index in ascending order, 0 <= k < free.
func (a *Allocator) selectFree(k int) (int, bool) {
	for b, n := range a.blockFree {
		if k >= n {
			k -= n
			continue
		}
		for w := b * blockWords; w < len(a.used); w++ {
			freeBits := ^a.used[w]
			n := bits.OnesCount64(freeBits)
			if k >= n {
				k -= n
				continue
			}
			for ; k > 0; k-- {
				freeBits &= freeBits - 1 // drop the lowest free bit
			}
			return w*64 + bits.TrailingZeros64(freeBits), true
		}
		return 0, false
	}
	return 0, false
}
