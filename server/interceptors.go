package server

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// recovery is the innermost interceptor. It turns whatever the handler
// produced into a gRPC status: a panic becomes Internal with a generic
// message (the value and stack are logged, never sent), and a domain error
// goes through the one mapping table (errors.go). Handlers can therefore
// return domain errors as they are.
func recovery(log *slog.Logger) middleware {
	return func(ctx context.Context, method string, next func(context.Context) error) (err error) {
		defer func() {
			if p := recover(); p != nil {
				log.Error("panic in handler", "method", method, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				err = status.Error(codes.Internal, internalMessage)
			}
		}()
		if err := next(ctx); err != nil {
			return toStatus(log, method, err).Err()
		}
		return nil
	}
}

// validation runs the request-shape validator of the method (validate.go)
// before the handler, so handlers and the domain only see requests whose
// names parse and whose required messages are present.
func validation(log *slog.Logger) interceptor {
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if v, ok := validators[info.FullMethod]; ok {
			if err := v(req); err != nil {
				return nil, toStatus(log, info.FullMethod, err).Err()
			}
		}
		return handler(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		v, ok := validators[info.FullMethod]
		if !ok {
			return handler(srv, ss)
		}
		return handler(srv, &validatingStream{ServerStream: ss, validate: v, log: log, method: info.FullMethod})
	}
	return interceptor{unary: unary, stream: stream}
}

// validatingStream validates every message a client stream delivers.
type validatingStream struct {
	grpc.ServerStream
	validate validator
	log      *slog.Logger
	method   string
}

func (s *validatingStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	if err := s.validate(m); err != nil {
		return toStatus(s.log, s.method, err).Err()
	}
	return nil
}
