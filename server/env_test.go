package server

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
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
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model/modeltest"
	"github.com/skillpass-nl/skillpass/registry"
	"github.com/skillpass-nl/skillpass/store/bolt"
	"github.com/skillpass-nl/skillpass/verifier"
)

// testEnv is a real server — real interceptors, real domain services, a
// real bbolt file in t.TempDir() — reached over bufconn.
type testEnv struct {
	clock    *modeltest.Clock
	store    *bolt.Store
	admin    *admin.Service
	registry *registry.Service
	issuer   *issuer.Service
	verifier *verifier.Service
	server   *Server
	metrics  *Metrics
	conn     *grpc.ClientConn
	reg      pb.RegistryServiceClient
	adm      pb.AdminServiceClient
	iss      pb.IssuanceServiceClient
	ver      pb.VerificationServiceClient
	rootKey  string // the root token's secret
}

// testBaseURL is the public base URL of the test server's credentials.
const testBaseURL = "https://skillpass.test"

// envOptions adjust the server of a testEnv.
type envOptions struct {
	maxRestoreBytes int64
	// register adds test-only services before serving.
	register func(*Server)
	// tcp serves on loopback TCP instead of bufconn (for benchmarks that
	// should include the kernel's network stack).
	tcp bool
	// verdictCache bounds the verifier's verdict cache; 0 is its default.
	verdictCache int
}

func newTestEnv(t testing.TB, opts envOptions) *testEnv {
	t.Helper()
	// Whole seconds: the issuer dates credentials in whole seconds, and a
	// clock between two seconds would make a fresh accreditation start
	// after the credential's issue time.
	env := &testEnv{clock: modeltest.NewClock(time.Now().Truncate(time.Second))}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "skillpass.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	env.store = st
	env.admin = admin.New(admin.Config{Store: st, Now: env.clock.Now})
	env.registry = registry.New(registry.Config{Store: st, Now: env.clock.Now})
	kek, err := keys.GenerateKEK()
	if err != nil {
		t.Fatalf("generate KEK: %v", err)
	}
	if env.issuer, err = issuer.New(issuer.Config{Store: st, KEK: kek, BaseURL: testBaseURL, Now: env.clock.Now}); err != nil {
		t.Fatalf("issuer.New: %v", err)
	}
	if env.verifier, err = verifier.New(verifier.Config{Store: st, BaseURL: testBaseURL, CacheEntries: opts.verdictCache, Now: env.clock.Now}); err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	secret, created, err := env.admin.Bootstrap(context.Background())
	if err != nil || !created {
		t.Fatalf("bootstrap: created=%v err=%v", created, err)
	}
	env.rootKey = secret

	env.metrics = NewMetrics()
	srv, err := New(Config{
		Registry:        env.registry,
		Admin:           env.admin,
		Issuer:          env.issuer,
		Verifier:        env.verifier,
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
	env.iss = pb.NewIssuanceServiceClient(conn)
	env.ver = pb.NewVerificationServiceClient(conn)
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

// requireRefusal is requireStatus and, in the same breath, the fields of
// the BadRequest detail (none if fields is nil).
func requireRefusal(t testing.TB, err error, want codes.Code, reason string, fields []string) {
	t.Helper()
	requireStatus(t, err, want, reason)
	if got := violatedFields(err); !slices.Equal(got, fields) {
		t.Errorf("got field violations %v, want %v", got, fields)
	}
}
