package bolt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// testKeySet returns real keys with every field of keys.Key set on one of
// them, with UTC times and no monotonic reading, so that the round trip can
// be checked with reflect.DeepEqual and nothing weaker.
func testKeySet(t *testing.T, issuerID string) keys.Set {
	t.Helper()
	kek, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
	var set keys.Set
	for i, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		k, err := keys.NewKey(alg, kek, issuerID, base)
		if err != nil {
			t.Fatal(err)
		}
		k.State, k.PublishTime, k.ActivateTime = keys.StateActive, base.Add(time.Hour), base.Add(time.Duration(i+1)*time.Hour)
		set = append(set, k)
	}
	set[1].State, set[1].RetireTime = keys.StateCompromised, base.Add(48*time.Hour)
	set[1].CompromiseTime, set[1].CompromiseReason = base.Add(72*time.Hour), "HSM export discovered"
	return set
}

func TestKeySetRoundTripIsExact(t *testing.T) {
	set := testKeySet(t, "i1")
	enc, err := keySetCodec.encode(issuerKeys{issuerID: "i1", set: set})
	if err != nil {
		t.Fatal(err)
	}
	got, err := keySetCodec.decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if got.issuerID != "i1" || !reflect.DeepEqual(got.set, set) {
		t.Errorf("round trip differs:\n got %#v\nwant %#v", got.set, set)
	}
	// The decoded public key is a usable key again, not just equal bytes.
	for i, k := range got.set {
		tp, err := keys.Thumbprint(k.PublicJWK.Key)
		if err != nil || tp != k.Kid {
			t.Errorf("key %d: thumbprint %q, %v; want %q", i, tp, err, k.Kid)
		}
	}
}

// TestCorruptIssuanceRecords: a damaged record is an error naming what is
// wrong, never a panic and never a silently different value.
func TestCorruptIssuanceRecords(t *testing.T) {
	set := testKeySet(t, "i1")
	goodKey, err := keyToPB(&set[0])
	if err != nil {
		t.Fatal(err)
	}
	keyRecord := func(edit func(k *storagev1.IssuerKey)) []byte {
		k := proto.Clone(goodKey).(*storagev1.IssuerKey)
		edit(k)
		b, err := proto.Marshal(&storagev1.IssuerKeySet{IssuerId: "i1", Keys: []*storagev1.IssuerKey{k}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	readKeys := func(tx store.ReadTx) error { _, err := tx.IssuerKeys("i1"); return err }
	readIndexes := func(tx store.ReadTx) error { _, err := tx.StatusIndexes("i1", 0); return err }
	readCount := func(tx store.ReadTx) error { _, err := tx.StatusListCount("i1"); return err }
	cases := []struct {
		name    string
		bucket  []byte
		key     []byte
		value   []byte
		read    func(tx store.ReadTx) error
		wantErr string
	}{
		{"error/key set not protobuf", bucketIssuerKeys, []byte("i1"), []byte{0xFF, 0xFF}, readKeys, "decode issuer key set record"},
		{"error/sealed key truncated", bucketIssuerKeys, []byte("i1"), keyRecord(func(k *storagev1.IssuerKey) { k.Sealed = k.Sealed[:10] }), readKeys, "sealed private key"},
		{"error/public JWK not JSON", bucketIssuerKeys, []byte("i1"), keyRecord(func(k *storagev1.IssuerKey) { k.PublicJwk = []byte("{") }), readKeys, "public JWK"},
		{"error/unknown key state", bucketIssuerKeys, []byte("i1"), keyRecord(func(k *storagev1.IssuerKey) { k.State = "DORMANT" }), readKeys, `unknown key state "DORMANT"`},
		{"error/key set filed under another issuer", bucketIssuerKeys, []byte("i2"), keyRecord(func(*storagev1.IssuerKey) {}),
			func(tx store.ReadTx) error { _, err := tx.IssuerKeys("i2"); return err }, `belongs to issuer "i1"`},
		{"error/credential holder hash short", bucketCredentials, joinKey("i1", "c1"),
			mustMarshal(t, &storagev1.CredentialRecord{IssuerId: "i1", Id: "c1", HolderHash: []byte{1, 2, 3}, TokenHash: make([]byte, 32)}),
			func(tx store.ReadTx) error { _, err := tx.GetCredential("i1", "c1"); return err }, "holder_hash has 3 bytes"},
		{"error/slot chunk key of the wrong length", bucketStatusSlots, append(slotListPrefix("i1", 0), 1, 2), make([]byte, slotChunkBytes),
			readIndexes, "holds a key of 9 bytes"},
		{"error/slot chunk short", bucketStatusSlots, slotChunkKey("i1", 0, 4096), make([]byte, slotChunkBytes-1),
			readIndexes, `index status_slots, key "i1\x00\x00\x00\x00\x00\x00\x00\x00\x01": holds a slot chunk of 511 bytes, want 512`},
		{"error/slot chunk long", bucketStatusSlots, slotChunkKey("i1", 0, 0), make([]byte, slotChunkBytes+1), readIndexes, "holds a slot chunk of 513 bytes"},
		{"error/slot chunk empty", bucketStatusSlots, slotChunkKey("i1", 0, 0), []byte{}, readIndexes, "holds a slot chunk of 0 bytes"},
		{"error/counted chunk key of the wrong length", bucketStatusSlots, append(slotListPrefix("i1", 3), 1, 2, 3), make([]byte, slotChunkBytes),
			readCount, "holds a key of 10 bytes"},
		{"error/counted chunk short", bucketStatusSlots, slotChunkKey("i1", 3, 0), make([]byte, 8), readCount, "holds a slot chunk of 8 bytes"},
		{"error/counted list number out of range", bucketStatusSlots, slotChunkKey("i1", math.MaxInt32, 0), make([]byte, slotChunkBytes),
			readCount, "holds list number 2147483647"},
		{"error/status list not protobuf", bucketStatusLists, statusListKey("i1", model.PurposeRevocation, 0), []byte{0xFF},
			func(tx store.ReadTx) error { _, err := tx.GetStatusList("i1", model.PurposeRevocation, 0); return err }, "decode status list record"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			put := func(btx *bbolt.Tx) error { return btx.Bucket(tc.bucket).Put(tc.key, tc.value) }
			damageThenRead(t, openTemp(t), put, tc.read, tc.wantErr)
		})
	}
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeV1Database builds, with bbolt alone, a file exactly as schema
// version 1 (the registry layout) left it, holding one sector.
func writeV1Database(t *testing.T, path string) {
	t.Helper()
	writeOldDatabase(t, path, 1, v1Buckets, func(tx *bbolt.Tx) error {
		if err := requestCodec.put(tx.Bucket(bucketRequests), []byte("alice\x00CreateSector\x00r1"),
			&model.RequestRecord{ResultName: "sectors/old", CreateTime: time.Unix(1_700_000_000, 0).UTC()}); err != nil {
			return err
		}
		return sectorCodec.put(tx.Bucket(bucketSectors), []byte("old"), &model.Sector{ID: "old", Authority: "otib"})
	})
}

// writeOldDatabase builds, with bbolt alone, a file of schema version
// version with the given buckets, filled by fill.
func writeOldDatabase(t *testing.T, path string, version uint64, buckets [][]byte, fill func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		if err := createBuckets(buckets)(tx); err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keySchemaVersion, encodeVersion(version)); err != nil {
			return err
		}
		return fill(tx)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// oldFileOpeners are the two ways a file of an older schema version reaches
// this binary: opened in place, or restored from a backup.
var oldFileOpeners = []struct {
	name string
	open func(t *testing.T, oldPath string) *Store
}{
	{"ok/open in place", func(t *testing.T, oldPath string) *Store {
		s, err := Open(oldPath, Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}},
	{"ok/restore a backup", func(t *testing.T, oldPath string) *Store {
		s := openTemp(t)
		raw, err := os.ReadFile(oldPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Restore(context.Background(), bytes.NewReader(raw)); err != nil {
			t.Fatalf("Restore: %v", err)
		}
		return s
	}},
}

// TestMigrateFromVersion1: a database written by schema version 1 opens,
// keeps its data, gains the issuance buckets and takes issuance records,
// whether it is opened in place or arrives as a restored backup.
func TestMigrateFromVersion1(t *testing.T) {
	for _, tc := range oldFileOpeners {
		t.Run(tc.name, func(t *testing.T) {
			v1Path := filepath.Join(t.TempDir(), "v1.db")
			writeV1Database(t, v1Path)
			s := tc.open(t, v1Path)
			err := s.Update(context.Background(), func(tx store.Tx) error {
				if sec, err := tx.GetSector("old"); err != nil || sec.Authority != "otib" {
					return errors.New("version 1 data lost")
				}
				// The version 3 migration indexed the old request record
				// by time, so the retention sweep finds it.
				if n, err := tx.DeleteRequestsBefore(time.Unix(1_800_000_000, 0), 10); err != nil || n != 1 {
					return fmt.Errorf("sweep after migration: deleted %d, %v; want 1", n, err)
				}
				if err := tx.PutIssuerKeys("i1", testKeySet(t, "i1")); err != nil {
					return err
				}
				if err := tx.CreateCredential(&model.CredentialRecord{IssuerID: "i1", ID: "c1", StatusIndex: 5}); err != nil {
					return err
				}
				return tx.PutStatusList(&model.StatusList{IssuerID: "i1", Purpose: model.PurposeRevocation, Bits: make([]byte, 16384)})
			})
			if err != nil {
				t.Fatalf("after migration: %v", err)
			}
			if err := s.Check(); err != nil {
				t.Errorf("Check: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if v := fileVersion(t, s.Path()); v != SchemaVersion {
				t.Errorf("file at version %d, want %d", v, SchemaVersion)
			}
		})
	}
}
