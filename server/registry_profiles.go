package server

import (
	"context"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// Profile versions of the RegistryService.

func (s *RegistryServer) CreateProfileVersion(ctx context.Context, req *pb.CreateProfileVersionRequest) (*pb.ProfileVersion, error) {
	sectorID, profileID, err := parseProfileName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	// The domain assigns the version number; 0 says "not chosen".
	in := profileVersionToModel(versionRef{sectorID: sectorID, profileID: profileID}, req.GetProfileVersion())
	return then(profileVersionToAPI)(s.svc.CreateProfileVersion(ctx, Caller(ctx), req.GetRequestId(), in))
}

func (s *RegistryServer) GetProfileVersion(ctx context.Context, req *pb.GetProfileVersionRequest) (*pb.ProfileVersion, error) {
	ref, err := parseProfileVersionName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(profileVersionToAPI)(s.svc.GetProfileVersion(ctx, Caller(ctx), ref.sectorID, ref.profileID, ref.version))
}

func (s *RegistryServer) ListProfileVersions(ctx context.Context, req *pb.ListProfileVersionsRequest) (*pb.ListProfileVersionsResponse, error) {
	sectorID, profileID, err := parseProfileParent(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	items, next, err := s.svc.ListProfileVersions(ctx, Caller(ctx), sectorID, profileID, page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &pb.ListProfileVersionsResponse{ProfileVersions: mapSlice(items, profileVersionToAPI), NextPageToken: next}, nil
}

func (s *RegistryServer) UpdateProfileVersion(ctx context.Context, req *pb.UpdateProfileVersionRequest) (*pb.ProfileVersion, error) {
	ref, err := parseProfileVersionName(req.GetProfileVersion().GetName())
	if err != nil {
		return nil, badName("profile_version.name", err)
	}
	in := profileVersionToModel(ref, req.GetProfileVersion())
	return then(profileVersionToAPI)(s.svc.UpdateProfileVersion(ctx, Caller(ctx), req.GetRequestId(), in, req.GetUpdateMask().GetPaths()))
}

func (s *RegistryServer) PublishProfileVersion(ctx context.Context, req *pb.PublishProfileVersionRequest) (*pb.ProfileVersion, error) {
	ref, err := parseProfileVersionName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(profileVersionToAPI)(s.svc.PublishProfileVersion(ctx, Caller(ctx), req.GetRequestId(), ref.sectorID, ref.profileID, ref.version))
}

func (s *RegistryServer) RetireProfileVersion(ctx context.Context, req *pb.RetireProfileVersionRequest) (*pb.ProfileVersion, error) {
	ref, err := parseProfileVersionName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(profileVersionToAPI)(s.svc.RetireProfileVersion(ctx, Caller(ctx), req.GetRequestId(), ref.sectorID, ref.profileID, ref.version))
}
