package bolt

import (
	"errors"
	"fmt"
	"os"

	"go.etcd.io/bbolt"
)

// compactTxBytes bounds each transaction of a compaction, so a large
// database is copied in steps rather than in one huge transaction.
const compactTxBytes = 64 << 20

// CompactFile rewrites the closed database at path into a new file that
// holds only live data, and replaces path with it atomically. bbolt reuses
// freed pages but never wipes them, so a record overwritten in place (a
// private key re-sealed under a new KEK) can linger in the old file; after
// CompactFile it is gone from the database file (what the file system
// does with the old blocks is beyond reach here). On any error path is
// left as it was.
func CompactFile(path string, opts Options) (err error) {
	src, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opts.lockTimeout(), ReadOnly: true})
	if err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	defer func() { err = errors.Join(err, src.Close()) }()
	tmp := path + ".compact"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("compact %s: remove leftover %s: %w", path, tmp, err)
	}
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{Timeout: opts.lockTimeout()})
	if err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	defer os.Remove(tmp) // a no-op after the rename
	if err := bbolt.Compact(dst, src, compactTxBytes); err != nil {
		return errors.Join(fmt.Errorf("compact %s: %w", path, err), dst.Close())
	}
	// Every Compact transaction committed with fsync; Close releases the
	// file before it takes the old one's place.
	if err := dst.Close(); err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("compact %s: %w", path, err)
	}
	return syncDir(path)
}
