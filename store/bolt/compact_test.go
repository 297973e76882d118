package bolt

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/store"
)

// TestCompactFile: a value overwritten in place lingers in bbolt's freed
// pages until CompactFile rewrites the file; the live records survive.
func TestCompactFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "skillpass.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const secret, replaced = "LINGERING-OLD-VALUE-0123456789", "fresh-value"
	iss := modeltest.Issuer("roc")
	iss.LegalName = secret
	mustUpdate(t, st, func(tx store.Tx) error { return tx.CreateIssuer(iss) })
	iss.LegalName = replaced
	mustUpdate(t, st, func(tx store.Tx) error { return tx.UpdateIssuer(iss) })
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte(secret)) {
		t.Skip("bbolt already reused the freed page; nothing lingers to test against")
	}

	if err := CompactFile(path, Options{}); err != nil {
		t.Fatalf("CompactFile: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(secret)) {
		t.Error("the overwritten value is still in the file after compaction")
	}
	if _, err := os.Stat(path + ".compact"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
	st, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("check: %v", err)
	}
	err = st.View(ctx, func(tx store.ReadTx) error {
		got, err := tx.GetIssuer("roc")
		if err == nil && got.LegalName != replaced {
			t.Errorf("legal name %q, want %q", got.LegalName, replaced)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCompactFileErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		path string
	}{
		{"error/no database", filepath.Join(dir, "missing", "skillpass.db")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := CompactFile(tc.path, Options{}); err == nil {
				t.Fatal("CompactFile succeeded on a missing database")
			}
		})
	}
}

func mustUpdate(t *testing.T, st *Store, fn func(store.Tx) error) {
	t.Helper()
	if err := st.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
