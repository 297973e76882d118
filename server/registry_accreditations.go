package server

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/model"
)

// Accreditations of the RegistryService.

// accreditationToAPI shows accreditations as they stand at the time of the
// call.
func (s *RegistryServer) accreditationToAPI(a *model.Accreditation) *pb.Accreditation {
	return accreditationToAPI(a, s.now())
}

func (s *RegistryServer) CreateAccreditation(ctx context.Context, req *pb.CreateAccreditationRequest) (*pb.Accreditation, error) {
	issuerID, err := parseIssuerName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	sectorID, profileID, err := parseProfileName(req.GetAccreditation().GetProfile())
	if err != nil {
		return nil, badName("accreditation.profile", err)
	}
	in := accreditationToModel(issuerID, sectorID, profileID, req.GetAccreditation())
	return then(s.accreditationToAPI)(s.svc.CreateAccreditation(ctx, Caller(ctx), req.GetRequestId(), in))
}

func (s *RegistryServer) GetAccreditation(ctx context.Context, req *pb.GetAccreditationRequest) (*pb.Accreditation, error) {
	issuerID, id, err := parseAccreditationName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	return then(s.accreditationToAPI)(s.svc.GetAccreditation(ctx, Caller(ctx), issuerID, id))
}

func (s *RegistryServer) ListAccreditations(ctx context.Context, req *pb.ListAccreditationsRequest) (*pb.ListAccreditationsResponse, error) {
	issuerID, err := parseIssuerName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	items, next, err := s.svc.ListAccreditations(ctx, Caller(ctx), issuerID, page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &pb.ListAccreditationsResponse{Accreditations: mapSlice(items, s.accreditationToAPI), NextPageToken: next}, nil
}

func (s *RegistryServer) SuspendAccreditation(ctx context.Context, req *pb.SuspendAccreditationRequest) (*pb.Accreditation, error) {
	return s.changeAccreditation(ctx, req, model.AccreditationSuspended)
}

func (s *RegistryServer) ReinstateAccreditation(ctx context.Context, req *pb.ReinstateAccreditationRequest) (*pb.Accreditation, error) {
	return s.changeAccreditation(ctx, req, model.AccreditationActive)
}

func (s *RegistryServer) WithdrawAccreditation(ctx context.Context, req *pb.WithdrawAccreditationRequest) (*pb.Accreditation, error) {
	return s.changeAccreditation(ctx, req, model.AccreditationWithdrawn)
}

// stateChangeRequest is what the three state-change requests share.
type stateChangeRequest interface {
	GetName() string
	GetReason() string
	GetEffectiveTime() *timestamppb.Timestamp
	GetRequestId() string
}

func (s *RegistryServer) changeAccreditation(ctx context.Context, req stateChangeRequest, to model.AccreditationState) (*pb.Accreditation, error) {
	issuerID, id, err := parseAccreditationName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	out, err := s.svc.ChangeAccreditation(ctx, Caller(ctx), req.GetRequestId(), issuerID, id, to, req.GetReason(), timeToModel(req.GetEffectiveTime()))
	return then(s.accreditationToAPI)(out, err)
}

func (s *RegistryServer) ListAccreditationEvents(ctx context.Context, req *pb.ListAccreditationEventsRequest) (*pb.ListAccreditationEventsResponse, error) {
	issuerID, id, err := parseAccreditationName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	a, err := s.svc.GetAccreditation(ctx, Caller(ctx), issuerID, id)
	if err != nil {
		return nil, err
	}
	return &pb.ListAccreditationEventsResponse{Events: accreditationEventsToAPI(a.Events)}, nil
}

func (s *RegistryServer) CheckAccreditation(ctx context.Context, req *pb.CheckAccreditationRequest) (*pb.CheckAccreditationResponse, error) {
	issuerID, err := parseIssuerName(req.GetIssuer())
	if err != nil {
		return nil, badName("issuer", err)
	}
	ref, err := parseProfileVersionName(req.GetProfileVersion())
	if err != nil {
		return nil, badName("profile_version", err)
	}
	// An absent time becomes the zero time, which the domain reads as now.
	at := timeToModel(req.GetTime())
	return then(checkToAPI)(s.svc.CheckAccreditation(ctx, Caller(ctx), issuerID, ref.sectorID, ref.profileID, ref.version, at))
}
