package statuslist

import (
	"errors"
	"testing"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		wantErr error
	}{
		{"ok/default size", DefaultBits, nil},
		{"ok/larger, multiple of 8", MinBits + 8, nil},
		{"ok/maximum", MaxBits, nil},
		{"error/below minimum", MinBits - 8, ErrLength},
		{"error/zero", 0, ErrLength},
		{"error/negative", -MinBits, ErrLength},
		{"error/not a whole number of bytes", MinBits + 1, ErrLength},
		{"error/above maximum", MaxBits + 8, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.size)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("New(%d) error = %v, want %v", tt.size, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if s.Len() != tt.size || s.Count() != 0 {
				t.Errorf("New(%d): Len() = %d, Count() = %d, want %d and 0", tt.size, s.Len(), s.Count(), tt.size)
			}
		})
	}
}

// TestBitOrder pins the spec's layout: index 0 is the left-most bit, the
// most significant bit of the first byte.
func TestBitOrder(t *testing.T) {
	tests := []struct {
		name     string
		index    int
		wantByte int
		wantVal  byte
	}{
		{"ok/index 0 is the MSB of byte 0", 0, 0, 0x80},
		{"ok/index 1", 1, 0, 0x40},
		{"ok/index 7 is the LSB of byte 0", 7, 0, 0x01},
		{"ok/index 8 is the MSB of byte 1", 8, 1, 0x80},
		{"ok/index 94567 from the spec example", 94567, 11820, 0x01},
		{"ok/last index is the LSB of the last byte", MinBits - 1, MinBytes - 1, 0x01},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustNew(t, MinBits)
			if err := s.Set(tt.index, true); err != nil {
				t.Fatalf("Set(%d): %v", tt.index, err)
			}
			b := s.Bytes()
			for i, c := range b {
				want := byte(0)
				if i == tt.wantByte {
					want = tt.wantVal
				}
				if c != want {
					t.Fatalf("byte %d = %#02x, want %#02x", i, c, want)
				}
			}
			if got, _ := s.Get(tt.index); !got {
				t.Errorf("Get(%d) = false after Set", tt.index)
			}
			if err := s.Set(tt.index, false); err != nil {
				t.Fatalf("clear: %v", err)
			}
			if got, _ := s.Get(tt.index); got || s.Count() != 0 {
				t.Errorf("after clearing: Get(%d) = %v, Count() = %d", tt.index, got, s.Count())
			}
		})
	}
}

func TestIndexRange(t *testing.T) {
	tests := []struct {
		name    string
		list    *Bitstring
		index   int
		wantErr error
	}{
		{"ok/first", mustNew(t, MinBits), 0, nil},
		{"ok/last", mustNew(t, MinBits), MinBits - 1, nil},
		{"error/negative", mustNew(t, MinBits), -1, ErrRange},
		{"error/one past the end", mustNew(t, MinBits), MinBits, ErrRange},
		{"error/far past the end", mustNew(t, MinBits), 1 << 40, ErrRange},
		{"error/nil list", nil, 0, ErrRange},
		{"error/zero-value list", &Bitstring{}, 0, ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.list.Get(tt.index); !errors.Is(err, tt.wantErr) {
				t.Errorf("Get(%d) error = %v, want %v", tt.index, err, tt.wantErr)
			}
			if err := tt.list.Set(tt.index, true); !errors.Is(err, tt.wantErr) {
				t.Errorf("Set(%d) error = %v, want %v", tt.index, err, tt.wantErr)
			}
		})
	}
}

func TestFromBytes(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		wantErr error
	}{
		{"ok/minimum", make([]byte, MinBytes), nil},
		{"error/too short", make([]byte, MinBytes-1), ErrLength},
		{"error/empty", nil, ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FromBytes(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("FromBytes error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			tt.in[0] = 0xff // the list must hold its own copy
			if s.Count() != 0 {
				t.Errorf("list changed with the caller's slice")
			}
		})
	}
}

func TestCloneIsIndependent(t *testing.T) {
	s := mustNew(t, MinBits)
	c := s.Clone()
	if err := c.Set(3, true); err != nil {
		t.Fatal(err)
	}
	if s.Count() != 0 || c.Count() != 1 || s.Equal(c) {
		t.Errorf("clone shares bits: original %d set, clone %d set", s.Count(), c.Count())
	}
}

func mustNew(t testing.TB, size int) *Bitstring {
	t.Helper()
	s, err := New(size)
	if err != nil {
		t.Fatalf("New(%d): %v", size, err)
	}
	return s
}
