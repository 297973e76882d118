package statuslist

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
)

// randSource draws uniform integers from a cryptographic source. Index
// choice must be unpredictable, not merely well spread: a guessable
// sequence would let anyone who sees two indexes order the credentials.
// It buffers reads to keep one system call from every allocation.
type randSource struct {
	r   io.Reader
	buf [512]byte
	off int
}

func newRandSource(r io.Reader) *randSource {
	if r == nil {
		r = rand.Reader
	}
	s := &randSource{r: r}
	s.off = len(s.buf) // empty: the first draw fills it
	return s
}

func (s *randSource) uint64() (uint64, error) {
	if s.off+8 > len(s.buf) {
		if _, err := io.ReadFull(s.r, s.buf[:]); err != nil {
			s.off = len(s.buf)
			return 0, fmt.Errorf("statuslist: read randomness: %w", err)
		}
		s.off = 0
	}
	v := binary.LittleEndian.Uint64(s.buf[s.off:])
	s.off += 8
	return v, nil
}

// intn returns a uniform integer in [0, n), n > 0. Values at or above the
// largest multiple of n are redrawn, so there is no modulo bias.
func (s *randSource) intn(n int) (int, error) {
	un := uint64(n)
	limit := ^uint64(0) - ^uint64(0)%un // a multiple of n
	for {
		v, err := s.uint64()
		if err != nil {
			return 0, err
		}
		if v < limit {
			return int(v % un), nil
		}
	}
}
