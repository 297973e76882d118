// Package server is Skillpass's gRPC transport: it wires the interceptors,
// authenticates callers, validates request shapes, converts between the API
// and the domain, and maps domain errors to status codes. It holds no
// business rules; those live in the domain packages (registry, admin,
// issuer, verifier).
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/skillpass-nl/skillpass/admin"
	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/registry"
	"github.com/skillpass-nl/skillpass/verifier"
)

// Defaults for Config.
const (
	DefaultMaxMessageBytes = 4 << 20
	DefaultMaxRestoreBytes = 1 << 30
	// minMessageBytes leaves room for a useful backup chunk.
	minMessageBytes = 64 << 10
)

// Config holds the server's dependencies and limits.
type Config struct {
	Registry *registry.Service // required
	Admin    *admin.Service    // required; also authenticates bearer tokens
	Issuer   *issuer.Service   // required
	Verifier *verifier.Service // required
	// Logger receives one line per call and every internal error; nil
	// discards.
	Logger *slog.Logger
	// Metrics collects per-method counters; nil keeps a private set.
	Metrics *Metrics
	// TLS enables TLS (and mutual TLS if it verifies client certificates);
	// nil serves plaintext. See LoadTLS.
	TLS *tls.Config
	// MaxMessageBytes bounds every message received or sent; 0 means
	// DefaultMaxMessageBytes.
	MaxMessageBytes int
	// MaxRestoreBytes bounds the snapshot a Restore call may upload; 0
	// means DefaultMaxRestoreBytes.
	MaxRestoreBytes int64
	// Now returns the current time (for accreditation states); time.Now if
	// nil. Give it the same clock as the domain services.
	Now func() time.Time
}

// Server is the gRPC server with its health service.
type Server struct {
	grpc   *grpc.Server
	health *health.Server
}

// New builds the server: interceptors, limits, TLS, the registry, admin,
// issuance and verification services, health and reflection. It does not listen.
func New(cfg Config) (*Server, error) {
	if err := cfg.fillDefaults(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	// The one interceptor chain, outermost first. Logging and metrics see
	// every outcome, failed authentication and invalid input included (a
	// flood of refused calls is what an operator most needs to see);
	// recovery is innermost so that a panic or a domain error becomes a
	// status before metrics and logging look at it.
	chain := []interceptor{
		logging(log).interceptor(),
		cfg.Metrics.middleware().interceptor(),
		authentication(cfg.Admin, log).interceptor(),
		validation(log),
		recovery(log).interceptor(),
	}
	var unary []grpc.UnaryServerInterceptor
	var stream []grpc.StreamServerInterceptor
	for _, ic := range chain {
		unary, stream = append(unary, ic.unary), append(stream, ic.stream)
	}

	opts := []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(unary...),
		grpc.ChainStreamInterceptor(stream...),
		grpc.MaxRecvMsgSize(cfg.MaxMessageBytes),
		grpc.MaxSendMsgSize(cfg.MaxMessageBytes),
		// A pool of long-lived goroutines serves the calls instead of a
		// fresh goroutine per call: a fresh one starts with a small stack
		// that a verification (JSON decoding, the signature check) grows
		// by copying, 7% of the server's CPU per verification in a
		// profile. The pool is sized for many concurrent callers, not for
		// the CPUs, because a call finding every worker busy gets a fresh
		// goroutine again; an idle worker costs only its stack.
		grpc.NumStreamWorkers(uint32(max(streamWorkersMin, streamWorkersPerCPU*runtime.GOMAXPROCS(0)))),
	}
	if cfg.TLS != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(cfg.TLS)))
	}
	gs := grpc.NewServer(opts...)

	RegisterRegistryServer(gs, NewRegistryServer(RegistryConfig{Service: cfg.Registry, Now: cfg.Now}))
	RegisterAdminServer(gs, NewAdminServer(AdminConfig{
		Service:         cfg.Admin,
		MaxRestoreBytes: cfg.MaxRestoreBytes,
		// Leave room for the message's other fields and framing.
		BackupChunkBytes: min(backupChunkBytes, cfg.MaxMessageBytes/2),
	}))

	RegisterIssuanceServer(gs, NewIssuanceServer(IssuanceConfig{Service: cfg.Issuer, Logger: log}))
	RegisterVerificationServer(gs, NewVerificationServer(VerificationConfig{Verifier: cfg.Verifier, Issuer: cfg.Issuer, Now: cfg.Now}))

	hs := health.NewServer()
	for _, name := range []string{
		"",
		pb.RegistryService_ServiceDesc.ServiceName,
		pb.AdminService_ServiceDesc.ServiceName,
		pb.IssuanceService_ServiceDesc.ServiceName,
		pb.VerificationService_ServiceDesc.ServiceName,
	} {
		hs.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
	healthpb.RegisterHealthServer(gs, hs)
	reflection.Register(gs)
	return &Server{grpc: gs, health: hs}, nil
}

// The stream worker pool: streamWorkersPerCPU per CPU, at least
// streamWorkersMin.
const (
	streamWorkersMin    = 64
	streamWorkersPerCPU = 32
)

func (cfg *Config) fillDefaults() error {
	var errs []error
	if cfg.Registry == nil {
		errs = append(errs, errors.New("server config: Registry is required"))
	}
	if cfg.Admin == nil {
		errs = append(errs, errors.New("server config: Admin is required"))
	}
	if cfg.Issuer == nil {
		errs = append(errs, errors.New("server config: Issuer is required"))
	}
	if cfg.Verifier == nil {
		errs = append(errs, errors.New("server config: Verifier is required"))
	}
	switch {
	case cfg.MaxMessageBytes == 0:
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	case cfg.MaxMessageBytes < minMessageBytes:
		errs = append(errs, fmt.Errorf("server config: MaxMessageBytes must be at least %d, got %d", minMessageBytes, cfg.MaxMessageBytes))
	}
	switch {
	case cfg.MaxRestoreBytes == 0:
		cfg.MaxRestoreBytes = DefaultMaxRestoreBytes
	case cfg.MaxRestoreBytes < 0:
		errs = append(errs, fmt.Errorf("server config: MaxRestoreBytes must not be negative, got %d", cfg.MaxRestoreBytes))
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return errors.Join(errs...)
}

// RegisterService registers another service (one of a later issue's, or a
// test's) behind the same interceptors. Call it before Serve.
func (s *Server) RegisterService(desc *grpc.ServiceDesc, impl any) {
	s.grpc.RegisterService(desc, impl)
}

// Serve accepts connections on lis until Shutdown.
func (s *Server) Serve(lis net.Listener) error { return s.grpc.Serve(lis) }

// Shutdown reports NOT_SERVING (so load balancers stop sending), then lets
// calls in flight finish until ctx is done, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) {
	s.health.Shutdown()
	done := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		s.grpc.Stop()
		<-done
	}
}
