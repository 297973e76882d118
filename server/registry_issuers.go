package server

import (
	"context"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// Issuers of the RegistryService.

func (s *RegistryServer) CreateIssuer(ctx context.Context, req *pb.CreateIssuerRequest) (*pb.Issuer, error) {
	in := issuerToModel(req.GetIssuerId(), req.GetIssuer())
	return then(issuerToAPI)(s.svc.CreateIssuer(ctx, Caller(ctx), req.GetRequestId(), in))
}

func (s *RegistryServer) GetIssuer(ctx context.Context, req *pb.GetIssuerRequest) (*pb.Issuer, error) {
	id, err := parseIssuerName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(issuerToAPI)(s.svc.GetIssuer(ctx, Caller(ctx), id))
}

func (s *RegistryServer) ListIssuers(ctx context.Context, req *pb.ListIssuersRequest) (*pb.ListIssuersResponse, error) {
	items, next, err := s.svc.ListIssuers(ctx, Caller(ctx), page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &pb.ListIssuersResponse{Issuers: mapSlice(items, issuerToAPI), NextPageToken: next}, nil
}

func (s *RegistryServer) UpdateIssuer(ctx context.Context, req *pb.UpdateIssuerRequest) (*pb.Issuer, error) {
	id, err := parseIssuerName(req.GetIssuer().GetName())
	if err != nil {
		return nil, badName("issuer.name", err)
	}
	in := issuerToModel(id, req.GetIssuer())
	return then(issuerToAPI)(s.svc.UpdateIssuer(ctx, Caller(ctx), req.GetRequestId(), in, req.GetUpdateMask().GetPaths()))
}
