package bolt

// Status slots as bitmap chunks (bucket status_slots, since schema version
// 4). Indexes are allocated at random for herd privacy, so one key per slot
// made every issuance dirty a random leaf page of its own; a chunk of 4,096
// slots keeps a 131,072-slot list in 32 values (a few leaf pages) that a
// group commit rewrites together.
//
// Bit i of chunk c stands for index c*4096+i and sits in byte i/8 under
// mask 0x80>>(i%8), most significant bit first, as in a Bitstring Status
// List. A chunk is written only with a bit set (bits are never cleared:
// a credential keeps its slot for life), so every stored chunk holds at
// least one slot.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	bbolt "go.etcd.io/bbolt"
)

const (
	slotChunkBits  = 4096
	slotChunkBytes = slotChunkBits / 8
)

// slotListPrefix is the prefix of every chunk of one status list. List and
// chunk are non-negative, so their big-endian bytes sort numerically.
func slotListPrefix(issuerID string, list int32) []byte {
	return binary.BigEndian.AppendUint32(prefixKey(issuerID), uint32(list))
}

// slotChunkKey is the key of the chunk that holds index.
func slotChunkKey(issuerID string, list, index int32) []byte {
	return binary.BigEndian.AppendUint32(slotListPrefix(issuerID, list), uint32(index)/slotChunkBits)
}

// slotBit locates index within its chunk.
func slotBit(index int32) (byteAt int, mask byte) {
	i := int(index) % slotChunkBits
	return i / 8, 0x80 >> (i % 8)
}

// chunkProblem reports a stored chunk of the wrong size, which would
// otherwise misplace or lose slots (or panic on a short one).
func chunkProblem(key, chunk []byte) error {
	if err := checkChunkSize(chunk); err != nil {
		return fmt.Errorf("index %s, key %q: %w", bucketStatusSlots, key, err)
	}
	return nil
}

// checkChunkSize is chunkProblem without the key, for walkRecords, which
// names bucket and key itself.
func checkChunkSize(chunk []byte) error {
	if len(chunk) != slotChunkBytes {
		return fmt.Errorf("holds a slot chunk of %d bytes, want %d", len(chunk), slotChunkBytes)
	}
	return nil
}

// slotChunk returns a private copy of the chunk at key, all clear if there
// is none. A copy, because the value bbolt returns is its read-only memory
// map: setting a bit in it would fault, or change the file behind bbolt.
func slotChunk(b *bbolt.Bucket, key []byte) ([]byte, error) {
	chunk := make([]byte, slotChunkBytes)
	v := b.Get(key)
	if v == nil {
		return chunk, nil
	}
	if err := chunkProblem(key, v); err != nil {
		return nil, err
	}
	copy(chunk, v)
	return chunk, nil
}

// appendSlots appends the index of every set bit of chunk number n,
// ascending. It reads eight bytes at a time: big-endian, the word's most
// significant bit is the lowest index of those bytes.
func appendSlots(out []int, n uint32, chunk []byte) []int {
	base := int(n) * slotChunkBits
	for at := 0; at < len(chunk); at += 8 {
		word := binary.BigEndian.Uint64(chunk[at:])
		for word != 0 {
			z := bits.LeadingZeros64(word)
			out = append(out, base+at*8+z)
			word &^= 1 << (63 - z)
		}
	}
	return out
}

// StatusIndexes reads the slot chunks of one list; the records themselves
// are not touched, so rebuilding an allocator stays cheap.
func (t *tx) StatusIndexes(issuerID string, list int32) ([]int, error) {
	if err := fieldProblems("issuer_id", idProblem(issuerID), "list", listProblem(list)); err != nil {
		return nil, err
	}
	b, err := t.bucket(bucketStatusSlots)
	if err != nil {
		return nil, err
	}
	prefix := slotListPrefix(issuerID, list)
	var out []int
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) != len(prefix)+4 {
			return nil, fmt.Errorf("index %s holds a key of %d bytes under issuer %q, want %d", bucketStatusSlots, len(k), issuerID, len(prefix)+4)
		}
		if err := chunkProblem(k, v); err != nil {
			return nil, err
		}
		out = appendSlots(out, binary.BigEndian.Uint32(k[len(prefix):]), v)
	}
	return out, nil
}

// StatusListCount seeks just past the issuer's chunks and steps back once:
// the last chunk is in the highest list. No counter record is needed, so
// there is nothing that could drift from the index.
func (t *tx) StatusListCount(issuerID string) (int32, error) {
	if err := checkIDs("issuer_id", issuerID); err != nil {
		return 0, err
	}
	b, err := t.bucket(bucketStatusSlots)
	if err != nil {
		return 0, err
	}
	prefix := prefixKey(issuerID)
	// The issuer's keys all continue the prefix with its separator byte
	// (0x00); the first key that could follow them has 0x01 there.
	beyond := append(joinKey(issuerID), sep+1)
	c := b.Cursor()
	k, _ := c.Seek(beyond)
	var v []byte
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return 0, nil
	}
	if len(k) != len(prefix)+8 {
		return 0, fmt.Errorf("index %s holds a key of %d bytes under issuer %q, want %d", bucketStatusSlots, len(k), issuerID, len(prefix)+8)
	}
	if err := chunkProblem(k, v); err != nil {
		return 0, err
	}
	list := binary.BigEndian.Uint32(k[len(prefix):])
	if list >= math.MaxInt32 {
		return 0, fmt.Errorf("index %s holds list number %d at key %q, beyond what a list may be", bucketStatusSlots, list, k)
	}
	return int32(list) + 1, nil
}
