package server

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/skillpass-nl/skillpass/admin"
	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/registry"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

// testEnv is a real server — real interceptors, real domain services, a
// real bbolt file in t.TempDir() — reached over bufconn.
type testEnv struct {
	clock    *modeltest.Clock
	store    *bolt.Store
	admin    *admin.Service
	registry *registry.Service
	server   *Server
	metrics  *Metrics
	conn     *grpc.ClientConn
	reg      pb.RegistryServiceClient
	adm      pb.AdminServiceClient
	rootKey  string // the root token's secret
}

// envOptions adjust the server of a testEnv.
type envOptions struct {
	maxRestoreBytes int64
	// register adds test-only services before serving.
	register func(*Server)
	// tcp serves on loopback TCP instead of bufconn (for benchmarks that
	// should include the kernel's network stack).
	tcp bool
}

func newTestEnv(t testing.TB, opts envOptions) *testEnv {
	t.Helper()
	env := &testEnv{clock: modeltest.NewClock(time.Now())}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "skillpass.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	env.store = st
	env.admin = admin.New(admin.Config{Store: st, Now: env.clock.Now})
	env.registry = registry.New(registry.Config{Store: st, Now: env.clock.Now})
	secret, created, err := env.admin.Bootstrap(context.Background())
	if err != nil || !created {
		t.Fatalf("bootstrap: created=%v err=%v", created, err)
	}
	env.rootKey = secret

	env.metrics = NewMetrics()
	srv, err := New(Config{
		Registry:        env.registry,
		Admin:           env.admin,
		Logger:          slog.New(slog.DiscardHandler),
		Metrics:         env.metrics,
		MaxRestoreBytes: opts.maxRestoreBytes,
		Now:             env.clock.Now,
	})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	if opts.register != nil {
		opts.register(srv)
	}
	env.server = srv
	var (
		lis  net.Listener
		dial []grpc.DialOption
		addr = "passthrough:///bufconn"
	)
	if opts.tcp {
		if lis, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatalf("listen: %v", err)
		}
		addr = lis.Addr().String()
	} else {
		bl := bufconn.Listen(1 << 20)
		lis = bl
		dial = append(dial, grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return bl.DialContext(ctx) }))
	}
	go srv.Serve(lis)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	conn, err := grpc.NewClient(addr, append(dial, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	env.conn = conn
	env.reg = pb.NewRegistryServiceClient(conn)
	env.adm = pb.NewAdminServiceClient(conn)
	return env
}

// as returns a context that sends secret as bearer token ("" sends none).
func as(secret string) context.Context {
	ctx := context.Background()
	if secret == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+secret)
}

// root is a context authenticated as the operator.
func (e *testEnv) root() context.Context { return as(e.rootKey) }

// newPrincipal creates a principal as root and returns a token secret for
// it.
func (e *testEnv) newPrincipal(t testing.TB, id string, p *pb.Principal) string {
	t.Helper()
	if _, err := e.adm.CreatePrincipal(e.root(), &pb.CreatePrincipalRequest{PrincipalId: id, Principal: p}); err != nil {
		t.Fatalf("create principal %s: %v", id, err)
	}
	tok, err := e.adm.CreateToken(e.root(), &pb.CreateTokenRequest{Parent: "principals/" + id, Description: "test"})
	if err != nil {
		t.Fatalf("create token for %s: %v", id, err)
	}
	return tok.GetSecret()
}

// requireStatus fails unless err has code want and, if reason is not "",
// an ErrorInfo with that reason in the skillpass.nl domain.
func requireStatus(t testing.TB, err error, want codes.Code, reason string) {
	t.Helper()
	st, _ := status.FromError(err)
	if st.Code() != want {
		t.Fatalf("got %v (%v), want code %v", st.Code(), err, want)
	}
	if reason == "" {
		return
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			if info.GetReason() != reason || info.GetDomain() != errorDomain {
				t.Fatalf("got ErrorInfo %s/%s, want %s/%s", info.GetDomain(), info.GetReason(), errorDomain, reason)
			}
			return
		}
	}
	t.Fatalf("got no ErrorInfo in %v, want reason %s", err, reason)
}

// violatedFields returns the fields of err's BadRequest detail.
func violatedFields(err error) []string {
	st, _ := status.FromError(err)
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	return fields
}
