package bolt

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/storetest"
)

// openTemp opens a new database in a fresh temporary directory and closes
// it at the end of the test.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "skillpass.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) }, reopen)
}

// reopen closes s and opens its file again, as a restarted daemon would.
func reopen(t *testing.T, s store.Store) store.Store {
	t.Helper()
	b := s.(*Store)
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	r, err := Open(b.Path(), Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	return r
}

func TestOpen(t *testing.T) {
	cases := []struct {
		name    string
		path    func(t *testing.T) string
		wantErr string
	}{
		{name: "ok/new file", path: func(t *testing.T) string { return filepath.Join(t.TempDir(), "new.db") }},
		{name: "error/empty path", path: func(*testing.T) string { return "" }, wantErr: "path is empty"},
		{name: "error/missing directory", path: func(t *testing.T) string { return filepath.Join(t.TempDir(), "no", "such", "dir.db") }, wantErr: "no such file"},
		{name: "error/not a database", path: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "text.db")
			if err := os.WriteFile(p, bytes.Repeat([]byte("not bbolt "), 1000), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}, wantErr: "invalid"},
		{name: "error/another application's bbolt file", path: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "other.db")
			db, err := bbolt.Open(p, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("foreign")); return err }); err != nil {
				t.Fatal(err)
			}
			return p
		}, wantErr: errNotSkillpass.Error()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			s, err := Open(path, Options{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Open: %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if mode := fi.Mode().Perm(); mode != 0o600 {
				t.Errorf("file mode %o, want 600", mode)
			}
			if s.Path() != path {
				t.Errorf("Path() = %q, want %q", s.Path(), path)
			}
		})
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "skillpass.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &model.Sector{ID: "installatie", Name: model.Text{NL: "Installatietechniek", EN: "Installation"}, Authority: "otib"}
	if err := s.Update(context.Background(), func(tx store.Tx) error { return tx.CreateSector(want) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.View(context.Background(), func(store.ReadTx) error { return nil }); !errors.Is(err, errClosed) {
		t.Errorf("View after Close: %v, want %v", err, errClosed)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx store.ReadTx) error {
		got, err := tx.GetSector("installatie")
		if err == nil && *got != *want {
			t.Errorf("after reopen: %+v, want %+v", got, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSecondOpenIsLockedOut(t *testing.T) {
	s := openTemp(t)
	_, err := Open(s.Path(), Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, berrors.ErrTimeout) || !strings.Contains(err.Error(), "locked by another process") {
		t.Fatalf("second Open: %v, want a lock timeout saying so", err)
	}
	// The first store is unaffected.
	if err := s.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// lockHelperEnv makes the test binary, re-run as a child, try to open the
// database named in it: a real second process, not just a second handle.
const lockHelperEnv = "SKILLPASS_BOLT_LOCK_HELPER_DB"

func TestSecondProcessIsLockedOut(t *testing.T) {
	if path := os.Getenv(lockHelperEnv); path != "" {
		_, err := Open(path, Options{Timeout: 100 * time.Millisecond})
		os.Stdout.WriteString("child open: " + errString(err) + "\n")
		return
	}
	s := openTemp(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondProcessIsLockedOut$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+s.Path())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "child open: ") || !strings.Contains(string(out), "locked by another process") {
		t.Fatalf("the second process was not refused clearly:\n%s", out)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestCheck(t *testing.T) {
	s := openTemp(t)
	err := s.Update(context.Background(), func(tx store.Tx) error {
		for _, id := range []string{"a", "b", "c"} {
			if err := tx.CreateSector(&model.Sector{ID: id, Authority: strings.Repeat(id, 5000)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); !errors.Is(err, errClosed) {
		t.Errorf("Check after Close: %v, want %v", err, errClosed)
	}
}

// TestInvalidArguments: bad ids and records are refused with a validation
// error naming the field, before anything is written.
func TestInvalidArguments(t *testing.T) {
	hash := model.HashSecret("s")
	cases := []struct {
		name  string
		call  func(tx store.Tx) error
		field string
	}{
		{"error/empty sector id", func(tx store.Tx) error { return tx.CreateSector(&model.Sector{}) }, "sector.id"},
		{"error/nil sector", func(tx store.Tx) error { return tx.UpdateSector(nil) }, "sector"},
		{"error/NUL in sector id", func(tx store.Tx) error { _, err := tx.GetSector("a\x00b"); return err }, "sector_id"},
		{"error/NUL in accreditation id", func(tx store.Tx) error {
			return tx.CreateAccreditation(&model.Accreditation{IssuerID: "i", ID: "a\x00b", SectorID: "s", ProfileID: "p"})
		}, "accreditation.id"},
		{"error/empty profile id in index lookup", func(tx store.Tx) error { _, err := tx.AccreditationsFor("i", "s", ""); return err }, "profile_id"},
		{"error/version zero", func(tx store.Tx) error {
			return tx.CreateProfileVersion(&model.ProfileVersion{SectorID: "s", ProfileID: "p"})
		}, "profile_version.version"},
		{"error/negative version lookup", func(tx store.Tx) error { _, err := tx.GetProfileVersion("s", "p", -1); return err }, "version"},
		{"error/NUL in profile id of listing", func(tx store.Tx) error { _, _, err := tx.ListProfileVersions("s", "p\x00", "", 1); return err }, "profile_id"},
		{"error/token without hash", func(tx store.Tx) error { return tx.CreateToken(&model.Token{PrincipalID: "p", ID: "t"}) }, "token.secret_hash"},
		{"error/token hash changed", func(tx store.Tx) error {
			if err := tx.CreateToken(&model.Token{PrincipalID: "p", ID: "t", SecretHash: hash}); err != nil {
				return err
			}
			return tx.UpdateToken(&model.Token{PrincipalID: "p", ID: "t", SecretHash: model.HashSecret("other")})
		}, "token.secret_hash"},
		{"error/empty request key", func(tx store.Tx) error { return tx.PutRequest("", &model.RequestRecord{}) }, "request_key"},
		{"error/zero page size", func(tx store.Tx) error { _, _, err := tx.ListSectors("", 0); return err }, "page_size"},
		{"error/NUL in credential id", func(tx store.Tx) error { return tx.CreateCredential(credentialAt("c\x00", 1)) }, "credential.id"},
		{"error/negative status index", func(tx store.Tx) error { return tx.CreateCredential(credentialAt("c1", -1)) }, "credential.status_index"},
		{"error/credential moved to another slot", func(tx store.Tx) error {
			if err := tx.CreateCredential(credentialAt("c1", 1)); err != nil {
				return err
			}
			return tx.UpdateCredential(credentialAt("c1", 2))
		}, "credential.status_index"},
		{"error/negative list in index lookup", func(tx store.Tx) error { _, err := tx.StatusIndexes("i1", -1); return err }, "list"},
		{"error/list number without room for a count", func(tx store.Tx) error {
			return tx.CreateCredential(&model.CredentialRecord{IssuerID: "i1", ID: "c1", StatusList: math.MaxInt32})
		}, "credential.status_list"},
		{"error/status list too short", func(tx store.Tx) error {
			return tx.PutStatusList(&model.StatusList{IssuerID: "i1", Purpose: model.PurposeRevocation, Bits: make([]byte, 16383)})
		}, "status_list.bits"},
		{"error/status list too long", func(tx store.Tx) error {
			return tx.PutStatusList(&model.StatusList{IssuerID: "i1", Purpose: model.PurposeRevocation, Bits: make([]byte, 16<<20+1)})
		}, "status_list.bits"},
		{"error/status list purpose", func(tx store.Tx) error {
			return tx.PutStatusList(&model.StatusList{IssuerID: "i1", Purpose: "message", Bits: make([]byte, 16384)})
		}, "status_list.purpose"},
		{"error/status list purpose on read", func(tx store.Tx) error { _, err := tx.GetStatusList("i1", "", 0); return err }, "purpose"},
		{"error/key set with a repeated kid", func(tx store.Tx) error {
			set := testKeySet(t, "i1")
			return tx.PutIssuerKeys("i1", keys.Set{set[0], set[1], set[0]})
		}, "keys[2].kid"},
		{"error/key set with an empty kid", func(tx store.Tx) error { return tx.PutIssuerKeys("i1", keys.Set{{}}) }, "keys[0].kid"},
		{"error/key sealed for another issuer", func(tx store.Tx) error { return tx.PutIssuerKeys("i2", testKeySet(t, "i1")[:1]) }, "keys[0].sealed"},
		{"error/cursor of another list", func(tx store.Tx) error {
			_, _, err := tx.ListTokens("p", encodeCursor([]byte("q\x00t")), 5)
			return err
		}, "page_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			err := s.Update(context.Background(), tc.call)
			var ve *model.ValidationError
			if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Field != tc.field {
				t.Fatalf("got %v, want a validation error for field %q", err, tc.field)
			}
		})
	}
}

// TestRestoreRefusesForeignSnapshots covers snapshots that are sound bbolt
// files but not something this binary may load.
func TestRestoreRefusesForeignSnapshots(t *testing.T) {
	cases := []struct {
		name  string
		build func(db *bbolt.DB) error
		want  string
	}{
		{"error/empty bbolt file", func(*bbolt.DB) error { return nil }, "no data"},
		{"error/foreign buckets", func(db *bbolt.DB) error {
			return db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("foreign")); return err })
		}, errNotSkillpass.Error()},
		{"error/newer schema", func(db *bbolt.DB) error {
			return db.Update(func(tx *bbolt.Tx) error {
				if err := activeSchema.initialise(tx); err != nil {
					return err
				}
				return tx.Bucket(bucketMeta).Put(keySchemaVersion, encodeVersion(SchemaVersion+1))
			})
		}, errSchemaNewer.Error()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snapshot := filepath.Join(t.TempDir(), "snapshot.db")
			db, err := bbolt.Open(snapshot, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.build(db); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(snapshot)
			if err != nil {
				t.Fatal(err)
			}
			s := openTemp(t)
			if err := s.Update(context.Background(), func(tx store.Tx) error { return tx.CreateSector(&model.Sector{ID: "kept"}) }); err != nil {
				t.Fatal(err)
			}
			_, err = s.Restore(context.Background(), bytes.NewReader(raw))
			if !errors.Is(err, model.ErrBackupInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Restore: %v, want ErrBackupInvalid mentioning %q", err, tc.want)
			}
			err = s.View(context.Background(), func(tx store.ReadTx) error { _, err := tx.GetSector("kept"); return err })
			if err != nil {
				t.Errorf("live data after refused restore: %v", err)
			}
			assertOnlyDatabaseFile(t, s.Path())
		})
	}
}

// TestRestoreCleansUp: neither the temporary snapshot nor the previous
// database may be left beside the live file.
func TestRestoreCleansUp(t *testing.T) {
	s := openTemp(t)
	var buf bytes.Buffer
	if _, err := s.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Restore(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	assertOnlyDatabaseFile(t, s.Path())
	if err := s.Check(); err != nil {
		t.Errorf("Check after restore: %v", err)
	}
}

func assertOnlyDatabaseFile(t *testing.T, path string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(path) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only %s", names, filepath.Base(path))
	}
}

// TestRestoreRefusesDamagedSnapshots cuts and corrupts a real backup. A
// truncated bbolt file makes bbolt read past the end of its memory map,
// which would kill the process if it were not caught before tx.Check.
func TestRestoreRefusesDamagedSnapshots(t *testing.T) {
	src := openTemp(t)
	err := src.Update(context.Background(), func(tx store.Tx) error {
		for i := range 200 {
			id := strings.Repeat("x", i%7+1) + string(rune('a'+i%26)) + strings.Repeat("y", i)
			if err := tx.CreateSector(&model.Sector{ID: id, Authority: strings.Repeat("a", 300)}); err != nil {
				return err
			}
		}
		return tx.CreateCredential(&model.CredentialRecord{IssuerID: "i1", ID: "c1", StatusIndex: 5})
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := src.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	page := os.Getpagesize()
	cases := []struct {
		name     string
		snapshot []byte
		want     string
	}{
		{"error/only the meta pages", good[:2*page], "truncated"},
		{"error/cut in half", good[:len(good)/2], "truncated"},
		{"error/last page missing", good[:len(good)-page], "truncated"},
		{"error/last byte missing", good[:len(good)-1], "truncated"},
		// 0xFF is field 31 with wire type 7, which does not exist.
		{"error/record not protobuf", corruptRecord(t, good, bucketSectors, []byte("broken"), []byte{0xFF, 0xFF, 0xFF}), "decode sector record"},
		{"error/slot chunk short", corruptRecord(t, good, bucketStatusSlots, slotChunkKey("i1", 0, 0), make([]byte, 64)), "holds a slot chunk of 64 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			_, err := s.Restore(context.Background(), bytes.NewReader(tc.snapshot))
			if !errors.Is(err, model.ErrBackupInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Restore: %v, want ErrBackupInvalid mentioning %q", err, tc.want)
			}
			assertOnlyDatabaseFile(t, s.Path())
		})
	}
}

// corruptRecord returns a copy of a Skillpass database in which the value
// at key in bucket is replaced by value, written through bbolt so the file
// itself stays consistent.
func corruptRecord(t *testing.T, snapshot []byte, bucket, key, value []byte) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "corrupt.db")
	if err := os.WriteFile(path, snapshot, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucket).Put(key, value) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
