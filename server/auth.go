package server

import (
	"context"
	"log/slog"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/skillpass-nl/skillpass/model"
)

// Authenticator resolves a bearer secret to its principal. admin.Service is
// the production one; its errors wrap model.ErrUnauthenticated (unknown or
// expired token) or model.ErrTokenRevoked.
type Authenticator interface {
	Authenticate(ctx context.Context, secret string) (model.Principal, error)
}

type callerKey struct{}

// Caller returns the principal the call is authenticated as, or
// model.Anonymous for a call without a token. Handlers read it here once
// and pass it explicitly to the domain.
func Caller(ctx context.Context) model.Principal {
	if p, ok := ctx.Value(callerKey{}).(model.Principal); ok {
		return p
	}
	return model.Anonymous
}

// authentication resolves the "authorization: Bearer <secret>" header. No
// header means anonymous; a header that is malformed, unknown, expired or
// revoked fails the call with Unauthenticated, rather than silently
// downgrading to anonymous, so a client with a broken token finds out.
func authentication(a Authenticator, log *slog.Logger) middleware {
	return func(ctx context.Context, method string, next func(context.Context) error) error {
		p := model.Anonymous
		secret, present, err := bearerSecret(ctx)
		if err != nil {
			return err
		}
		if present {
			if p, err = a.Authenticate(ctx, secret); err != nil {
				return toStatus(log, method, err).Err()
			}
		}
		if rec := recordFrom(ctx); rec != nil {
			rec.principal = p.ID
		}
		return next(context.WithValue(ctx, callerKey{}, p))
	}
}

// bearerSecret extracts the secret of the authorization header. Error
// messages never repeat the header: it may hold a secret.
func bearerSecret(ctx context.Context) (secret string, present bool, err error) {
	// ValueFromIncomingContext reads the one header without copying the
	// whole metadata map, as FromIncomingContext would on every call.
	vals := metadata.ValueFromIncomingContext(ctx, "authorization")
	switch len(vals) {
	case 0:
		return "", false, nil
	case 1:
	default:
		return "", true, status.Error(codes.Unauthenticated, "more than one authorization header")
	}
	scheme, secret, ok := strings.Cut(vals[0], " ")
	// RFC 7235: the scheme is case-insensitive.
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" || strings.ContainsAny(secret, " \t") {
		return "", true, status.Error(codes.Unauthenticated, `malformed authorization header: want "Bearer <token>"`)
	}
	return secret, true, nil
}
