package daemon

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// syncBuffer is a log sink the daemon writes to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startDaemon runs Run on loopback port 0 and returns the address it
// wrote to its addr file, the log, and a function that stops it and
// returns Run's result.
func startDaemon(t *testing.T, dataDir string, extra ...string) (addr string, logs *syncBuffer, stop func() error) {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	args := append([]string{"--data-dir", dataDir, "--listen", "127.0.0.1:0", "--addr-file", addrFile, "--shutdown-timeout", "5s"}, extra...)
	cfg, err := ParseConfig(args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, logs) }()
	stop = func() error { cancel(); return <-done }

	// Wait for the addr file: it is written once the port is open. This
	// waits for an event, it does not assert on timing.
	for {
		if b, err := os.ReadFile(addrFile); err == nil {
			return strings.TrimSpace(string(b)), logs, stop
		}
		select {
		case err := <-done:
			t.Fatalf("Run ended before listening: %v\n%s", err, logs)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestRun(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	addr, logs, stop := startDaemon(t, dataDir)

	// The data dir is private and holds the root token, readable only by
	// the daemon's user.
	if fi, err := os.Stat(dataDir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir: %v, mode %v; want 0700", err, fi.Mode().Perm())
	}
	tokenPath := filepath.Join(dataDir, "root.token")
	fi, err := os.Stat(tokenPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("root token file: %v; want mode 0600", err)
	}
	secret, _ := os.ReadFile(tokenPath)
	token := strings.TrimSpace(string(secret))
	if !strings.Contains(logs.String(), tokenPath) || strings.Contains(logs.String(), token) {
		t.Errorf("the log must name the token file and never the token:\n%s", logs)
	}
	if !strings.Contains(logs.String(), "listening") || !strings.Contains(logs.String(), addr) {
		t.Errorf("the log does not report the listening address %s:\n%s", addr, logs)
	}

	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v %v", resp, err)
	}
	caller, err := pb.NewAdminServiceClient(conn).GetCaller(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token), &pb.GetCallerRequest{})
	if err != nil || caller.GetKind() != pb.PrincipalKind_PRINCIPAL_KIND_ROOT {
		t.Fatalf("the root token does not authenticate as root: %v %v", caller, err)
	}

	if err := stop(); err != nil {
		t.Fatalf("Run after cancel: %v\n%s", err, logs)
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no clean stop in the log:\n%s", logs)
	}

	// A second start finds the database bootstrapped and leaves the token
	// file alone.
	_, logs2, stop2 := startDaemon(t, dataDir)
	if err := stop2(); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if again, _ := os.ReadFile(tokenPath); string(again) != string(secret) {
		t.Error("the second start changed root.token")
	}
	if strings.Contains(logs2.String(), "created the root token") {
		t.Error("the second start created another root token")
	}
}

func TestRunMetricsEndpoint(t *testing.T) {
	dir := t.TempDir()
	// Port 0 for metrics: find the bound address in the log.
	_, logs, stop := startDaemon(t, filepath.Join(dir, "data"), "--metrics-listen", "127.0.0.1:0")
	defer stop()
	var metricsAddr string
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "serving metrics") {
			for _, f := range strings.Fields(line) {
				if v, ok := strings.CutPrefix(f, "addr="); ok {
					metricsAddr = v
				}
			}
		}
	}
	if metricsAddr == "" {
		t.Fatalf("no metrics address in the log:\n%s", logs)
	}
	res, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "skillpass_grpc_server_handled_total") {
		t.Errorf("metrics: %d\n%s", res.StatusCode, body)
	}
}

func TestRunRefusesStaleRootToken(t *testing.T) {
	dataDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dataDir, "root.token"), []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig([]string{"--data-dir", dataDir, "--listen", "127.0.0.1:0"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), cfg, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "root.token exists but there is no database") {
		t.Fatalf("got %v, want a refusal naming the stale root.token", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "skillpass.db")); err == nil {
		t.Error("a database was created despite the refusal")
	}
}

// TestRunPinsPublicBaseURL: credentials name everything under the public
// base URL, so a restart under another one is refused before it serves.
func TestRunPinsPublicBaseURL(t *testing.T) {
	dataDir := t.TempDir()
	_, _, stop := startDaemon(t, dataDir, "--public-base-url", "https://pass.example.nl")
	if err := stop(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	for _, tc := range []struct {
		name, url, wantErr string
	}{
		{"ok/same base URL", "https://pass.example.nl", ""},
		{"error/other base URL", "https://other.example.nl", "this data dir issued under https://pass.example.nl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig([]string{"--data-dir", dataDir, "--listen", "127.0.0.1:0", "--public-base-url", tc.url}, func(string) string { return "" }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantErr == "" {
				_, _, stop := startDaemon(t, dataDir, "--public-base-url", tc.url)
				if err := stop(); err != nil {
					t.Fatalf("restart: %v", err)
				}
				return
			}
			err = Run(context.Background(), cfg, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}
