package bolt

// The on-disk layout in one place: every bucket, the schema version and the
// migrations between versions. A change to the layout is a new migration
// appended here and SchemaVersion bumped by one; nothing else in the package
// creates buckets.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout version this binary writes and reads.
//
// History: 1 is the registry layout; 2 adds the issuance buckets (issuer
// keys, credential records and their status slots, status lists); 3 adds
// the secrets bucket and the index of request records by time; 4 keeps the
// status slots as bitmap chunks (status_slots) instead of one key per slot
// (credential_slots), so a group commit of randomly placed slots rewrites a
// few pages rather than one random page per credential.
const SchemaVersion = 4

// Buckets. Keys are built in keys.go; values are storagev1 messages, except
// in the index buckets and meta.
var (
	// meta holds keySchemaVersion and nothing else yet.
	bucketMeta = []byte("meta")
	// sectors: sectorID -> storagev1.Sector.
	bucketSectors = []byte("sectors")
	// profiles: sectorID\x00profileID\x00version(4 bytes BE) -> storagev1.ProfileVersion.
	bucketProfiles = []byte("profiles")
	// issuers: issuerID -> storagev1.Issuer.
	bucketIssuers = []byte("issuers")
	// accreditations: issuerID\x00accID -> storagev1.Accreditation.
	bucketAccreditations = []byte("accreditations")
	// accreditations_by_profile: issuerID\x00sectorID\x00profileID\x00accID -> empty.
	bucketAccByProfile = []byte("accreditations_by_profile")
	// principals: principalID -> storagev1.Principal.
	bucketPrincipals = []byte("principals")
	// tokens: principalID\x00tokenID -> storagev1.Token.
	bucketTokens = []byte("tokens")
	// tokens_by_hash: sha256(secret) -> principalID\x00tokenID.
	bucketTokensByHash = []byte("tokens_by_hash")
	// requests: request key -> storagev1.RequestRecord.
	bucketRequests = []byte("requests")

	// Since version 2.

	// issuer_keys: issuerID -> storagev1.IssuerKeySet (the whole set).
	bucketIssuerKeys = []byte("issuer_keys")
	// credentials: issuerID\x00credentialID -> storagev1.CredentialRecord.
	bucketCredentials = []byte("credentials")
	// credential_slots (versions 2 and 3 only; the version 4 migration
	// turns it into status_slots and deletes it):
	// issuerID\x00list(4 bytes BE)index(4 bytes BE) -> credentialID.
	bucketCredentialSlots = []byte("credential_slots")
	// status_lists: issuerID\x00purpose\x00list(4 bytes BE) -> storagev1.StatusList.
	bucketStatusLists = []byte("status_lists")
	// secrets: name -> a secret sealed by the domain under the KEK (raw
	// bytes in the keys package's sealed format; never clear text).
	bucketSecrets = []byte("secrets")
	// requests_by_time: createTime(8 bytes BE unix nanoseconds) || request
	// key -> the request's result (empty if it has none, or if the record
	// holds it itself, as records written before this layout do). Orders
	// request records by age for the retention sweep, and keeps the large
	// results out of the randomly keyed requests bucket.
	bucketRequestsByTime = []byte("requests_by_time")

	// Since version 4.

	// status_slots: issuerID\x00list(4 bytes BE)chunk(4 bytes BE) -> a
	// bitmap of 4,096 bits (512 bytes), bit i standing for status index
	// chunk*4096+i, most significant bit of each byte first (slots.go).
	// Claims each status list slot once; ordered by list, then index.
	bucketStatusSlots = []byte("status_slots")
)

// keySchemaVersion in bucketMeta holds the layout version as 8 bytes
// big-endian.
var keySchemaVersion = []byte("schema_version")

// v1Buckets is the layout of version 1, kept so tests can build a database
// as that version wrote it.
var v1Buckets = [][]byte{
	bucketMeta, bucketSectors, bucketProfiles, bucketIssuers, bucketAccreditations,
	bucketAccByProfile, bucketPrincipals, bucketTokens, bucketTokensByHash, bucketRequests,
}

// v2Buckets are the buckets version 2 added.
var v2Buckets = [][]byte{bucketIssuerKeys, bucketCredentials, bucketCredentialSlots, bucketStatusLists}

// v3Buckets are the buckets version 3 added.
var v3Buckets = [][]byte{bucketSecrets, bucketRequestsByTime}

// v4Buckets are the buckets version 4 added; v4Dropped the ones it deleted.
var (
	v4Buckets = [][]byte{bucketStatusSlots}
	v4Dropped = [][]byte{bucketCredentialSlots}
)

// schemaBuckets is every bucket of the current layout; a fresh database gets
// all of them, and Open verifies they exist after migrating.
var schemaBuckets = slices.DeleteFunc(slices.Concat(v1Buckets, v2Buckets, v3Buckets, v4Buckets), func(name []byte) bool {
	return slices.ContainsFunc(v4Dropped, func(d []byte) bool { return bytes.Equal(d, name) })
})

// schemaMigrations lead from version 1 to SchemaVersion.
var schemaMigrations = []migration{
	{from: 1, name: "add issuance buckets", apply: createBuckets(v2Buckets)},
	{from: 2, name: "add the secrets bucket and index requests by time", apply: func(tx *bbolt.Tx) error {
		if err := createBuckets(v3Buckets)(tx); err != nil {
			return err
		}
		return indexRequestsByTime(tx)
	}},
	{from: 3, name: "keep status slots as bitmap chunks", apply: func(tx *bbolt.Tx) error {
		if err := createBuckets(v4Buckets)(tx); err != nil {
			return err
		}
		if err := slotsToChunks(tx); err != nil {
			return err
		}
		return dropBuckets(v4Dropped)(tx)
	}},
}

// createBuckets is a migration step that adds new, empty buckets. A bucket
// that already exists is an error: it would mean the file is not the
// version its meta key says.
func createBuckets(names [][]byte) func(*bbolt.Tx) error {
	return func(tx *bbolt.Tx) error {
		for _, name := range names {
			if _, err := tx.CreateBucket(name); err != nil {
				return fmt.Errorf("create bucket %q: %w", name, err)
			}
		}
		return nil
	}
}

// dropBuckets is a migration step that deletes buckets whose data an
// earlier step has moved. A missing bucket is an error, as in createBuckets.
func dropBuckets(names [][]byte) func(*bbolt.Tx) error {
	return func(tx *bbolt.Tx) error {
		for _, name := range names {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("delete bucket %q: %w", name, err)
			}
		}
		return nil
	}
}

// migration upgrades a database from version from to from+1. It runs in one
// read-write transaction together with the version bump, so a crash leaves
// the database at either version, never in between.
type migration struct {
	from  uint64
	name  string
	apply func(tx *bbolt.Tx) error
}

// schema is what Open brings a database to. It is a value, not constants,
// so tests can open with a longer migration list (see activeSchema).
type schema struct {
	version    uint64
	buckets    [][]byte
	migrations []migration // migrations[i] upgrades version i+1 to i+2
}

// activeSchema is the schema Open uses. Only tests replace it.
var activeSchema = schema{
	version:    SchemaVersion,
	buckets:    schemaBuckets,
	migrations: schemaMigrations,
}

var (
	errNotSkillpass = errors.New("not a Skillpass database")
	errSchemaNewer  = errors.New("database schema is newer than this binary supports")
)

// validate checks that the migration list leads from version 1 to
// sc.version in single steps; a gap would silently skip a migration.
func (sc schema) validate() error {
	if uint64(len(sc.migrations)) != sc.version-1 {
		return fmt.Errorf("schema: version %d needs %d migrations, have %d", sc.version, sc.version-1, len(sc.migrations))
	}
	for i, m := range sc.migrations {
		if m.from != uint64(i)+1 {
			return fmt.Errorf("schema: migration %d (%s) starts at version %d, want %d", i, m.name, m.from, i+1)
		}
	}
	return nil
}

func encodeVersion(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// readVersion returns the schema version recorded in tx. A database without
// any bucket is fresh (version 0); one with buckets but no meta bucket
// belongs to something else and is refused rather than written into.
func readVersion(tx *bbolt.Tx) (uint64, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		err := tx.ForEach(func([]byte, *bbolt.Bucket) error { empty = false; return nil })
		if err != nil {
			return 0, err
		}
		if empty {
			return 0, nil
		}
		return 0, fmt.Errorf("%w: it has buckets but no %q bucket", errNotSkillpass, bucketMeta)
	}
	raw := meta.Get(keySchemaVersion)
	if len(raw) != 8 {
		return 0, fmt.Errorf("%w: schema version key holds %d bytes, want 8", errNotSkillpass, len(raw))
	}
	v := binary.BigEndian.Uint64(raw)
	if v == 0 {
		return 0, fmt.Errorf("%w: schema version 0", errNotSkillpass)
	}
	return v, nil
}

// checkVersion says whether this binary can open a database at version v
// (after migrating it if older).
func (sc schema) checkVersion(v uint64) error {
	if v > sc.version {
		return fmt.Errorf("%w: database is at version %d, this binary knows up to %d; use a newer skillpass", errSchemaNewer, v, sc.version)
	}
	return nil
}

// migrate initialises a fresh database at sc.version, or upgrades an older
// one step by step, each step in its own transaction.
func (sc schema) migrate(db *bbolt.DB) error {
	if err := sc.validate(); err != nil {
		return err
	}
	var v uint64
	if err := db.View(func(tx *bbolt.Tx) (err error) { v, err = readVersion(tx); return err }); err != nil {
		return err
	}
	if err := sc.checkVersion(v); err != nil {
		return err
	}
	if v == 0 {
		return db.Update(func(tx *bbolt.Tx) error { return sc.initialise(tx) })
	}
	for _, m := range sc.migrations[v-1:] {
		err := db.Update(func(tx *bbolt.Tx) error {
			if err := m.apply(tx); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keySchemaVersion, encodeVersion(m.from+1))
		})
		if err != nil {
			return fmt.Errorf("migrate schema %d -> %d (%s): %w", m.from, m.from+1, m.name, err)
		}
	}
	return db.View(sc.verifyBuckets)
}

func (sc schema) initialise(tx *bbolt.Tx) error {
	if err := createBuckets(sc.buckets)(tx); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keySchemaVersion, encodeVersion(sc.version))
}

// verifyBuckets catches a migration that forgot to create a bucket of the
// layout before the first transaction trips over it.
func (sc schema) verifyBuckets(tx *bbolt.Tx) error {
	for _, name := range sc.buckets {
		if tx.Bucket(name) == nil {
			return fmt.Errorf("schema version %d: bucket %q is missing", sc.version, name)
		}
	}
	return nil
}
