package bolt

// Checks a snapshot must pass before Restore lets it replace the database.

import (
	"fmt"
	"os"
	"runtime/debug"
	"time"

	bbolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"
)

// validateSnapshot opens the file read-only and requires a bbolt file that
// is complete (not truncated), whose records all decode, that passes bbolt's
// consistency check and that holds a Skillpass schema this binary can open
// (an older one is migrated when it is opened for real).
//
// A damaged file can make bbolt read outside its memory map, which is a
// fatal fault unless it happens in a goroutine with SetPanicOnFault. So
// everything that reads pages runs here first: the free list is loaded at
// Open (PreLoadFreelist) and walkRecords touches every reachable page; only
// then does tx.Check, which reads in a goroutine of its own, see the file.
// A file crafted to loop bbolt's recursion can still crash the process;
// restore is an operator action.
func validateSnapshot(path string) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	var db *bbolt.DB
	defer func() {
		if r := recover(); r != nil {
			err = invalidSnapshot("reading it failed: %v", r)
		}
		if db != nil {
			_ = db.Close()
		}
	}()
	if err := checkComplete(path); err != nil {
		return err
	}
	db, err = bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, PreLoadFreelist: true, Timeout: time.Second})
	if err != nil {
		return invalidSnapshot("not a bbolt database: %v", err)
	}
	return db.View(func(btx *bbolt.Tx) error {
		if err := walkRecords(btx); err != nil {
			return invalidSnapshot("%v", err)
		}
		if err := collectCheck(btx); err != nil {
			return invalidSnapshot("%v", err)
		}
		v, err := readVersion(btx)
		if err != nil {
			return invalidSnapshot("%v", err)
		}
		if v == 0 {
			return invalidSnapshot("%v: it holds no data at all", errNotSkillpass)
		}
		if err := activeSchema.checkVersion(v); err != nil {
			return invalidSnapshot("%v", err)
		}
		return nil
	})
}

// checkComplete compares the size the meta page claims with the file's
// size, reading nothing but the meta pages, so that a cut-off download is
// reported as such rather than as whatever bbolt trips over first.
func checkComplete(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return invalidSnapshot("not a bbolt database: %v", err)
	}
	defer db.Close()
	return db.View(func(btx *bbolt.Tx) error {
		if btx.Size() > fi.Size() {
			return invalidSnapshot("truncated: its pages need %d bytes, the file has %d", btx.Size(), fi.Size())
		}
		return nil
	})
}

// recordDecoders decode the values of each record bucket, and check the
// size of status slot chunks; the other index buckets and meta are walked
// without decoding.
var recordDecoders = map[string]func([]byte) error{
	string(bucketSectors):        decodeOnly(sectorCodec),
	string(bucketProfiles):       decodeOnly(profileCodec),
	string(bucketIssuers):        decodeOnly(issuerCodec),
	string(bucketAccreditations): decodeOnly(accreditationCodec),
	string(bucketPrincipals):     decodeOnly(principalCodec),
	string(bucketTokens):         decodeOnly(tokenCodec),
	string(bucketRequests):       decodeOnly(requestCodec),
	string(bucketIssuerKeys):     decodeOnly(keySetCodec),
	string(bucketCredentials):    decodeOnly(credentialCodec),
	string(bucketStatusLists):    decodeOnly(statusListCodec),
	string(bucketStatusSlots):    checkChunkSize,
	// secrets are opaque sealed bytes; the keys package checks them when
	// it opens them.
}

func decodeOnly[T any, M proto.Message](c codec[T, M]) func([]byte) error {
	return func(v []byte) error { _, err := c.decode(v); return err }
}

// walkRecords visits every key of every bucket, decoding records.
func walkRecords(btx *bbolt.Tx) error {
	return btx.ForEach(func(name []byte, b *bbolt.Bucket) error {
		return walkBucket(b, string(name), recordDecoders[string(name)])
	})
}

func walkBucket(b *bbolt.Bucket, name string, decode func([]byte) error) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil { // a nested bucket; Skillpass has none, but Check will read it
			if nested := b.Bucket(k); nested != nil {
				return walkBucket(nested, name+"/"+string(k), nil)
			}
			return nil
		}
		if decode != nil {
			if err := decode(v); err != nil {
				return fmt.Errorf("bucket %s, key %q: %w", name, k, err)
			}
		}
		return nil
	})
}
