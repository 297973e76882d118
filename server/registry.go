package server

import (
	"context"
	"time"

	"google.golang.org/grpc"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/registry"
)

// RegistryConfig holds the RegistryServer's dependencies.
type RegistryConfig struct {
	Service *registry.Service
	// Now is the clock for the "state now" of accreditations; time.Now if
	// nil.
	Now func() time.Time
}

// RegistryServer adapts registry.Service to the RegistryService API. Each
// method converts the request, passes the caller explicitly to the domain
// and converts the result; the domain enforces who may do what.
type RegistryServer struct {
	// Unsafe, not Unimplemented: an RPC added to the API must fail to
	// compile until it is implemented here.
	pb.UnsafeRegistryServiceServer
	svc *registry.Service
	now func() time.Time
}

// NewRegistryServer returns a RegistryServer.
func NewRegistryServer(cfg RegistryConfig) *RegistryServer {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &RegistryServer{svc: cfg.Service, now: now}
}

// RegisterRegistryServer registers s on r.
func RegisterRegistryServer(r grpc.ServiceRegistrar, s *RegistryServer) {
	pb.RegisterRegistryServiceServer(r, s)
}

var _ pb.RegistryServiceServer = (*RegistryServer)(nil)

func page(size int32, token string) registry.Page {
	return registry.Page{Size: int(size), Token: token}
}

// Sectors.

func (s *RegistryServer) CreateSector(ctx context.Context, req *pb.CreateSectorRequest) (*pb.Sector, error) {
	in := sectorToModel(req.GetSectorId(), req.GetSector())
	return then(sectorToAPI)(s.svc.CreateSector(ctx, Caller(ctx), req.GetRequestId(), in))
}

func (s *RegistryServer) GetSector(ctx context.Context, req *pb.GetSectorRequest) (*pb.Sector, error) {
	id, err := parseSectorName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(sectorToAPI)(s.svc.GetSector(ctx, Caller(ctx), id))
}

func (s *RegistryServer) ListSectors(ctx context.Context, req *pb.ListSectorsRequest) (*pb.ListSectorsResponse, error) {
	items, next, err := s.svc.ListSectors(ctx, Caller(ctx), page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &pb.ListSectorsResponse{Sectors: mapSlice(items, sectorToAPI), NextPageToken: next}, nil
}

func (s *RegistryServer) UpdateSector(ctx context.Context, req *pb.UpdateSectorRequest) (*pb.Sector, error) {
	id, err := parseSectorName(req.GetSector().GetName())
	if err != nil {
		return nil, badName("sector.name", err)
	}
	in := sectorToModel(id, req.GetSector())
	return then(sectorToAPI)(s.svc.UpdateSector(ctx, Caller(ctx), req.GetRequestId(), in, req.GetUpdateMask().GetPaths()))
}
