package daemon

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

func TestRunCreatesKEKBesideTheDataOnce(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	_, logs, stop := startDaemon(t, dataDir)
	if err := stop(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	kekPath := filepath.Join(dataDir, "kek.key")
	fi, err := os.Stat(kekPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("KEK file: %v; want mode 0600", err)
	}
	raw, _ := os.ReadFile(kekPath)
	if !strings.Contains(logs.String(), "created a key-encryption key beside the database") || !strings.Contains(logs.String(), "kek_id=") {
		t.Errorf("the first start does not warn that it created the KEK beside the data:\n%s", logs)
	}
	if strings.Contains(logs.String(), hex.EncodeToString(raw)) {
		t.Errorf("the log shows the KEK")
	}

	_, logs2, stop2 := startDaemon(t, dataDir)
	if err := stop2(); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if again, _ := os.ReadFile(kekPath); !bytes.Equal(again, raw) {
		t.Error("the second start replaced kek.key")
	}
	if strings.Contains(logs2.String(), "created a key-encryption key") || !strings.Contains(logs2.String(), "sits beside the database") {
		t.Errorf("the second start should reuse and warn about kek.key:\n%s", logs2)
	}
}

// TestRewrapKEK walks the life of a KEK: keys sealed under the data dir's
// KEK, a start with another KEK refused, a re-wrap to a new KEK file, a
// start with it, and the re-wraps that must fail without changing
// anything.
func TestRewrapKEK(t *testing.T) {
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	oldKEK := filepath.Join(dataDir, "kek.key")
	newKEK := filepath.Join(dir, "new.key")

	addr, _, stop := startDaemon(t, dataDir)
	root := rootContext(t, dataDir)
	conn := dial(t, addr)
	if _, err := pb.NewRegistryServiceClient(conn).CreateIssuer(root, &pb.CreateIssuerRequest{IssuerId: "acme", Issuer: &pb.Issuer{
		LegalName: "Acme Opleidingen B.V.", KvkNumber: "12345678", Contact: &pb.Contact{Email: "info@example.nl"},
	}}); err != nil {
		t.Fatalf("create issuer: %v", err)
	}
	if _, err := pb.NewIssuanceServiceClient(conn).RotateIssuerKey(root, &pb.RotateIssuerKeyRequest{Issuer: "issuers/acme"}); err != nil {
		t.Fatalf("first key: %v", err)
	}
	// A re-wrap while the daemon runs meets the database lock.
	running := &RewrapConfig{DataDir: dataDir, OldKEKFile: oldKEK, NewKEKFile: newKEK, lockTimeout: 100 * time.Millisecond}
	if err := Rewrap(context.Background(), running, io.Discard); err == nil || !strings.Contains(err.Error(), "another skillpassd running") {
		t.Errorf("re-wrap while running: got %v, want the lock error", err)
	}
	if _, err := os.Stat(newKEK); err == nil {
		t.Error("a failed re-wrap left the new KEK file behind")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	oldSealed := sealedKeyBytes(t, dataDir, "acme")

	// Another KEK does not open these keys: the daemon does not start.
	otherKEK := filepath.Join(dir, "other.key")
	writeTestKEK(t, otherKEK, 0o600)
	cfg, err := ParseConfig([]string{"--data-dir", dataDir, "--listen", "127.0.0.1:0", "--kek-file", otherKEK}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), "sealed under KEK") {
		t.Fatalf("start with another KEK: got %v, want a refusal", err)
	}

	tests := []struct {
		name    string
		cfg     RewrapConfig
		wantOut string
		wantErr string
	}{
		{"error/old KEK does not open the keys", RewrapConfig{DataDir: dataDir, OldKEKFile: otherKEK, NewKEKFile: newKEK}, "", "nothing was changed"},
		{"error/no database", RewrapConfig{DataDir: filepath.Join(dir, "empty"), OldKEKFile: oldKEK, NewKEKFile: newKEK}, "", "no database to re-wrap"},
		{"ok", RewrapConfig{DataDir: dataDir, OldKEKFile: oldKEK, NewKEKFile: newKEK}, "re-sealed 1 issuer keys", ""},
		{"ok/again moves nothing", RewrapConfig{DataDir: dataDir, OldKEKFile: oldKEK, NewKEKFile: newKEK}, "re-sealed 0 issuer keys", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := Rewrap(context.Background(), &tt.cfg, &out)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
				}
				if _, err := os.Stat(newKEK); err == nil {
					t.Error("a failed re-wrap left the KEK file it created")
				}
				return
			}
			if err != nil || !strings.Contains(out.String(), tt.wantOut) {
				t.Fatalf("got %q, %v; want output containing %q", out.String(), err, tt.wantOut)
			}
			// The copy sealed under the old KEK is gone from the file, free
			// pages included: whoever still holds the old KEK learns
			// nothing from it.
			if db, err := os.ReadFile(filepath.Join(dataDir, "skillpass.db")); err != nil || bytes.Contains(db, oldSealed) {
				t.Errorf("database after re-wrap still holds the key sealed under the old KEK (read error %v)", err)
			}
		})
	}
	if fi, err := os.Stat(newKEK); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new KEK file: %v; want mode 0600", err)
	}

	// The re-sealed keys open under the new KEK only.
	addr, _, stop = startDaemon(t, dataDir, "--kek-file", newKEK)
	set, err := pb.NewIssuanceServiceClient(dial(t, addr)).ListIssuerKeys(root, &pb.ListIssuerKeysRequest{Issuer: "issuers/acme"})
	if err != nil || len(set.GetKeys()) != 1 {
		t.Fatalf("keys after re-wrap: %v, %v", set, err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	cfg.KEKFile, cfg.kek = "", nil // back to the data dir's kek.key, which no longer seals them
	if err := Run(context.Background(), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), "sealed under KEK") {
		t.Fatalf("start with the old KEK after re-wrap: got %v, want a refusal", err)
	}
}

func TestParseRewrapConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    RewrapConfig
		wantErr string
	}{
		{"ok", []string{"--data-dir", "d", "--old-kek-file", "a", "--new-kek-file", "b"}, nil, RewrapConfig{DataDir: "d", OldKEKFile: "a", NewKEKFile: "b"}, ""},
		{"ok/data dir from the environment", []string{"--old-kek-file", "a", "--new-kek-file", "b"}, map[string]string{"SKILLPASS_DATA_DIR": "e"}, RewrapConfig{DataDir: "e", OldKEKFile: "a", NewKEKFile: "b"}, ""},
		{"error/missing files", []string{"--data-dir", "d"}, nil, RewrapConfig{}, "--old-kek-file is required"},
		{"error/same file", []string{"--old-kek-file", "a", "--new-kek-file", "a"}, nil, RewrapConfig{}, "must differ"},
		{"error/positional argument", []string{"--old-kek-file", "a", "--new-kek-file", "b", "now"}, nil, RewrapConfig{}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseRewrapConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || *c != tt.want {
				t.Fatalf("got %+v, %v; want %+v", c, err, tt.want)
			}
		})
	}
}

// rootContext authenticates as root with the token the first start wrote.
func rootContext(t *testing.T, dataDir string) context.Context {
	t.Helper()
	secret, err := os.ReadFile(filepath.Join(dataDir, "root.token"))
	if err != nil {
		t.Fatal(err)
	}
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+strings.TrimSpace(string(secret)))
}

func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// sealedKeyBytes returns the ciphertext of the sealed private key of the issuer's
// first key, read from the stopped daemon's database.
func sealedKeyBytes(t *testing.T, dataDir, issuerID string) []byte {
	t.Helper()
	st, err := bolt.Open(filepath.Join(dataDir, "skillpass.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var sealed []byte
	err = st.View(context.Background(), func(tx store.ReadTx) error {
		set, err := tx.IssuerKeys(issuerID)
		if err != nil || len(set) == 0 {
			return fmt.Errorf("keys of %s: %d, %v", issuerID, len(set), err)
		}
		sealed = set[0].Sealed.Ciphertext
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}
