package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

func TestSweepOnce(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	const retention = 30 * 24 * time.Hour
	tests := []struct {
		name    string
		created time.Time
		gone    bool
	}{
		{name: "ok/past retention: deleted", created: now.Add(-retention - time.Second), gone: true},
		{name: "ok/within retention: kept", created: now.Add(-retention + time.Hour), gone: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			key := requests.Key("alice", "CreateSector", "r1")
			ctx := context.Background()
			if err := st.Update(ctx, func(tx store.Tx) error {
				return requests.Record(tx, key, "r1", [32]byte{1}, "sectors/s1", tt.created)
			}); err != nil {
				t.Fatal(err)
			}
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			want := 0
			if tt.gone {
				want = 1
			}
			if n := sweepOnce(ctx, st, now, retention, log); n != want {
				t.Errorf("swept %d, want %d", n, want)
			}
			err := st.View(ctx, func(tx store.ReadTx) error { _, err := tx.GetRequest(key); return err })
			if gone := errors.Is(err, model.ErrNotFound); gone != tt.gone {
				t.Errorf("record gone = %v (%v), want %v", gone, err, tt.gone)
			}
		})
	}
}

// TestRequestSweepStops: the sweeper ends when its context does, so the
// daemon can close the database after it.
func TestRequestSweepStops(t *testing.T) {
	st := openStore(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, retention := range []time.Duration{0, 24 * time.Hour} {
		ctx, cancel := context.WithCancel(context.Background())
		done := startRequestSweep(ctx, st, retention, log)
		cancel()
		<-done // a sweeper that ignored cancellation would hang the test here
	}
}

// openStore opens a bbolt store in a temporary directory.
func openStore(t *testing.T) *bolt.Store {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "skillpass.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
