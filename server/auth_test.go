package server

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func TestAuthentication(t *testing.T) {
	w := newWorld(t, envOptions{})
	// A token that expires in an hour, and one that is revoked.
	short, err := w.adm.CreateToken(w.root(), &pb.CreateTokenRequest{Parent: ownAuthorityName, Ttl: durationpb.New(time.Hour)})
	if err != nil {
		t.Fatalf("create short token: %v", err)
	}
	revoked, err := w.adm.CreateToken(w.root(), &pb.CreateTokenRequest{Parent: ownAuthorityName})
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	if _, err := w.adm.RevokeToken(w.root(), &pb.RevokeTokenRequest{Name: revoked.GetToken().GetName()}); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	withHeader := func(values ...string) context.Context {
		md := metadata.MD{}
		for _, v := range values {
			md.Append("authorization", v)
		}
		return metadata.NewOutgoingContext(context.Background(), md)
	}

	tests := []struct {
		name     string
		ctx      func() context.Context
		wantCode codes.Code
		wantKind pb.PrincipalKind
		wantName string
	}{
		{"ok/no header is anonymous", func() context.Context { return context.Background() }, codes.OK, pb.PrincipalKind_PRINCIPAL_KIND_ANONYMOUS, "principals/anonymous"},
		{"ok/root", w.root, codes.OK, pb.PrincipalKind_PRINCIPAL_KIND_ROOT, "principals/root"},
		{"ok/lower-case scheme", func() context.Context { return withHeader("bearer " + w.rootKey) }, codes.OK, pb.PrincipalKind_PRINCIPAL_KIND_ROOT, "principals/root"},
		{"ok/token before expiry", func() context.Context { return as(short.GetSecret()) }, codes.OK, pb.PrincipalKind_PRINCIPAL_KIND_SECTOR_AUTHORITY, ownAuthorityName},
		{"error/unknown token", func() context.Context { return as("skp_" + "not-a-real-token") }, codes.Unauthenticated, 0, ""},
		{"error/revoked token", func() context.Context { return as(revoked.GetSecret()) }, codes.Unauthenticated, 0, ""},
		{"error/wrong scheme", func() context.Context { return withHeader("Basic " + w.rootKey) }, codes.Unauthenticated, 0, ""},
		{"error/no secret", func() context.Context { return withHeader("Bearer ") }, codes.Unauthenticated, 0, ""},
		{"error/no scheme", func() context.Context { return withHeader(w.rootKey) }, codes.Unauthenticated, 0, ""},
		{"error/two headers", func() context.Context { return withHeader("Bearer "+w.rootKey, "Bearer "+w.rootKey) }, codes.Unauthenticated, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := w.adm.GetCaller(tt.ctx(), &pb.GetCallerRequest{})
			requireStatus(t, err, tt.wantCode, "")
			if err != nil {
				return
			}
			if p.GetKind() != tt.wantKind || p.GetName() != tt.wantName {
				t.Errorf("got caller %s (%v), want %s (%v)", p.GetName(), p.GetKind(), tt.wantName, tt.wantKind)
			}
		})
	}

	t.Run("error/expired token", func(t *testing.T) {
		w.clock.Advance(2 * time.Hour)
		_, err := w.adm.GetCaller(as(short.GetSecret()), &pb.GetCallerRequest{})
		requireStatus(t, err, codes.Unauthenticated, "UNAUTHENTICATED")
	})
	t.Run("error/invalid token fails even public reads", func(t *testing.T) {
		_, err := w.reg.ListSectors(as(revoked.GetSecret()), &pb.ListSectorsRequest{})
		requireStatus(t, err, codes.Unauthenticated, "")
	})
}
