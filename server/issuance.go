package server

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
)

// IssuanceConfig holds the IssuanceServer's dependencies.
type IssuanceConfig struct {
	Service *issuer.Service
	// Logger receives internal errors of batch items, which are answered
	// inside the response rather than by the interceptors; nil discards.
	Logger *slog.Logger
}

// IssuanceServer adapts issuer.Service to the IssuanceService API. The
// domain decides who may issue, revoke or manage keys; the transport only
// authenticates and converts.
type IssuanceServer struct {
	// Unsafe, not Unimplemented: an RPC added to the API must fail to
	// compile until it is implemented here.
	pb.UnsafeIssuanceServiceServer
	svc *issuer.Service
	log *slog.Logger
}

// NewIssuanceServer returns an IssuanceServer.
func NewIssuanceServer(cfg IssuanceConfig) *IssuanceServer {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &IssuanceServer{svc: cfg.Service, log: log}
}

// RegisterIssuanceServer registers s on r.
func RegisterIssuanceServer(r grpc.ServiceRegistrar, s *IssuanceServer) {
	pb.RegisterIssuanceServiceServer(r, s)
}

var _ pb.IssuanceServiceServer = (*IssuanceServer)(nil)

// Credentials.

func (s *IssuanceServer) IssueCredential(ctx context.Context, req *pb.IssueCredentialRequest) (*pb.IssuedCredential, error) {
	issuerID, err := parseIssuerName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	in, err := issueRequestToModel(issuerID, req)
	if err != nil {
		return nil, err
	}
	out, err := s.svc.Issue(ctx, Caller(ctx), in)
	return then(issuedToAPI)(out, renameFields(err, issueFieldToAPI))
}

// BatchIssueCredentials converts every item; those that do not convert
// get their error at once, the others go to the domain together (so it
// can commit them as a group) and get its verdict each.
func (s *IssuanceServer) BatchIssueCredentials(ctx context.Context, req *pb.BatchIssueCredentialsRequest) (*pb.BatchIssueCredentialsResponse, error) {
	issuerID, err := parseIssuerName(req.GetParent())
	if err != nil {
		return nil, badName("parent", err)
	}
	items := req.GetRequests()
	results := make([]*pb.BatchIssueResult, len(items))
	var (
		ins   []issuer.IssueRequest
		where []int // index in items of each entry of ins
	)
	for i, item := range items {
		in, err := issueRequestToModel(issuerID, item)
		if err != nil {
			results[i] = &pb.BatchIssueResult{Error: s.batchError(ctx, err)}
			continue
		}
		ins = append(ins, in)
		where = append(where, i)
	}
	if len(ins) > 0 {
		out, err := s.svc.IssueBatch(ctx, Caller(ctx), ins)
		if err != nil {
			// The batch as a whole was refused (caller, size, store).
			return nil, err
		}
		if len(out) != len(ins) {
			return nil, errors.New("issuer returned a result count that differs from the request count")
		}
		for j, r := range out {
			results[where[j]] = s.batchResultToAPI(ctx, r)
		}
	}
	return &pb.BatchIssueCredentialsResponse{Results: results}, nil
}

func (s *IssuanceServer) batchResultToAPI(ctx context.Context, r issuer.BatchResult) *pb.BatchIssueResult {
	if r.Err != nil || r.Issued == nil {
		err := renameFields(r.Err, issueFieldToAPI)
		if err == nil {
			err = errors.New("issuer returned a batch result with neither credential nor error")
		}
		return &pb.BatchIssueResult{Error: s.batchError(ctx, err)}
	}
	return &pb.BatchIssueResult{Credential: issuedToAPI(r.Issued)}
}

// batchError is what the item would have got as a call of its own: the
// same table, code, reason, message and fields (errors.go).
func (s *IssuanceServer) batchError(ctx context.Context, err error) *pb.BatchError {
	method, _ := grpc.Method(ctx)
	return statusToBatchError(toStatus(s.log, method, err))
}

func statusToBatchError(st *status.Status) *pb.BatchError {
	out := &pb.BatchError{Code: int32(st.Code()), Message: st.Message()}
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			out.Reason = d.GetReason()
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				out.Fields = append(out.Fields, v.GetField())
			}
		}
	}
	return out
}

func (s *IssuanceServer) GetCredentialRecord(ctx context.Context, req *pb.GetCredentialRecordRequest) (*pb.CredentialRecord, error) {
	issuerID, credentialID, err := parseCredentialName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	out, err := s.svc.GetCredential(ctx, Caller(ctx), issuerID, credentialID)
	return then(credentialRecordToAPI)(out, renameFields(err, idFieldsTo("name")))
}

func (s *IssuanceServer) RevokeCredential(ctx context.Context, req *pb.RevokeCredentialRequest) (*pb.CredentialRecord, error) {
	return s.changeStatus(ctx, req, issuer.ActionRevoke)
}

func (s *IssuanceServer) SuspendCredential(ctx context.Context, req *pb.SuspendCredentialRequest) (*pb.CredentialRecord, error) {
	return s.changeStatus(ctx, req, issuer.ActionSuspend)
}

func (s *IssuanceServer) ReinstateCredential(ctx context.Context, req *pb.ReinstateCredentialRequest) (*pb.CredentialRecord, error) {
	return s.changeStatus(ctx, req, issuer.ActionReinstate)
}

// statusChangeRequest is what the three status-change requests share.
type statusChangeRequest interface {
	GetName() string
	GetReason() string
	GetRequestId() string
}

func (s *IssuanceServer) changeStatus(ctx context.Context, req statusChangeRequest, action issuer.StatusAction) (*pb.CredentialRecord, error) {
	issuerID, credentialID, err := parseCredentialName(req.GetName())
	if err != nil {
		return nil, badName("name", err)
	}
	out, err := s.svc.ChangeStatus(ctx, Caller(ctx), req.GetRequestId(), issuerID, credentialID, action, req.GetReason())
	return then(credentialRecordToAPI)(out, renameFields(err, idFieldsTo("name")))
}

// Keys.

func (s *IssuanceServer) RotateIssuerKey(ctx context.Context, req *pb.RotateIssuerKeyRequest) (*pb.IssuerKeySet, error) {
	issuerID, err := parseIssuerName(req.GetIssuer())
	if err != nil {
		return nil, badName("issuer", err)
	}
	// Absent means the server's policy; an explicit zero activates at
	// once (after a compromise), so presence matters.
	var delay *time.Duration
	if d := req.GetPublishDelay(); d != nil {
		v := d.AsDuration()
		delay = &v
	}
	set, err := s.svc.RotateKey(ctx, Caller(ctx), req.GetRequestId(), issuerID, keyAlgorithmToModel(req.GetAlgorithm()), delay)
	return keySet(issuerID, set, err)
}

func (s *IssuanceServer) CompromiseIssuerKey(ctx context.Context, req *pb.CompromiseIssuerKeyRequest) (*pb.IssuerKeySet, error) {
	issuerID, err := parseIssuerName(req.GetIssuer())
	if err != nil {
		return nil, badName("issuer", err)
	}
	set, err := s.svc.CompromiseKey(ctx, Caller(ctx), req.GetRequestId(), issuerID, req.GetKid(), req.GetReason())
	return keySet(issuerID, set, err)
}

func (s *IssuanceServer) ListIssuerKeys(ctx context.Context, req *pb.ListIssuerKeysRequest) (*pb.IssuerKeySet, error) {
	issuerID, err := parseIssuerName(req.GetIssuer())
	if err != nil {
		return nil, badName("issuer", err)
	}
	set, err := s.svc.ListKeys(ctx, Caller(ctx), issuerID)
	return keySet(issuerID, set, err)
}

func keySet(issuerID string, set keys.Set, err error) (*pb.IssuerKeySet, error) {
	if err != nil {
		return nil, renameFields(err, idFieldsTo("issuer"))
	}
	return keySetToAPI(issuerID, set)
}
