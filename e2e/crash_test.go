package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// crashMaxPerWriter bounds each writer; the kill comes long before.
const crashMaxPerWriter = 10000

// TestCrashKeepsAcknowledgedWrites kills skillpassd with SIGKILL in the
// middle of a stream of CreateIssuer calls and shows that every call it
// acknowledged survives the restart, and that the file is consistent.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	skipShort(t)
	const (
		writers   = 4
		killAfter = 60 // acknowledged writes before the kill
	)
	dataDir := filepath.Join(t.TempDir(), "skillpass-data")
	d := startDaemon(t, dataDir)
	ctx := rootContext(t, dataDir)

	var (
		mu    sync.Mutex
		acked []string
	)
	client := dial(t, d.addr)
	writeUntilKilled(t, d, writers, killAfter, func(w, i int) error {
		id := fmt.Sprintf("crash-%d-%d", w, i)
		_, err := client.CreateIssuer(ctx, &pb.CreateIssuerRequest{
			IssuerId:  id,
			Issuer:    &pb.Issuer{LegalName: "Crash Test " + id, KvkNumber: fmt.Sprintf("%08d", w*crashMaxPerWriter+i)},
			RequestId: "req-" + id,
		})
		if err == nil {
			mu.Lock()
			acked = append(acked, id)
			mu.Unlock()
		}
		return err
	})

	// Restart on the same data directory: every acknowledged issuer is there.
	d2 := startDaemon(t, dataDir)
	client2 := dial(t, d2.addr)
	for _, id := range acked {
		is, err := client2.GetIssuer(ctx, &pb.GetIssuerRequest{Name: "issuers/" + id})
		if err != nil {
			t.Errorf("acknowledged issuer %s lost after SIGKILL: %v", id, err)
			continue
		}
		if is.GetLegalName() != "Crash Test "+id {
			t.Errorf("issuer %s came back as %q", id, is.GetLegalName())
		}
	}
	// A retry of an acknowledged request is answered from the record, not
	// done twice.
	_, err := client2.CreateIssuer(ctx, &pb.CreateIssuerRequest{
		IssuerId: acked[0], Issuer: &pb.Issuer{LegalName: "Crash Test " + acked[0], KvkNumber: kvkOf(acked[0])}, RequestId: "req-" + acked[0],
	})
	if err != nil && status.Code(err) != codes.AlreadyExists {
		t.Errorf("retrying an acknowledged request: %v", err)
	}
	t.Logf("%d writes acknowledged before SIGKILL, all present after restart", len(acked))

	d2.stop()
	checkDatabase(t, filepath.Join(dataDir, "skillpass.db"))
}

// writeUntilKilled runs writers goroutines, writer w calling write(w, i)
// for i = 0, 1, ... until a call fails, and kills d with SIGKILL as soon as
// killAfter calls in all have succeeded, while the other writers have
// calls in flight. A call that fails before the kill fails the test; after
// it, every call fails and its writer stops. write records what it had
// acknowledged.
func writeUntilKilled(t *testing.T, d *daemon, writers, killAfter int, write func(w, i int) error) {
	t.Helper()
	var (
		acked  atomic.Int64
		killed = make(chan struct{})
		once   sync.Once
		wg     sync.WaitGroup
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range crashMaxPerWriter {
				if err := write(w, i); err != nil {
					select {
					case <-killed:
					default:
						t.Errorf("write %d-%d failed before the kill: %v", w, i, err)
					}
					return
				}
				if acked.Add(1) == int64(killAfter) {
					once.Do(func() { close(killed); d.kill() })
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatalf("the writers stopped after %d acknowledged writes, before the kill", acked.Load())
	}
}

// kvkOf recomputes the KvK number a writer used for issuer id crash-w-i.
func kvkOf(id string) string {
	var w, i int
	fmt.Sscanf(id, "crash-%d-%d", &w, &i)
	return fmt.Sprintf("%08d", w*crashMaxPerWriter+i)
}

func rootContext(t *testing.T, dataDir string) context.Context {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "root.token"))
	if err != nil {
		t.Fatal(err)
	}
	return metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+strings.TrimSpace(string(b)))
}

func dial(t *testing.T, addr string) pb.RegistryServiceClient {
	t.Helper()
	return pb.NewRegistryServiceClient(dialConn(t, addr))
}

// dialConn opens a plaintext loopback connection closed with the test.
func dialConn(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return cc
}
