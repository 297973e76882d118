package statuslist

import (
	"math/rand/v2"
	"testing"
)

// benchSizes are the spec's minimum list and an 8 Mbit (1 MiB) list, the
// scale of a large issuer's list.
var benchSizes = []struct {
	name string
	bits int
}{
	{"131072bits", MinBits},
	{"8Mbits", 8 << 20},
}

// benchList returns a list with 1% of its bits set at random positions,
// roughly what years of revocations look like; an all-zero list would
// flatter the compressor.
func benchList(b *testing.B, size int) *Bitstring {
	b.Helper()
	s := mustNew(b, size)
	rnd := rand.New(rand.NewPCG(1, 2))
	for range size / 100 {
		if err := s.Set(rnd.IntN(size), true); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func BenchmarkEncode(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			s := benchList(b, bs.bits)
			b.SetBytes(int64(bs.bits / 8))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Encode(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			enc, err := benchList(b, bs.bits).Encode()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(enc)), "encoded-bytes")
			b.SetBytes(int64(bs.bits / 8))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAllocate measures allocation in a fresh list and in one that is
// 99.9% full, where the random probes give way to direct selection.
func BenchmarkAllocate(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name+"/fresh", func(b *testing.B) {
			a, err := NewAllocator(bs.bits, nil)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if a.Free() == 0 {
					b.StopTimer()
					a, _ = NewAllocator(bs.bits, nil)
					b.StartTimer()
				}
				if _, err := a.Allocate(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bs.name+"/nearly full", func(b *testing.B) {
			used := everyIndex(bs.bits)[:bs.bits-bs.bits/1000]
			a, err := NewAllocator(bs.bits, used)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				i, err := a.Allocate()
				if err != nil {
					b.Fatal(err)
				}
				// Give it back so the list stays 99.9% full.
				if err := a.Release(i); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
