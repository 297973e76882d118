package server

import (
	"context"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// panicService is a test-only service whose one method panics, registered
// behind the real interceptors.
var panicService = grpc.ServiceDesc{
	ServiceName: "skillpass.test.Panic",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Panic",
		Handler: func(_ any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			in := new(emptypb.Empty)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(context.Context, any) (any, error) { panic("secret detail that must not leak") }
			return ic(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/skillpass.test.Panic/Panic"}, h)
		},
	}},
}

func TestRecovery(t *testing.T) {
	env := newTestEnv(t, envOptions{register: func(s *Server) { s.RegisterService(&panicService, struct{}{}) }})
	err := env.conn.Invoke(context.Background(), "/skillpass.test.Panic/Panic", &emptypb.Empty{}, &emptypb.Empty{})
	requireStatus(t, err, codes.Internal, "")
	if msg := status.Convert(err).Message(); msg != internalMessage {
		t.Errorf("got message %q, want the generic %q", msg, internalMessage)
	}
	// The server survived the panic.
	if _, err := env.adm.GetCaller(context.Background(), &pb.GetCallerRequest{}); err != nil {
		t.Fatalf("call after panic: %v", err)
	}
	// Metrics, which sit outside recovery, saw the Internal status.
	var counted bool
	for _, s := range env.metrics.Snapshot() {
		if s.Method == "/skillpass.test.Panic/Panic" && s.Code == codes.Internal && s.Count == 1 {
			counted = true
		}
	}
	if !counted {
		t.Errorf("metrics have no Internal call of the panicking method: %+v", env.metrics.Snapshot())
	}
}

func TestHealth(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	client := healthpb.NewHealthClient(env.conn)
	for _, service := range append([]string{""}, servedServices(t)...) {
		resp, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: service})
		if err != nil {
			t.Fatalf("check %q: %v", service, err)
		}
		if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("service %q: got %v, want SERVING", service, resp.GetStatus())
		}
	}
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "skillpass.v1.NoSuchService"})
	requireStatus(t, err, codes.NotFound, "")
}
