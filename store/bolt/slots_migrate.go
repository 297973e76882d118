package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	bbolt "go.etcd.io/bbolt"
)

// slotsToChunks sets a bit in status_slots for every key of the version 3
// credential_slots bucket (the schema 3 -> 4 migration; the bucket is
// dropped afterwards in the same transaction).
//
// The old keys come in order of issuer, list and index, and a chunk key is
// the old key with its index divided by 4,096, so all slots of one chunk
// arrive one after another: each chunk is built in memory and written once.
func slotsToChunks(tx *bbolt.Tx) error {
	old, chunks := tx.Bucket(bucketCredentialSlots), tx.Bucket(bucketStatusSlots)
	if old == nil || chunks == nil {
		return fmt.Errorf("buckets %q and %q must both exist", bucketCredentialSlots, bucketStatusSlots)
	}
	var key, chunk []byte
	c := old.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		issuerID, list, index, err := parseV3SlotKey(k)
		if err != nil {
			return err
		}
		if next := slotChunkKey(issuerID, list, index); !bytes.Equal(next, key) {
			if key != nil {
				if err := chunks.Put(key, chunk); err != nil {
					return err
				}
			}
			key, chunk = next, make([]byte, slotChunkBytes)
		}
		at, mask := slotBit(index)
		chunk[at] |= mask
	}
	if key == nil {
		return nil
	}
	return chunks.Put(key, chunk)
}

// parseV3SlotKey splits issuerID\x00list(4 bytes BE)index(4 bytes BE).
// Issuer ids hold no NUL, so the first one ends the id. Version 3 wrote only
// validated slots; anything else is damage, refused rather than guessed at,
// which leaves the database at version 3.
func parseV3SlotKey(k []byte) (issuerID string, list, index int32, err error) {
	i := bytes.IndexByte(k, sep)
	if i < 1 || len(k)-i-1 != 8 {
		return "", 0, 0, fmt.Errorf("bucket %s: key %q is not an issuer id, a NUL byte and 8 bytes of list and index", bucketCredentialSlots, k)
	}
	l, x := binary.BigEndian.Uint32(k[i+1:]), binary.BigEndian.Uint32(k[i+5:])
	if l >= math.MaxInt32 || x > math.MaxInt32 {
		return "", 0, 0, fmt.Errorf("bucket %s: key %q holds list %d, index %d; a list must be below %d and an index at most %d",
			bucketCredentialSlots, k, l, x, math.MaxInt32, math.MaxInt32)
	}
	return string(k[:i]), int32(l), int32(x), nil
}
