package server

import (
	"context"

	"google.golang.org/grpc"
)

// middleware is the shape shared by the interceptors that only need to act
// around a call, whatever its kind: logging, auth, metrics and recovery.
// Writing each once and adapting it to unary and stream calls keeps the two
// chains identical.
type middleware func(ctx context.Context, method string, next func(context.Context) error) error

// interceptor is one link of the chain, for both kinds of call.
type interceptor struct {
	unary  grpc.UnaryServerInterceptor
	stream grpc.StreamServerInterceptor
}

func (m middleware) interceptor() interceptor {
	return interceptor{unary: m.unary(), stream: m.stream()}
}

func (m middleware) unary() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		var resp any
		err := m(ctx, info.FullMethod, func(ctx context.Context) error {
			var err error
			resp, err = handler(ctx, req)
			return err
		})
		return resp, err
	}
}

func (m middleware) stream() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		return m(ss.Context(), info.FullMethod, func(ctx context.Context) error {
			if ctx == ss.Context() {
				return handler(srv, ss)
			}
			return handler(srv, &contextStream{ServerStream: ss, ctx: ctx})
		})
	}
}

// contextStream is a stream whose context carries what the interceptors
// added (the caller, the log record).
type contextStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *contextStream) Context() context.Context { return s.ctx }
