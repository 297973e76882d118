package daemon

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/store"
)

// issuerPage is how many issuers one ListIssuers call returns while the
// KEK check walks them.
const issuerPage = 500

// resolveKEK returns the KEK from --kek-file or SKILLPASS_KEK, or else
// the one in the data dir, which the first start creates. Either way it
// refuses a KEK that does not seal the keys already in the database:
// starting with the wrong KEK would only show later, as failed issuance.
// Only the KEK's public id is ever logged.
func resolveKEK(ctx context.Context, cfg *Config, st store.Store, log *slog.Logger) (*keys.KEK, error) {
	sealedUnder, err := sealingKEKs(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("read issuer keys: %w", err)
	}
	kek, source := cfg.kek, cfg.kekSource
	if kek == nil {
		path := cfg.KEKPath()
		source = "file " + path + " in the data dir"
		kek, err = keys.LoadKEKFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist) && len(sealedUnder) == 0:
			if kek, err = createKEKFile(path); err != nil {
				return nil, err
			}
			log.Warn("created a key-encryption key beside the database: fine on a laptop, not in production, where it belongs apart from the data (--kek-file on another volume, or SKILLPASS_KEK from a secret store)",
				"path", path, "kek_id", kek.ID())
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("the database holds issuer keys sealed under KEK %v, but neither --kek-file nor %s is set and %s does not exist: give the KEK those keys were sealed under",
				sealedUnder, kekEnv, path)
		case err != nil:
			return nil, err
		default:
			log.Warn("the key-encryption key sits beside the database: fine on a laptop, not in production", "path", path, "kek_id", kek.ID())
		}
	}
	if others := slices.DeleteFunc(sealedUnder, func(id string) bool { return id == kek.ID() }); len(others) > 0 {
		return nil, fmt.Errorf("issuer keys in the database are sealed under KEK %v, but the KEK from %s is %s: give the right KEK, or re-seal with skillpassd rewrap-kek",
			others, source, kek.ID())
	}
	log.Info("key-encryption key loaded", "source", source, "kek_id", kek.ID())
	return kek, nil
}

// createKEKFile generates a KEK and writes it to path (0600, never
// overwriting), durable before anything is sealed under it.
func createKEKFile(path string) (*keys.KEK, error) {
	kek, err := keys.GenerateKEK()
	if err != nil {
		return nil, err
	}
	if err := keys.WriteKEKFile(path, kek); err != nil {
		return nil, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("sync directory of %s: %w", path, err)
	}
	return kek, nil
}

// sealingKEKs returns the ids of the KEKs the database's issuer keys are
// sealed under, sorted; none for a database without issuer keys.
func sealingKEKs(ctx context.Context, st store.Store) ([]string, error) {
	ids := map[string]bool{}
	err := st.View(ctx, func(tx store.ReadTx) error {
		clear(ids) // View may retry
		cursor := ""
		for {
			issuers, next, err := tx.ListIssuers(cursor, issuerPage)
			if err != nil {
				return err
			}
			for _, is := range issuers {
				set, err := tx.IssuerKeys(is.ID)
				if err != nil {
					return err
				}
				for _, k := range set {
					ids[k.Sealed.KEKID] = true
				}
			}
			if next == "" {
				return nil
			}
			cursor = next
		}
	})
	return slices.Sorted(maps.Keys(ids)), err
}
