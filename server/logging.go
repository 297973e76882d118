package server

import (
	"context"
	"log/slog"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// callRecord collects what the logging interceptor reports about a call but
// learns only further in: the authenticated principal. It lives in the
// call's context; the auth interceptor fills it in.
type callRecord struct {
	principal string
}

type callRecordKey struct{}

func recordFrom(ctx context.Context) *callRecord {
	r, _ := ctx.Value(callRecordKey{}).(*callRecord)
	return r
}

// logging logs one line per call: method, code, duration and principal id.
// Never the request, the response or the authorization header: they may
// carry secrets (tokens are created and shown in responses).
func logging(log *slog.Logger) middleware {
	return func(ctx context.Context, method string, next func(context.Context) error) error {
		start := time.Now()
		rec := &callRecord{}
		err := next(context.WithValue(ctx, callRecordKey{}, rec))
		code := status.Code(err)
		level := slog.LevelInfo
		switch code {
		case codes.Internal, codes.Unknown, codes.DataLoss:
			level = slog.LevelError
		}
		principal := rec.principal
		if principal == "" {
			principal = "-" // the call failed before authentication finished
		}
		log.LogAttrs(ctx, level, "call",
			slog.String("method", method),
			slog.String("code", code.String()),
			slog.Duration("duration", time.Since(start)),
			slog.String("principal", principal))
		return err
	}
}
