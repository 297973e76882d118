package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"google.golang.org/grpc"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/verifier"
)

// VerificationConfig holds the VerificationServer's dependencies.
type VerificationConfig struct {
	Verifier *verifier.Service
	// Issuer publishes key sets and status lists (its public, read-only
	// methods only).
	Issuer *issuer.Service
	// Now stamps verify_time; time.Now if nil.
	Now func() time.Time
}

// VerificationServer adapts verifier.Service (and the issuer's public
// artefacts) to the VerificationService API. Every RPC is open to
// anonymous callers: verifiers need no account (DESIGN.md rule 5).
type VerificationServer struct {
	pb.UnsafeVerificationServiceServer
	verifier *verifier.Service
	issuer   *issuer.Service
	now      func() time.Time
}

// NewVerificationServer returns a VerificationServer.
func NewVerificationServer(cfg VerificationConfig) *VerificationServer {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &VerificationServer{verifier: cfg.Verifier, issuer: cfg.Issuer, now: now}
}

// RegisterVerificationServer registers s on r.
func RegisterVerificationServer(r grpc.ServiceRegistrar, s *VerificationServer) {
	pb.RegisterVerificationServiceServer(r, s)
}

var _ pb.VerificationServiceServer = (*VerificationServer)(nil)

// VerifyCredential answers with a verdict for any token; only a failure
// of Skillpass itself is an error (the validator already bounded the
// token's size).
func (s *VerificationServer) VerifyCredential(ctx context.Context, req *pb.VerifyCredentialRequest) (*pb.VerifyCredentialResponse, error) {
	v, err := s.verifier.Verify(ctx, req.GetJws())
	if err != nil {
		return nil, err
	}
	return verdictToAPI(v, req.GetJws(), s.now()), nil
}

func (s *VerificationServer) VerifyPassport(ctx context.Context, req *pb.VerifyPassportRequest) (*pb.VerifyPassportResponse, error) {
	p, err := s.verifier.VerifyPassport(ctx, req.GetJws())
	if err != nil {
		return nil, renameFields(err, func(f string) string {
			return strings.Replace(f, "tokens", "jws", 1)
		})
	}
	return passportToAPI(p, req.GetJws(), s.now()), nil
}

func (s *VerificationServer) GetIssuerJwks(ctx context.Context, req *pb.GetIssuerJwksRequest) (*pb.GetIssuerJwksResponse, error) {
	issuerID, err := parseIssuerName(req.GetIssuer())
	if err != nil {
		return nil, badName("issuer", err)
	}
	set, err := s.issuer.JWKS(ctx, issuerID)
	if err != nil {
		return nil, renameFields(err, idFieldsTo("issuer"))
	}
	// Only public keys are published, whatever the set holds. A new
	// slice: the domain may share its set with other calls.
	pub := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, len(set.Keys))}
	for i, k := range set.Keys {
		pub.Keys[i] = k.Public()
	}
	doc, err := json.Marshal(pub)
	if err != nil {
		return nil, fmt.Errorf("marshal JWKS of issuer %q: %w", issuerID, err)
	}
	return &pb.GetIssuerJwksResponse{Jwks: string(doc)}, nil
}

func (s *VerificationServer) GetStatusList(ctx context.Context, req *pb.GetStatusListRequest) (*pb.GetStatusListResponse, error) {
	issuerID, err := parseIssuerName(req.GetIssuer())
	if err != nil {
		return nil, badName("issuer", err)
	}
	jws, err := s.issuer.StatusListCredential(ctx, issuerID, req.GetPurpose(), req.GetList())
	if err != nil {
		return nil, renameFields(err, idFieldsTo("issuer"))
	}
	return &pb.GetStatusListResponse{Jws: jws}, nil
}
