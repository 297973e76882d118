package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// rawBucket returns every key and value of one bucket as the file holds
// them, copied out of the memory map.
func rawBucket(t *testing.T, s *Store, name []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.withDB(context.Background(), func(db *bbolt.DB) error {
		return db.View(func(btx *bbolt.Tx) error {
			b := btx.Bucket(name)
			if b == nil {
				return fmt.Errorf("no bucket %q", name)
			}
			return b.ForEach(func(k, v []byte) error { out[string(k)] = string(v); return nil })
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func createCredential(t *testing.T, s *Store, c *model.CredentialRecord) {
	t.Helper()
	if err := s.Update(context.Background(), func(tx store.Tx) error { return tx.CreateCredential(c) }); err != nil {
		t.Fatal(err)
	}
}

// TestSlotBitOrder pins the documented layout, byte by byte: bit i of chunk
// c is index c*4096+i, most significant bit of each byte first.
func TestSlotBitOrder(t *testing.T) {
	cases := []struct {
		name  string
		index int32
		chunk uint32
		at    int
		mask  byte
	}{
		{"ok/first slot", 0, 0, 0, 0x80},
		{"ok/last bit of the first byte", 7, 0, 0, 0x01},
		{"ok/first bit of the second byte", 8, 0, 1, 0x80},
		{"ok/last slot of a chunk", 4095, 0, 511, 0x01},
		{"ok/first slot of the next chunk", 4096, 1, 0, 0x80},
		{"ok/inside a chunk", 70000, 17, 46, 0x80},
		{"ok/last slot of a minimum-size list", 131071, 31, 511, 0x01},
		{"ok/largest index", math.MaxInt32, 524287, 511, 0x01},
	}
	// The key of chunk n of list 2 of issuer "i1", spelt out.
	keyOf := func(n uint32) string {
		return string(binary.BigEndian.AppendUint32([]byte("i1\x00\x00\x00\x00\x02"), n))
	}
	s := openTemp(t)
	want := map[string]string{}
	for i, tc := range cases {
		createCredential(t, s, &model.CredentialRecord{IssuerID: "i1", ID: fmt.Sprint("c", i), StatusList: 2, StatusIndex: tc.index})
		key := keyOf(tc.chunk)
		chunk := make([]byte, 512)
		if old, ok := want[key]; ok {
			chunk = []byte(old)
		}
		chunk[tc.at] |= tc.mask
		want[key] = string(chunk)
	}
	got := rawBucket(t, s, bucketStatusSlots)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := keyOf(tc.chunk)
			if got[key] != want[key] {
				t.Errorf("chunk %d is\n%x\nwant\n%x", tc.chunk, got[key], want[key])
			}
		})
	}
	if !maps.Equal(got, want) {
		t.Errorf("status_slots holds %d chunks, want %d", len(got), len(want))
	}
}

// TestRefusedCreateLeavesNothing: a refused CreateCredential in a
// transaction that commits anyway (as a Batch group does with the other
// callers' work) leaves both buckets byte for byte as they were.
func TestRefusedCreateLeavesNothing(t *testing.T) {
	cases := []struct {
		name    string
		damage  func(tx *bbolt.Tx) error
		create  *model.CredentialRecord
		wantIs  error
		wantErr string
	}{
		{
			name:   "error/id taken, slot in a chunk not yet written",
			create: &model.CredentialRecord{IssuerID: "i1", ID: "c1", StatusList: 5, StatusIndex: 9},
			wantIs: model.ErrAlreadyExists, wantErr: `credential "c1" of issuer "i1"`,
		},
		{
			name:   "error/id taken, slot in a written chunk",
			create: &model.CredentialRecord{IssuerID: "i1", ID: "c1", StatusIndex: 9},
			wantIs: model.ErrAlreadyExists, wantErr: `credential "c1" of issuer "i1"`,
		},
		{
			name:   "error/slot taken",
			create: &model.CredentialRecord{IssuerID: "i1", ID: "c2", StatusIndex: 7},
			wantIs: model.ErrAlreadyExists, wantErr: `status slot (list 0, index 7) of issuer "i1" is taken`,
		},
		{
			name: "error/chunk damaged",
			damage: func(tx *bbolt.Tx) error {
				return tx.Bucket(bucketStatusSlots).Put(slotChunkKey("i1", 0, 0), make([]byte, 100))
			},
			create:  &model.CredentialRecord{IssuerID: "i1", ID: "c3", StatusIndex: 9},
			wantErr: "holds a slot chunk of 100 bytes",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			createCredential(t, s, &model.CredentialRecord{IssuerID: "i1", ID: "c1", StatusIndex: 7})
			if tc.damage != nil {
				if err := s.withDB(context.Background(), func(db *bbolt.DB) error { return db.Update(tc.damage) }); err != nil {
					t.Fatal(err)
				}
			}
			slotsBefore, recordsBefore := rawBucket(t, s, bucketStatusSlots), rawBucket(t, s, bucketCredentials)
			var createErr error
			err := s.Update(context.Background(), func(tx store.Tx) error {
				createErr = tx.CreateCredential(tc.create)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if createErr == nil || (tc.wantIs != nil && !errors.Is(createErr, tc.wantIs)) || !strings.Contains(createErr.Error(), tc.wantErr) {
				t.Errorf("CreateCredential: %v, want %v containing %q", createErr, tc.wantIs, tc.wantErr)
			}
			if got := rawBucket(t, s, bucketStatusSlots); !maps.Equal(got, slotsBefore) {
				t.Errorf("status_slots changed: %q, was %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(slotsBefore)))
			}
			if got := rawBucket(t, s, bucketCredentials); !maps.Equal(got, recordsBefore) {
				t.Errorf("credentials changed: %q, was %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(recordsBefore)))
			}
		})
	}
}

// v3SlotKey is a key of credential_slots as schema version 3 wrote it.
func v3SlotKey(issuerID string, list, index int32) []byte {
	return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(prefixKey(issuerID), uint32(list)), uint32(index))
}

type v3Slot struct {
	issuer      string
	list, index int32
}

func (s v3Slot) credentialID() string { return fmt.Sprintf("%s-%d-%d", s.issuer, s.list, s.index) }

// writeV3Database builds, with bbolt alone, a file as schema version 3 left
// it: a credential record and a credential_slots key for each slot, plus any
// extra keys in credential_slots.
func writeV3Database(t *testing.T, path string, slots []v3Slot, extra ...[]byte) {
	t.Helper()
	writeOldDatabase(t, path, 3, slices.Concat(v1Buckets, v2Buckets, v3Buckets), func(tx *bbolt.Tx) error {
		records, index := tx.Bucket(bucketCredentials), tx.Bucket(bucketCredentialSlots)
		for _, s := range slots {
			c := &model.CredentialRecord{IssuerID: s.issuer, ID: s.credentialID(), StatusList: s.list, StatusIndex: s.index}
			if err := credentialCodec.put(records, joinKey(s.issuer, c.ID), c); err != nil {
				return err
			}
			if err := index.Put(v3SlotKey(s.issuer, s.list, s.index), []byte(c.ID)); err != nil {
				return err
			}
		}
		for _, k := range extra {
			if err := index.Put(k, []byte("c")); err != nil {
				return err
			}
		}
		return nil
	})
}

// v3Slots spans chunk edges (0, 4095, 4096, 131071), several lists, and
// issuers whose ids share a prefix ("i", "i\x01", "i1"), so a conversion
// that merged or split chunks wrongly shows.
var v3Slots = []v3Slot{
	{"i1", 0, 131071}, {"i1", 0, 0}, {"i1", 0, 4095}, {"i1", 0, 4096}, {"i1", 0, 1}, {"i1", 0, 70000},
	{"i1", 1, 4096}, {"i1", 3, 0}, {"i1", 3, 131071},
	{"i", 2, 4095}, {"i\x01", 0, 0}, {"i10", 6, 8191},
}

// TestMigrateFromVersion3: every slot of the old index is a bit afterwards,
// and nothing else is; the old bucket is gone; slots are still claimed once.
func TestMigrateFromVersion3(t *testing.T) {
	for _, opener := range oldFileOpeners {
		t.Run(opener.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "v3.db")
			writeV3Database(t, path, v3Slots)
			s := opener.open(t, path)

			indexes := func(issuerID string, list int32) func(store.ReadTx) (any, error) {
				return func(tx store.ReadTx) (any, error) { return tx.StatusIndexes(issuerID, list) }
			}
			count := func(issuerID string) func(store.ReadTx) (any, error) {
				return func(tx store.ReadTx) (any, error) { return tx.StatusListCount(issuerID) }
			}
			create := func(issuerID, id string, list, index int32) func(store.ReadTx) (any, error) {
				return func(rtx store.ReadTx) (any, error) {
					return nil, rtx.(store.Tx).CreateCredential(&model.CredentialRecord{IssuerID: issuerID, ID: id, StatusList: list, StatusIndex: index})
				}
			}
			cases := []struct {
				name    string
				run     func(store.ReadTx) (any, error)
				want    any
				wantIs  error
				wantErr string
			}{
				{name: "ok/indexes of a list", run: indexes("i1", 0), want: []int{0, 1, 4095, 4096, 70000, 131071}},
				{name: "ok/another list", run: indexes("i1", 3), want: []int{0, 131071}},
				{name: "ok/a list in its second chunk only", run: indexes("i1", 1), want: []int{4096}},
				{name: "ok/unused list", run: indexes("i1", 2), want: []int(nil)},
				{name: "ok/shorter issuer id", run: indexes("i", 2), want: []int{4095}},
				{name: "ok/issuer id with a 0x01 byte", run: indexes("i\x01", 0), want: []int{0}},
				{name: "ok/longer issuer id", run: indexes("i10", 6), want: []int{8191}},
				{name: "ok/count", run: count("i1"), want: int32(4)},
				{name: "ok/count of a shorter id", run: count("i"), want: int32(3)},
				{name: "ok/count of an id with a 0x01 byte", run: count("i\x01"), want: int32(1)},
				{name: "ok/count of an issuer without slots", run: count("i2"), want: int32(0)},
				{name: "ok/old record still reads", run: func(tx store.ReadTx) (any, error) {
					c, err := tx.GetCredential("i1", "i1-0-4096")
					if err != nil {
						return nil, err
					}
					return c.StatusIndex, nil
				}, want: int32(4096)},
				{name: "error/taken slot refused", run: create("i1", "new", 0, 4096), wantIs: model.ErrAlreadyExists, wantErr: "is taken"},
				{name: "error/taken last slot refused", run: create("i1", "new", 0, 131071), wantIs: model.ErrAlreadyExists, wantErr: "is taken"},
				{name: "ok/free slot next to a taken one accepted", run: create("i1", "new", 0, 4097)},
				{name: "ok/free slot shows", run: indexes("i1", 0), want: []int{0, 1, 4095, 4096, 4097, 70000, 131071}},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					var got any
					err := s.Update(context.Background(), func(tx store.Tx) (err error) { got, err = tc.run(tx); return err })
					switch {
					case tc.wantErr != "":
						if !errors.Is(err, tc.wantIs) || !strings.Contains(err.Error(), tc.wantErr) {
							t.Errorf("got %v, want %v containing %q", err, tc.wantIs, tc.wantErr)
						}
					case err != nil:
						t.Errorf("got %v", err)
					case fmt.Sprint(got) != fmt.Sprint(tc.want) || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", tc.want):
						t.Errorf("got %T %v, want %T %v", got, got, tc.want, tc.want)
					}
				})
			}

			// One chunk per (issuer, list, index/4096), not one key per slot.
			chunks := map[string]bool{}
			for _, sl := range v3Slots {
				chunks[string(slotChunkKey(sl.issuer, sl.list, sl.index))] = true
			}
			if got := rawBucket(t, s, bucketStatusSlots); len(got) != len(chunks) {
				t.Errorf("status_slots holds %d chunks, want %d", len(got), len(chunks))
			}
			if err := s.Check(); err != nil {
				t.Errorf("Check: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			assertBuckets(t, s.Path(), SchemaVersion, bucketStatusSlots, bucketCredentialSlots)
		})
	}
}

// assertBuckets checks the file's schema version and that it has bucket
// present and not bucket absent.
func assertBuckets(t *testing.T, path string, version uint64, present, absent []byte) {
	t.Helper()
	if v := fileVersion(t, path); v != version {
		t.Errorf("file at version %d, want %d", v, version)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(present) == nil {
			t.Errorf("bucket %s is missing", present)
		}
		if tx.Bucket(absent) != nil {
			t.Errorf("bucket %s is still there", absent)
		}
		return nil
	})
}

// TestMigrateFromVersion3Refuses: an old key that is not issuer, list and
// index stops the migration with an error naming it, and the file stays a
// whole version 3 database.
func TestMigrateFromVersion3Refuses(t *testing.T) {
	cases := []struct {
		name    string
		key     []byte
		wantErr string
	}{
		{"error/index missing", []byte("i1\x00\x00\x00\x00\x05"), `key "i1\x00\x00\x00\x00\x05" is not an issuer id`},
		{"error/key too long", append(v3SlotKey("i1", 0, 5), 0), `key "i1\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00" is not an issuer id`},
		{"error/issuer id empty", v3SlotKey("", 0, 5), `key "\x00\x00\x00\x00\x00\x00\x00\x00\x05" is not an issuer id`},
		{"error/no separator", []byte("i1abcdefgh"), `key "i1abcdefgh" is not an issuer id`},
		{"error/negative index", v3SlotKey("i1", 0, -1), `key "i1\x00\x00\x00\x00\x00\xff\xff\xff\xff" holds list 0, index 4294967295`},
		{"error/list out of range", v3SlotKey("i1", math.MaxInt32, 0), `key "i1\x00\x7f\xff\xff\xff\x00\x00\x00\x00" holds list 2147483647, index 0`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "v3.db")
			writeV3Database(t, path, v3Slots[:3], tc.key)
			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if want := "migrate schema 3 -> 4 (keep status slots as bitmap chunks): bucket credential_slots: " + tc.wantErr; !strings.Contains(err.Error(), want) {
				t.Errorf("Open: %v\nwant it to contain %s", err, want)
			}
			assertBuckets(t, path, 3, bucketCredentialSlots, bucketStatusSlots)
		})
	}
}
