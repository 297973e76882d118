package daemon

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

// RewrapCommand is the name of the subcommand that re-seals issuer keys
// under a new KEK.
const RewrapCommand = "rewrap-kek"

// RewrapConfig is the validated configuration of rewrap-kek.
type RewrapConfig struct {
	DataDir    string
	OldKEKFile string
	NewKEKFile string
	// lockTimeout bounds the wait for the database lock; 0 is bolt's
	// default. A running daemon holds the lock, so the wait ends in a
	// clear error instead of two writers.
	lockTimeout time.Duration
}

// ParseRewrapConfig reads the flags of rewrap-kek (after the subcommand
// name); --data-dir defaults to SKILLPASS_DATA_DIR, then to the daemon's
// default. The KEKs come from files only: a re-wrap handles two keys, and
// files keep both out of the environment and the process list.
func ParseRewrapConfig(args []string, getenv func(string) string, help io.Writer) (*RewrapConfig, error) {
	fs := flag.NewFlagSet("skillpassd "+RewrapCommand, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	dataDir := lookupOption("data-dir").def
	if v := getenv(envOf("data-dir")); v != "" {
		dataDir = v
	}
	c := &RewrapConfig{}
	fs.StringVar(&c.DataDir, "data-dir", dataDir, "data directory of the stopped daemon")
	fs.StringVar(&c.OldKEKFile, "old-kek-file", "", "file of the KEK the keys are sealed under now")
	fs.StringVar(&c.NewKEKFile, "new-kek-file", "", "file of the KEK to seal them under; created (0600) with a new random KEK if it does not exist")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(help, "Usage: skillpassd %s --data-dir D --old-kek-file A --new-kek-file B\n\n"+
				"Re-seals every issuer key in D's database from KEK A to KEK B, all or nothing, then\n"+
				"compacts the database so no copy sealed under A stays in its free pages.\n"+
				"Stop the daemon first; afterwards start it with --kek-file B and destroy A.\n"+
				"Backups made before the re-wrap still hold keys sealed under A: destroy them too.\n\nFlags:\n", RewrapCommand)
			fs.SetOutput(help)
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var errs []error
	for _, f := range []struct{ name, value string }{
		{"data-dir", c.DataDir}, {"old-kek-file", c.OldKEKFile}, {"new-kek-file", c.NewKEKFile},
	} {
		if f.value == "" {
			errs = append(errs, fmt.Errorf("--%s is required", f.name))
		}
	}
	if c.OldKEKFile != "" && c.OldKEKFile == c.NewKEKFile {
		errs = append(errs, errors.New("--new-kek-file must differ from --old-kek-file"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Rewrap re-seals every issuer key from the old KEK to the new one and
// writes a one-line report to out. The daemon must not be running: the
// database lock makes a running one a clear error.
func Rewrap(ctx context.Context, c *RewrapConfig, out io.Writer) (err error) {
	dbPath := (&Config{DataDir: c.DataDir}).DatabasePath()
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("no database to re-wrap: %w", err)
	}
	oldKEK, err := keys.LoadKEKFile(c.OldKEKFile)
	if err != nil {
		return fmt.Errorf("--old-kek-file: %w", err)
	}
	defer oldKEK.Destroy()
	newKEK, created, err := loadOrCreateKEK(c.NewKEKFile)
	if err != nil {
		return fmt.Errorf("--new-kek-file: %w", err)
	}
	defer newKEK.Destroy()
	defer func() {
		// A KEK made for a re-wrap that did not happen seals nothing.
		if err != nil && created {
			_ = os.Remove(c.NewKEKFile)
		}
	}()

	st, err := bolt.Open(dbPath, bolt.Options{Timeout: c.lockTimeout})
	if err != nil {
		return err
	}
	n, err := issuer.RewrapKeys(ctx, st, oldKEK, newKEK)
	cerr := st.Close()
	if err != nil {
		// RewrapKeys is one transaction: on error nothing moved.
		return errors.Join(fmt.Errorf("re-wrap (nothing was changed): %w", err), cerr)
	}
	if cerr != nil {
		return fmt.Errorf("close database after re-wrapping %d keys: %w", n, cerr)
	}
	// bbolt frees the pages of the old sealed keys without wiping them:
	// anyone with the old KEK and this file could still open them. A
	// compacted copy holds live data only.
	if err := bolt.CompactFile(dbPath, bolt.Options{Timeout: c.lockTimeout}); err != nil {
		return fmt.Errorf("re-sealed %d keys under KEK %s, but compacting the database failed, so copies sealed under the old KEK may remain in its free pages; with the daemon stopped, compact it (go run go.etcd.io/bbolt/cmd/bbolt@v1.5.0 compact -o %s.new %s) and move the copy into place: %w",
			n, newKEK.ID(), dbPath, dbPath, err)
	}
	verb := "existing"
	if created {
		verb = "new"
	}
	_, err = fmt.Fprintf(out, "re-sealed %d issuer keys from KEK %s to %s KEK %s; start skillpassd with --kek-file %s, then destroy %s\n",
		n, oldKEK.ID(), verb, newKEK.ID(), c.NewKEKFile, c.OldKEKFile)
	return err
}

// loadOrCreateKEK loads the KEK at path, or creates it if there is no
// file yet.
func loadOrCreateKEK(path string) (kek *keys.KEK, created bool, err error) {
	kek, err = keys.LoadKEKFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return kek, false, err
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return nil, false, err
	}
	kek, err = createKEKFile(path)
	return kek, err == nil, err
}
