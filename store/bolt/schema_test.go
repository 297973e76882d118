package bolt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

func TestActiveSchemaIsConsistent(t *testing.T) {
	if err := activeSchema.validate(); err != nil {
		t.Fatal(err)
	}
	if activeSchema.version != SchemaVersion {
		t.Errorf("active schema is version %d, SchemaVersion is %d", activeSchema.version, SchemaVersion)
	}
}

// useSchema makes Open use sc for the rest of the test. Tests that call it
// must not run in parallel with other tests of the package.
func useSchema(t *testing.T, sc schema) {
	t.Helper()
	prev := activeSchema
	activeSchema = sc
	t.Cleanup(func() { activeSchema = prev })
}

// testSchema is a made-up layout line, independent of the real one, for
// testing the migration machinery: its version 1 is today's buckets,
// version 2 adds bucket "extra", version 3 fills it from the sectors. The
// real migrations are tested with real old files (TestMigrateFromVersion1). It returns the layout as of
// version upTo; ran records which migrations ran.
func testSchema(ran *[]string, failAt, upTo uint64) schema {
	extra := []byte("extra")
	step := func(from uint64, name string, apply func(*bbolt.Tx) error) migration {
		return migration{from: from, name: name, apply: func(tx *bbolt.Tx) error {
			*ran = append(*ran, name)
			if from == failAt {
				return errors.New("disk on fire")
			}
			return apply(tx)
		}}
	}
	migrations := []migration{
		step(1, "add extra", func(tx *bbolt.Tx) error { _, err := tx.CreateBucket(extra); return err }),
		step(2, "count sectors", func(tx *bbolt.Tx) error {
			n := tx.Bucket(bucketSectors).Stats().KeyN
			return tx.Bucket(extra).Put([]byte("sectors"), fmt.Appendf(nil, "%d", n))
		}),
	}
	buckets := schemaBuckets
	if upTo >= 2 {
		buckets = append(slices.Clone(schemaBuckets), extra)
	}
	return schema{version: upTo, buckets: buckets, migrations: migrations[:upTo-1]}
}

func fileVersion(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	if err := db.View(func(tx *bbolt.Tx) (err error) { v, err = readVersion(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrations(t *testing.T) {
	cases := []struct {
		name        string
		startAt     uint64 // 0: fresh file
		failAt      uint64 // migration that fails, 0: none
		wantRan     []string
		wantVersion uint64
		wantErr     string
	}{
		{name: "ok/fresh file starts at the current version", wantVersion: 3},
		{name: "ok/upgrade from 1 runs every step in order", startAt: 1, wantRan: []string{"add extra", "count sectors"}, wantVersion: 3},
		{name: "ok/upgrade from 2 runs only the last step", startAt: 2, wantRan: []string{"count sectors"}, wantVersion: 3},
		{name: "ok/current version runs nothing", startAt: 3, wantVersion: 3},
		{
			name: "error/failed step keeps the steps before it", startAt: 1, failAt: 2,
			wantRan: []string{"add extra", "count sectors"}, wantVersion: 2, wantErr: "migrate schema 2 -> 3 (count sectors): disk on fire",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "skillpass.db")
			var setup []string
			if tc.startAt > 0 {
				// Create the file as a binary at startAt would have.
				useSchema(t, testSchema(&setup, 0, tc.startAt))
				s, err := Open(path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Update(context.Background(), func(tx store.Tx) error { return tx.CreateSector(&model.Sector{ID: "s1"}) }); err != nil {
					t.Fatal(err)
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			var ran []string
			useSchema(t, testSchema(&ran, tc.failAt, 3))
			s, err := Open(path, Options{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Open: %v, want an error containing %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("Open: %v", err)
			} else {
				defer s.Close()
			}
			if !slices.Equal(ran, tc.wantRan) {
				t.Errorf("ran %q, want %q", ran, tc.wantRan)
			}
			if err == nil {
				// The data written before the upgrade is still there and
				// the migration saw it.
				if tc.startAt > 0 {
					err := s.View(context.Background(), func(rtx store.ReadTx) error { _, err := rtx.GetSector("s1"); return err })
					if err != nil {
						t.Errorf("sector after migration: %v", err)
					}
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if got := fileVersion(t, path); got != tc.wantVersion {
				t.Errorf("file is at version %d, want %d", got, tc.wantVersion)
			}
		})
	}
}

// TestMigratedDataIsVisible checks what a migration wrote, not only that
// it ran.
func TestMigratedDataIsVisible(t *testing.T) {
	path := filepath.Join(t.TempDir(), "skillpass.db")
	var setup []string
	useSchema(t, testSchema(&setup, 0, 1))
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(context.Background(), func(tx store.Tx) error {
		for _, id := range []string{"a", "b"} {
			if err := tx.CreateSector(&model.Sector{ID: id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	var ran []string
	useSchema(t, testSchema(&ran, 0, 3))
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bbolt.Tx) error {
		if got := tx.Bucket([]byte("extra")).Get([]byte("sectors")); !bytes.Equal(got, []byte("2")) {
			t.Errorf("migration wrote %q, want \"2\"", got)
		}
		return nil
	})
}

// TestSchemaRefusals: files this binary must not open, and schema
// definitions that must not be used.
func TestSchemaRefusals(t *testing.T) {
	cases := []struct {
		name    string
		schema  schema // zero: the real one
		prepare func(tx *bbolt.Tx) error
		wantIs  error
		wantErr string
	}{
		{
			name: "error/newer schema version",
			prepare: func(tx *bbolt.Tx) error {
				if err := activeSchema.initialise(tx); err != nil {
					return err
				}
				return tx.Bucket(bucketMeta).Put(keySchemaVersion, encodeVersion(SchemaVersion+1))
			},
			wantIs: errSchemaNewer, wantErr: fmt.Sprintf("database is at version %d, this binary knows up to %d", SchemaVersion+1, SchemaVersion),
		},
		{
			name: "error/schema version key damaged",
			prepare: func(tx *bbolt.Tx) error {
				if err := activeSchema.initialise(tx); err != nil {
					return err
				}
				return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte{1})
			},
			wantIs: errNotSkillpass, wantErr: "holds 1 bytes",
		},
		{
			name:    "error/foreign buckets without meta",
			prepare: func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("foreign")); return err },
			wantIs:  errNotSkillpass,
		},
		{
			name:    "error/migration list has a gap",
			schema:  schema{version: 3, buckets: schemaBuckets, migrations: []migration{{from: 2, name: "two"}, {from: 2, name: "again"}}},
			wantErr: "migration 0 (two) starts at version 2, want 1",
		},
		{
			name:    "error/migration list too short",
			schema:  schema{version: 3, buckets: schemaBuckets, migrations: []migration{{from: 1, name: "one"}}},
			wantErr: "version 3 needs 2 migrations, have 1",
		},
		{
			name: "error/migration forgets a bucket",
			schema: schema{version: 2, buckets: append(slices.Clone(schemaBuckets), []byte("forgotten")), migrations: []migration{
				{from: 1, name: "noop", apply: func(*bbolt.Tx) error { return nil }},
			}},
			prepare: func(tx *bbolt.Tx) error { return schema{version: 1, buckets: schemaBuckets}.initialise(tx) },
			wantErr: `bucket "forgotten" is missing`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "skillpass.db")
			if tc.prepare != nil {
				db, err := bbolt.Open(path, 0o600, nil)
				if err != nil {
					t.Fatal(err)
				}
				err = db.Update(tc.prepare)
				if cerr := db.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if tc.schema.version != 0 {
				useSchema(t, tc.schema)
			}
			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("Open: %v, want %v", err, tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Open: %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

// TestRestoreMigratesOlderSnapshot: a backup from an older binary is
// accepted and brought to the current layout as it is reopened.
func TestRestoreMigratesOlderSnapshot(t *testing.T) {
	var ran []string
	useSchema(t, testSchema(&ran, 0, 1))
	src := openTemp(t)
	if err := src.Update(context.Background(), func(tx store.Tx) error { return tx.CreateSector(&model.Sector{ID: "old"}) }); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := src.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	useSchema(t, testSchema(&ran, 0, 3))
	dst := openTemp(t)
	if _, err := dst.Restore(context.Background(), &buf); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if !slices.Equal(ran, []string{"add extra", "count sectors"}) {
		t.Errorf("restore ran migrations %q", ran)
	}
	if err := dst.View(context.Background(), func(tx store.ReadTx) error { _, err := tx.GetSector("old"); return err }); err != nil {
		t.Errorf("restored data: %v", err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	if v := fileVersion(t, dst.Path()); v != 3 {
		t.Errorf("restored file at version %d, want 3", v)
	}
}
