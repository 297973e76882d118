package server

import (
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func TestIdempotentRetries(t *testing.T) {
	w := newWorld(t, envOptions{})
	ctx := w.root()
	first, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: "retry", Sector: sectorContent(), RequestId: "req-1"})
	if err != nil {
		t.Fatalf("first call: %v", err)
	}

	t.Run("ok/same request id and content gets the same result", func(t *testing.T) {
		again, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: "retry", Sector: sectorContent(), RequestId: "req-1"})
		if err != nil {
			t.Fatalf("retry: %v", err)
		}
		if !proto.Equal(first, again) {
			t.Errorf("retry answered %v, want %v", again, first)
		}
	})
	t.Run("error/same request id with other content", func(t *testing.T) {
		other := sectorContent()
		other.Authority = "Someone else"
		_, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: "retry", Sector: other, RequestId: "req-1"})
		requireStatus(t, err, codes.FailedPrecondition, "REQUEST_ID_REUSED")
	})
	t.Run("error/no request id is not idempotent", func(t *testing.T) {
		_, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: "retry", Sector: sectorContent()})
		requireStatus(t, err, codes.AlreadyExists, "ALREADY_EXISTS")
	})
	t.Run("ok/token retry hides the secret", func(t *testing.T) {
		req := &pb.CreateTokenRequest{Parent: ownAuthorityName, RequestId: "tok-1"}
		a, err := w.adm.CreateToken(ctx, req)
		if err != nil {
			t.Fatalf("first: %v", err)
		}
		b, err := w.adm.CreateToken(ctx, req)
		if err != nil {
			t.Fatalf("retry: %v", err)
		}
		if a.GetSecret() == "" || b.GetSecret() != "" || a.GetToken().GetName() != b.GetToken().GetName() {
			t.Errorf("got %s (secret %t) then %s (secret %t); want the same token, its secret only once",
				a.GetToken().GetName(), a.GetSecret() != "", b.GetToken().GetName(), b.GetSecret() != "")
		}
	})
}
