package server

import (
	"context"

	"google.golang.org/grpc"

	"github.com/skillpass-nl/skillpass/admin"
	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// backupChunkBytes is the most snapshot data one BackupResponse carries.
const backupChunkBytes = 1 << 20

// AdminConfig holds the AdminServer's dependencies and limits.
type AdminConfig struct {
	Service *admin.Service
	// MaxRestoreBytes bounds an uploaded snapshot; DefaultMaxRestoreBytes
	// if 0.
	MaxRestoreBytes int64
	// BackupChunkBytes is the data per backup message; 1 MiB if 0. It must
	// stay below the server's maximum message size.
	BackupChunkBytes int
}

// AdminServer adapts admin.Service to the AdminService API. The domain
// enforces who may do what; GetCaller needs no domain call because the
// auth interceptor already resolved the caller.
type AdminServer struct {
	// Unsafe, not Unimplemented: an RPC added to the API must fail to
	// compile until it is implemented here.
	pb.UnsafeAdminServiceServer
	svc        *admin.Service
	maxRestore int64
	chunkBytes int
}

// NewAdminServer returns an AdminServer.
func NewAdminServer(cfg AdminConfig) *AdminServer {
	s := &AdminServer{svc: cfg.Service, maxRestore: cfg.MaxRestoreBytes, chunkBytes: cfg.BackupChunkBytes}
	if s.maxRestore <= 0 {
		s.maxRestore = DefaultMaxRestoreBytes
	}
	if s.chunkBytes <= 0 {
		s.chunkBytes = backupChunkBytes
	}
	return s
}

// RegisterAdminServer registers s on r.
func RegisterAdminServer(r grpc.ServiceRegistrar, s *AdminServer) {
	pb.RegisterAdminServiceServer(r, s)
}

var _ pb.AdminServiceServer = (*AdminServer)(nil)

func adminPage(size int32, token string) admin.Page {
	return admin.Page{Size: int(size), Token: token}
}

func (s *AdminServer) CreatePrincipal(ctx context.Context, req *pb.CreatePrincipalRequest) (*pb.Principal, error) {
	in, err := principalToModel(req.GetPrincipalId(), req.GetPrincipal())
	if err != nil {
		return nil, err
	}
	return then(principalToAPI)(s.svc.CreatePrincipal(ctx, Caller(ctx), req.GetRequestId(), in))
}

func (s *AdminServer) GetPrincipal(ctx context.Context, req *pb.GetPrincipalRequest) (*pb.Principal, error) {
	id, err := parsePrincipalName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(principalToAPI)(s.svc.GetPrincipal(ctx, Caller(ctx), id))
}

func (s *AdminServer) ListPrincipals(ctx context.Context, req *pb.ListPrincipalsRequest) (*pb.ListPrincipalsResponse, error) {
	items, next, err := s.svc.ListPrincipals(ctx, Caller(ctx), adminPage(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &pb.ListPrincipalsResponse{Principals: mapSlice(items, principalToAPI), NextPageToken: next}, nil
}

func (s *AdminServer) GetCaller(ctx context.Context, _ *pb.GetCallerRequest) (*pb.Principal, error) {
	p := Caller(ctx)
	return principalToAPI(&p), nil
}

func (s *AdminServer) CreateToken(ctx context.Context, req *pb.CreateTokenRequest) (*pb.CreateTokenResponse, error) {
	principalID, err := parsePrincipalName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	// An absent ttl is 0, which the domain reads as its default.
	ttl := req.GetTtl().AsDuration()
	tok, secret, err := s.svc.CreateToken(ctx, Caller(ctx), req.GetRequestId(), principalID, req.GetDescription(), ttl)
	if err != nil {
		return nil, err
	}
	return &pb.CreateTokenResponse{Token: tokenToAPI(tok), Secret: secret}, nil
}

func (s *AdminServer) ListTokens(ctx context.Context, req *pb.ListTokensRequest) (*pb.ListTokensResponse, error) {
	principalID, err := parsePrincipalName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	items, next, err := s.svc.ListTokens(ctx, Caller(ctx), principalID, adminPage(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &pb.ListTokensResponse{Tokens: mapSlice(items, tokenToAPI), NextPageToken: next}, nil
}

func (s *AdminServer) RevokeToken(ctx context.Context, req *pb.RevokeTokenRequest) (*pb.Token, error) {
	principalID, tokenID, err := parseTokenName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(tokenToAPI)(s.svc.RevokeToken(ctx, Caller(ctx), req.GetRequestId(), principalID, tokenID))
}
