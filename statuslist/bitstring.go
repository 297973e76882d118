package statuslist

import (
	"bytes"
	"fmt"
	"math/bits"
)

const (
	// MinBits is the specification's minimum list length: 131,072 entries
	// (16 KiB), the smallest group that gives holders herd privacy.
	MinBits = 131072
	// DefaultBits is the size of a new list unless more is asked for.
	DefaultBits = MinBits
	// MinBytes is MinBits as uncompressed bytes.
	MinBytes = MinBits / 8
	// DefaultMaxBytes caps the uncompressed size of a list, both when
	// decoding and when creating one. 16 MiB holds 134 million entries,
	// room for every Dutch worker's credentials in one list, while bounding
	// what a hostile encoded list can make a verifier allocate.
	DefaultMaxBytes = 16 << 20
	// MaxBits is the largest list New accepts, so that every list Skillpass
	// publishes decodes under a default Decoder.
	MaxBits = DefaultMaxBytes * 8
)

// Bitstring is a status list of a fixed number of one-bit entries. Index 0
// is the most significant bit of the first byte (the spec's "left-most
// bit"). A Bitstring is not safe for concurrent mutation: guard it, or
// Clone it and publish the copy.
type Bitstring struct {
	b []byte
}

// New returns an all-zero list of size bits. The size must be at least
// MinBits, at most MaxBits and a multiple of 8.
func New(size int) (*Bitstring, error) {
	if err := checkSize(size); err != nil {
		return nil, err
	}
	return &Bitstring{b: make([]byte, size/8)}, nil
}

// FromBytes returns a list holding a copy of b, whose first byte carries
// indexes 0..7 with index 0 in its most significant bit.
func FromBytes(b []byte) (*Bitstring, error) {
	if err := checkSize(len(b) * 8); err != nil {
		return nil, err
	}
	return &Bitstring{b: bytes.Clone(b)}, nil
}

func checkSize(size int) error {
	switch {
	case size < MinBits:
		return fmt.Errorf("%w: %d bits is below the minimum of %d", ErrLength, size, MinBits)
	case size%8 != 0:
		return fmt.Errorf("%w: %d bits is not a whole number of bytes", ErrLength, size)
	case size > MaxBits:
		return fmt.Errorf("%w: %d bits is above the maximum of %d", ErrTooLarge, size, MaxBits)
	}
	return nil
}

// Len is the number of entries in the list.
func (s *Bitstring) Len() int {
	if s == nil {
		return 0
	}
	return len(s.b) * 8
}

// Get reports whether the bit at index is set.
func (s *Bitstring) Get(index int) (bool, error) {
	if err := s.checkIndex(index); err != nil {
		return false, err
	}
	return s.b[index/8]&mask(index) != 0, nil
}

// Set sets (v true) or clears the bit at index.
func (s *Bitstring) Set(index int, v bool) error {
	if err := s.checkIndex(index); err != nil {
		return err
	}
	if v {
		s.b[index/8] |= mask(index)
	} else {
		s.b[index/8] &^= mask(index)
	}
	return nil
}

// mask selects index's bit within its byte: left-most first.
func mask(index int) byte { return 0x80 >> (index % 8) }

func (s *Bitstring) checkIndex(index int) error {
	if index < 0 || index >= s.Len() {
		return fmt.Errorf("%w: index %d is outside the list of %d entries", ErrRange, index, s.Len())
	}
	return nil
}

// Count is the number of set bits.
func (s *Bitstring) Count() int {
	if s == nil {
		return 0
	}
	n := 0
	for _, c := range s.b {
		n += bits.OnesCount8(c)
	}
	return n
}

// Bytes returns a copy of the uncompressed list.
func (s *Bitstring) Bytes() []byte {
	if s == nil {
		return nil
	}
	return bytes.Clone(s.b)
}

// Clone returns an independent copy.
func (s *Bitstring) Clone() *Bitstring {
	return &Bitstring{b: s.Bytes()}
}

// Equal reports whether both lists have the same length and bits.
func (s *Bitstring) Equal(o *Bitstring) bool {
	return s.Len() == o.Len() && (s.Len() == 0 || bytes.Equal(s.b, o.b))
}
