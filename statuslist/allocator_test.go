package statuslist

import (
	"errors"
	"io"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
)

func TestNewAllocator(t *testing.T) {
	tests := []struct {
		name     string
		size     int
		used     []int
		wantErr  error
		wantFree int
	}{
		{"ok/empty", MinBits, nil, nil, MinBits},
		{"ok/rebuilt from used indexes", MinBits, []int{0, 5, MinBits - 1}, nil, MinBits - 3},
		{"ok/size not a multiple of 64", MinBits + 8, []int{MinBits + 7}, nil, MinBits + 7},
		{"error/list too small", MinBits - 8, nil, ErrLength, 0},
		{"error/used index outside the list", MinBits, []int{MinBits}, ErrRange, 0},
		{"error/negative used index", MinBits, []int{-1}, ErrRange, 0},
		{"error/index used twice", MinBits, []int{7, 9, 7}, ErrIndexInUse, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewAllocator(tt.size, tt.used)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewAllocator error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && (a.Free() != tt.wantFree || a.Size() != tt.size) {
				t.Errorf("Free() = %d, Size() = %d; want %d, %d", a.Free(), a.Size(), tt.wantFree, tt.size)
			}
		})
	}
}

// TestAllocateExhaustsUniquely allocates every index of lists in several
// states and checks each comes out exactly once, never a used one, never
// one past the end, and then ErrFull.
func TestAllocateExhaustsUniquely(t *testing.T) {
	tests := []struct {
		name string
		size int
		used []int
	}{
		{"ok/fresh list", MinBits, nil},
		{"ok/rebuilt after restart", MinBits, everyIndex(MinBits)[:MinBits/2]},
		{"ok/size not a multiple of 64", MinBits + 40, []int{MinBits + 39}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewAllocator(tt.size, tt.used)
			if err != nil {
				t.Fatal(err)
			}
			seen := make([]bool, tt.size)
			for _, i := range tt.used {
				seen[i] = true
			}
			for n := len(tt.used); n < tt.size; n++ {
				i, err := a.Allocate()
				if err != nil {
					t.Fatalf("Allocate #%d: %v", n, err)
				}
				if i < 0 || i >= tt.size || seen[i] {
					t.Fatalf("Allocate #%d = %d: outside the list or already taken", n, i)
				}
				seen[i] = true
			}
			if _, err := a.Allocate(); !errors.Is(err, ErrFull) {
				t.Fatalf("Allocate on a full list: error = %v, want ErrFull", err)
			}
		})
	}
}

// TestSelectFree checks the nearly-full fallback: k -> selectFree(k) must
// map 0..free-1 onto the free indexes one to one (in ascending order), so a
// uniform k yields a uniform free index.
func TestSelectFree(t *testing.T) {
	free := []int{0, 63, 64, 4095, 4096, 70000, MinBits - 1}
	isFree := map[int]bool{}
	for _, i := range free {
		isFree[i] = true
	}
	var used []int
	for i := range MinBits {
		if !isFree[i] {
			used = append(used, i)
		}
	}
	a, err := NewAllocator(MinBits, used)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range free {
		if got, ok := a.selectFree(k); !ok || got != want {
			t.Errorf("selectFree(%d) = %d, %v; want %d", k, got, ok, want)
		}
	}
	if _, ok := a.selectFree(len(free)); ok {
		t.Errorf("selectFree(%d) found an index beyond the free ones", len(free))
	}
	// The fallback path hands out exactly these, then the list is full.
	var got []int
	for range free {
		i, err := a.Allocate()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, i)
	}
	sort.Ints(got)
	for n := range free {
		if got[n] != free[n] {
			t.Fatalf("nearly full list handed out %v, want %v", got, free)
		}
	}
}

// TestAllocateHidesOrder: consecutive allocations must not reveal issuance
// order. With a fixed seed the outcome is deterministic; a sequential or
// clustered allocator fails every check.
func TestAllocateHidesOrder(t *testing.T) {
	a, err := newAllocator(MinBits, nil, rand.NewChaCha8([32]byte{1}))
	if err != nil {
		t.Fatal(err)
	}
	const n = 4096
	const buckets = 32 // 4,096 indexes each
	var counts [buckets]int
	ascending := 0
	prev := -1
	for range n {
		i, err := a.Allocate()
		if err != nil {
			t.Fatal(err)
		}
		counts[i*buckets/MinBits]++
		if i > prev {
			ascending++
		}
		prev = i
	}
	// About half of consecutive pairs ascend in a random sequence.
	if ascending < n*4/10 || ascending > n*6/10 {
		t.Errorf("%d of %d allocations were above their predecessor, want about half", ascending, n)
	}
	// Chi-square over 32 equal buckets, 31 degrees of freedom: 61.1 is the
	// 0.1% critical value.
	chi2 := 0.0
	expected := float64(n) / buckets
	for _, c := range counts {
		d := float64(c) - expected
		chi2 += d * d / expected
	}
	if chi2 > 61.1 {
		t.Errorf("allocations are not spread over the list: chi-square %.1f, counts %v", chi2, counts)
	}
}

func TestMarkUsedAndRelease(t *testing.T) {
	tests := []struct {
		name    string
		op      func(a *Allocator) error
		wantErr error
	}{
		{"ok/mark a free index", func(a *Allocator) error { return a.MarkUsed(10) }, nil},
		{"ok/release an allocated index", func(a *Allocator) error { return a.Release(5) }, nil},
		{"error/mark a used index", func(a *Allocator) error { return a.MarkUsed(5) }, ErrIndexInUse},
		{"error/mark outside the list", func(a *Allocator) error { return a.MarkUsed(MinBits) }, ErrRange},
		{"error/release a free index", func(a *Allocator) error { return a.Release(10) }, ErrIndexNotInUse},
		{"error/release outside the list", func(a *Allocator) error { return a.Release(-1) }, ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewAllocator(MinBits, []int{5})
			if err != nil {
				t.Fatal(err)
			}
			before := a.Free()
			err = tt.op(a)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err != nil && a.Free() != before {
				t.Errorf("failed call changed Free() from %d to %d", before, a.Free())
			}
		})
	}
}

func TestReleasedIndexIsReallocated(t *testing.T) {
	used := everyIndex(MinBits)
	a, err := NewAllocator(MinBits, used)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Release(1234); err != nil {
		t.Fatal(err)
	}
	if i, err := a.Allocate(); err != nil || i != 1234 {
		t.Fatalf("Allocate = %d, %v; want the released 1234", i, err)
	}
}

func TestAllocateRandomnessFailure(t *testing.T) {
	a, err := newAllocator(MinBits, nil, failingReader{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Allocate(); err == nil || !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("Allocate with a failing source: error = %v, want the source's error", err)
	}
	if a.Free() != MinBits {
		t.Errorf("failed Allocate took an index: Free() = %d", a.Free())
	}
}

// TestIntnRejectsBias feeds the largest uint64 first: it lies above the
// last whole multiple of 3, so it must be redrawn, not reduced modulo 3.
func TestIntnRejectsBias(t *testing.T) {
	src := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // rejected
		4, 0, 0, 0, 0, 0, 0, 0, // 4 % 3 = 1
	}
	r := newRandSource(&repeatReader{b: src})
	got, err := r.intn(3)
	if err != nil || got != 1 {
		t.Fatalf("intn(3) = %d, %v; want 1 (the first draw must be rejected)", got, err)
	}
}

func TestAllocateConcurrent(t *testing.T) {
	a, err := NewAllocator(MinBits, nil)
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 2000
	results := make([][]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				i, err := a.Allocate()
				if err != nil {
					t.Error(err)
					return
				}
				results[w] = append(results[w], i)
			}
		})
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, r := range results {
		for _, i := range r {
			if seen[i] {
				t.Fatalf("index %d allocated twice", i)
			}
			seen[i] = true
		}
	}
	if len(seen) != workers*each || a.Free() != MinBits-workers*each {
		t.Errorf("allocated %d, Free() = %d; want %d and %d", len(seen), a.Free(), workers*each, MinBits-workers*each)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

// repeatReader serves b over and over.
type repeatReader struct {
	b   []byte
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.b[r.off%len(r.b)]
		r.off++
	}
	return len(p), nil
}
