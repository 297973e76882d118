package bolt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bbolt "go.etcd.io/bbolt"

	"github.com/skillpass-nl/skillpass/model"
)

// Backup streams a consistent copy of the database to w from inside one
// read transaction, so writers carry on while it runs and the copy is the
// state of one instant. The copy is a bbolt file that Restore (or Open)
// accepts as is.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := s.withDB(ctx, func(db *bbolt.DB) error {
		return db.View(func(btx *bbolt.Tx) (err error) {
			n, err = btx.WriteTo(ctxWriter{ctx: ctx, w: w})
			return err
		})
	})
	if err != nil {
		// bbolt's WriteTo formats the writer's error with %s, losing it for
		// errors.Is; a cancelled caller must still see context.Canceled.
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return n, fmt.Errorf("backup: %w (%v)", ctxErr, err)
		}
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// Restore replaces the database with the snapshot read from r and returns
// the number of bytes restored. The snapshot is written to a temporary file
// beside the database and checked completely before the live file is
// touched; the swap then happens under the exclusive lock, after in-flight
// transactions have finished.
func (s *Store) Restore(ctx context.Context, r io.Reader) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tmp, n, err := receiveSnapshot(ctx, r, s.path)
	if err != nil {
		return 0, err
	}
	// After a successful swap tmp no longer exists and this is a no-op.
	defer func() { _ = os.Remove(tmp) }()
	if err := validateSnapshot(tmp); err != nil {
		return 0, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return 0, errClosed
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := s.swap(tmp); err != nil {
		return 0, err
	}
	// Any record may differ now.
	s.bump(allTopics)
	return n, nil
}

func invalidSnapshot(format string, args ...any) error {
	return fmt.Errorf("%w: %s", model.ErrBackupInvalid, fmt.Sprintf(format, args...))
}

// receiveSnapshot copies r into a new 0600 file in the database's directory
// (so the final rename stays on one filesystem) and fsyncs it.
func receiveSnapshot(ctx context.Context, r io.Reader, dbPath string) (path string, n int64, err error) {
	f, err := os.CreateTemp(filepath.Dir(dbPath), filepath.Base(dbPath)+".restore-*")
	if err != nil {
		return "", 0, fmt.Errorf("restore: create temporary file: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("restore: close temporary file: %w", cerr)
		}
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if n, err = io.Copy(f, ctxReader{ctx: ctx, r: r}); err != nil {
		return "", 0, fmt.Errorf("restore: read snapshot: %w", err)
	}
	if n == 0 {
		return "", 0, invalidSnapshot("the snapshot is empty")
	}
	if err = f.Sync(); err != nil {
		return "", 0, fmt.Errorf("restore: sync temporary file: %w", err)
	}
	return f.Name(), n, nil
}

// swap puts the checked snapshot in place of the live file. The live file is
// first hard-linked aside, so the database path names a complete database at
// every instant (the rename over it is atomic) and a crash mid-restore
// leaves either the old or the new database, never none. If the restored
// file will not open, the old one is put back. Called with s.mu held
// exclusively and s.db open.
func (s *Store) swap(tmp string) error {
	aside := s.path + ".pre-restore"
	_ = os.Remove(aside) // left over from an interrupted restore; the live file wins
	if err := os.Link(s.path, aside); err != nil {
		return fmt.Errorf("restore: keep the current database aside: %w", err)
	}
	if err := s.db.Close(); err != nil {
		s.db = nil
		return s.reopenOld(aside, false, fmt.Errorf("restore: close current database: %w", err))
	}
	s.db = nil
	if err := os.Rename(tmp, s.path); err != nil {
		return s.reopenOld(aside, false, fmt.Errorf("restore: move snapshot into place: %w", err))
	}
	if err := syncDir(s.path); err != nil {
		return s.reopenOld(aside, true, fmt.Errorf("restore: %w", err))
	}
	db, err := openDB(s.path, s.opts)
	if err != nil {
		return s.reopenOld(aside, true, fmt.Errorf("restore: open restored database: %w", err))
	}
	s.db = db
	_ = os.Remove(aside)
	return syncDir(s.path)
}

// reopenOld brings back the database that was live before the restore,
// moving it back from aside first if the snapshot already replaced it, and
// returns cause joined with anything that went wrong on the way.
func (s *Store) reopenOld(aside string, replaced bool, cause error) error {
	if replaced {
		if err := os.Rename(aside, s.path); err != nil {
			return errors.Join(cause, fmt.Errorf("put previous database back from %s: %w", aside, err))
		}
		if err := syncDir(s.path); err != nil {
			return errors.Join(cause, err)
		}
	} else {
		_ = os.Remove(aside)
	}
	db, err := openDB(s.path, s.opts)
	if err != nil {
		return errors.Join(cause, fmt.Errorf("reopen previous database: %w", err))
	}
	s.db = db
	return cause
}

// syncDir makes renames in the file's directory durable.
func syncDir(file string) error {
	d, err := os.Open(filepath.Dir(file))
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}

// ctxWriter and ctxReader stop a long copy once its caller has gone.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
