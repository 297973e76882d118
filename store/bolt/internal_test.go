package bolt

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

func TestTimestamps(t *testing.T) {
	cases := []struct {
		name       string
		in         time.Time
		wantAbsent bool
	}{
		{name: "ok/zero is absent", in: time.Time{}, wantAbsent: true},
		{name: "ok/nanoseconds kept", in: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)},
		{name: "ok/zone dropped, instant kept", in: time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 7200))},
		{name: "ok/before 1970", in: time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pb := tsToPB(tc.in)
			if (pb == nil) != tc.wantAbsent {
				t.Fatalf("tsToPB(%v) = %v, want absent: %t", tc.in, pb, tc.wantAbsent)
			}
			got := tsFromPB(pb)
			if !got.Equal(tc.in) || got.Location() != time.UTC {
				t.Errorf("round trip of %v gave %v", tc.in, got)
			}
		})
	}
}

// TestViewIsReadOnly: the verification path gets a store.Reader; even a
// type assertion to store.Tx must not let it write.
func TestViewIsReadOnly(t *testing.T) {
	s := openTemp(t)
	err := s.View(context.Background(), func(rtx store.ReadTx) error {
		wtx, ok := rtx.(store.Tx)
		if !ok {
			return nil
		}
		return wtx.CreateSector(&model.Sector{ID: "sneaky"})
	})
	if !errors.Is(err, berrors.ErrTxNotWritable) {
		t.Fatalf("write inside View: %v, want %v", err, berrors.ErrTxNotWritable)
	}
}

// TestBackupStopsWhenCancelled: a client that goes away mid-download stops
// the copy instead of pinning a read transaction until the end.
func TestBackupStopsWhenCancelled(t *testing.T) {
	s := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	writes := 0
	w := writerFunc(func(p []byte) (int, error) {
		writes++
		cancel()
		return len(p), nil
	})
	if _, err := s.Backup(ctx, w); !errors.Is(err, context.Canceled) {
		t.Fatalf("Backup: %v, want context.Canceled", err)
	}
	if writes != 1 {
		t.Errorf("%d writes after cancel, want the copy to stop after the first", writes)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestDamagedIndexes: an index entry that disagrees with the records is
// reported as an error, never silently skipped or trusted.
func TestDamagedIndexes(t *testing.T) {
	hash := model.HashSecret("secret")
	cases := []struct {
		name    string
		damage  func(tx *bbolt.Tx) error
		read    func(tx store.ReadTx) error
		wantErr string
	}{
		{
			name:    "error/token index without record",
			damage:  func(tx *bbolt.Tx) error { return tx.Bucket(bucketTokens).Delete(joinKey("p", "t")) },
			read:    func(tx store.ReadTx) error { _, err := tx.TokenBySecretHash(hash); return err },
			wantErr: "which does not exist",
		},
		{
			name: "error/token index names a token with another secret",
			damage: func(tx *bbolt.Tx) error {
				other := model.HashSecret("other")
				return tx.Bucket(bucketTokensByHash).Put(other[:], joinKey("p", "t"))
			},
			read: func(tx store.ReadTx) error {
				_, err := tx.TokenBySecretHash(model.HashSecret("other"))
				return err
			},
			wantErr: "disagree on the secret hash",
		},
		{
			name:    "error/accreditation index without record",
			damage:  func(tx *bbolt.Tx) error { return tx.Bucket(bucketAccreditations).Delete(joinKey("i", "a")) },
			read:    func(tx store.ReadTx) error { _, err := tx.AccreditationsFor("i", "s", "p"); return err },
			wantErr: "which does not exist",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "skillpass.db")
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Update(context.Background(), func(tx store.Tx) error {
				if err := tx.CreateToken(&model.Token{PrincipalID: "p", ID: "t", SecretHash: hash}); err != nil {
					return err
				}
				return tx.CreateAccreditation(&model.Accreditation{IssuerID: "i", ID: "a", SectorID: "s", ProfileID: "p"})
			})
			if err != nil {
				t.Fatal(err)
			}
			damageThenRead(t, s, tc.damage, tc.read, tc.wantErr)
			s.Close()
		})
	}
}

// damageThenRead changes the file behind the store's back, then requires
// read to fail with an error containing wantErr: damage is reported, never
// skipped, trusted or mistaken for a missing record.
func damageThenRead(t *testing.T, s *Store, damage func(*bbolt.Tx) error, read func(store.ReadTx) error, wantErr string) {
	t.Helper()
	s.mu.RLock()
	err := s.db.Update(damage)
	s.mu.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(context.Background(), read)
	if err == nil || errors.Is(err, model.ErrNotFound) || !strings.Contains(err.Error(), wantErr) {
		t.Errorf("got %v, want an error containing %q", err, wantErr)
	}
}

// TestRestoreKeepsLiveDatabaseWhenReopenFails: the snapshot passes the
// checks but its migration fails as it is opened; the previous database
// must come back, in place and open.
func TestRestoreKeepsLiveDatabaseWhenReopenFails(t *testing.T) {
	var ran []string
	useSchema(t, testSchema(&ran, 0, 1))
	old := openTemp(t)
	if err := old.Update(context.Background(), func(tx store.Tx) error { return tx.CreateSector(&model.Sector{ID: "old"}) }); err != nil {
		t.Fatal(err)
	}
	var snapshot bytes.Buffer
	if _, err := old.Backup(context.Background(), &snapshot); err != nil {
		t.Fatal(err)
	}

	useSchema(t, testSchema(&ran, 0, 3))
	live := openTemp(t)
	if err := live.Update(context.Background(), func(tx store.Tx) error { return tx.CreateSector(&model.Sector{ID: "live"}) }); err != nil {
		t.Fatal(err)
	}
	useSchema(t, testSchema(&ran, 2, 3)) // the 2 -> 3 migration now fails
	_, err := live.Restore(context.Background(), &snapshot)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("Restore: %v, want the migration's failure", err)
	}
	err = live.View(context.Background(), func(tx store.ReadTx) error {
		if _, err := tx.GetSector("live"); err != nil {
			return err
		}
		if _, err := tx.GetSector("old"); !errors.Is(err, model.ErrNotFound) {
			return errors.New("the snapshot's data is visible")
		}
		return nil
	})
	if err != nil {
		t.Errorf("after failed restore: %v", err)
	}
	if err := live.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	assertOnlyDatabaseFile(t, live.Path())
}
