package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/issuer"
)

// TestIssueRevokeVerify is the life of one credential over gRPC: issued
// by the issuer's client, VALID to an anonymous verifier, revoked, then
// INVALID with the status item saying why.
func TestIssueRevokeVerify(t *testing.T) {
	w := newWorld(t, envOptions{})
	holder := "urn:example:holder:jan"
	content := credentialContent("x")
	content.HolderId = holder
	issued, err := w.iss.IssueCredential(w.client(), &pb.IssueCredentialRequest{Parent: ownIssuer, Credential: content})
	if err != nil {
		t.Fatalf("issue: %v", err)
	}
	rec := issued.GetRecord()
	id, ok := strings.CutPrefix(rec.GetCredentialId(), "urn:uuid:")
	if !ok || rec.GetName() != ownIssuer+"/credentials/"+id {
		t.Errorf("record name %q and credential id %q do not agree", rec.GetName(), rec.GetCredentialId())
	}
	// The holder hash is keyed per issuer: not the plain SHA-256 of the
	// holder id (which anyone could confirm a guess with), but stable for
	// the same holder at the same issuer.
	plain := sha256.Sum256([]byte(holder))
	hh := rec.GetHolderIdHash()
	if b, err := hex.DecodeString(hh); err != nil || len(b) != 32 || hh == hex.EncodeToString(plain[:]) {
		t.Errorf("holder_id_hash %q: want 32 bytes of hex, not the plain SHA-256 of the holder id", hh)
	}
	again, err := w.iss.IssueCredential(w.client(), &pb.IssueCredentialRequest{Parent: ownIssuer, Credential: content})
	if err != nil || again.GetRecord().GetHolderIdHash() != hh {
		t.Errorf("second credential of the same holder: holder_id_hash %q, err %v; want %q", again.GetRecord().GetHolderIdHash(), err, hh)
	}
	if rec.GetProfileVersion() != publishedVersion ||
		rec.GetStatus() != pb.CredentialStatus_CREDENTIAL_STATUS_ACTIVE || !strings.HasPrefix(rec.GetAccreditation(), ownIssuer+"/accreditations/") ||
		rec.GetIssueTime() == nil || rec.GetValidFrom() == nil || rec.GetValidUntil() == nil {
		t.Errorf("record: %v", rec)
	}
	set, err := w.iss.ListIssuerKeys(w.client(), &pb.ListIssuerKeysRequest{Issuer: ownIssuer})
	if err != nil || len(set.GetKeys()) != 1 || set.GetKeys()[0].GetKid() != rec.GetKid() {
		t.Errorf("signing key %s is not the issuer's key: %v %v", rec.GetKid(), set, err)
	}

	v, err := w.ver.VerifyCredential(as(""), &pb.VerifyCredentialRequest{Jws: issued.GetJws()})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if v.GetVerdict() != pb.Verdict_VERDICT_VALID {
		t.Fatalf("verdict %v, checks %v", v.GetVerdict(), v.GetChecks())
	}
	for _, c := range v.GetChecks() {
		if c.GetOutcome() != pb.CheckOutcome_CHECK_OUTCOME_PASS && c.GetOutcome() != pb.CheckOutcome_CHECK_OUTCOME_INFO {
			t.Errorf("check %s of a valid credential: %v", c.GetCheck(), c)
		}
		if c.GetReason() == "" || c.GetMessage().GetNl() == "" || c.GetMessage().GetEn() == "" {
			t.Errorf("check %s lacks a reason or a sentence in Dutch and English: %v", c.GetCheck(), c)
		}
	}
	sum := v.GetCredential()
	if sum.GetCredentialId() != rec.GetCredentialId() || sum.GetIssuer() != ownIssuer || sum.GetIssuerUrl() != testBaseURL+"/"+ownIssuer ||
		sum.GetProfileVersion() != publishedVersion || sum.GetHolderId() != holder || sum.GetIssuerName() == "" ||
		sum.GetProfileName().GetNl() != "Metselaar" || sum.GetHolderKeyBound() {
		t.Errorf("summary: %v", sum)
	}
	if len(sum.GetCompetencies()) != 1 {
		t.Fatalf("competencies: %v", sum.GetCompetencies())
	}
	c := sum.GetCompetencies()[0]
	if c.GetCompetencyId() != "metselen" || c.GetLevelId() != "2" || c.GetLevelRank() != 2 || c.GetLevelCount() != 2 ||
		c.GetAssessmentMethod() != "EXAM" || c.GetLevelName().GetNl() != "Gevorderd" || len(c.GetAlignments()) != 1 ||
		c.GetAlignments()[0].GetFramework() != pb.Framework_FRAMEWORK_ESCO {
		t.Errorf("competency: %v", c)
	}
	if v.GetTokenHash() != tokenHash(issued.GetJws()) || v.GetVerifyTime() == nil {
		t.Errorf("token hash %q or verify time %v", v.GetTokenHash(), v.GetVerifyTime())
	}

	revoked, err := w.iss.RevokeCredential(w.client(), &pb.RevokeCredentialRequest{Name: rec.GetName(), Reason: "exam fraud"})
	if err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if revoked.GetStatus() != pb.CredentialStatus_CREDENTIAL_STATUS_REVOKED || len(revoked.GetEvents()) != 2 ||
		revoked.GetEvents()[1].GetReason() != "exam fraud" || revoked.GetEvents()[1].GetActor() != ownClientName {
		t.Errorf("revoked record: %v", revoked)
	}
	v, err = w.ver.VerifyCredential(as(""), &pb.VerifyCredentialRequest{Jws: issued.GetJws()})
	if err != nil {
		t.Fatalf("verify after revocation: %v", err)
	}
	requireCheck(t, v, "STATUS", pb.CheckOutcome_CHECK_OUTCOME_FAIL, "REVOKED")
	if v.GetVerdict() != pb.Verdict_VERDICT_INVALID {
		t.Errorf("verdict after revocation: %v", v.GetVerdict())
	}
	got, err := w.iss.GetCredentialRecord(w.client(), &pb.GetCredentialRecordRequest{Name: rec.GetName()})
	if err != nil || !proto.Equal(got, revoked) {
		t.Errorf("GetCredentialRecord: %v, %v; want %v", got, err, revoked)
	}
}

func TestSuspendAndReinstateOverGRPC(t *testing.T) {
	w := newWorld(t, envOptions{})
	issued := w.issue()
	name := issued.GetRecord().GetName()
	if _, err := w.iss.SuspendCredential(w.client(), &pb.SuspendCredentialRequest{Name: name, Reason: "under review"}); err != nil {
		t.Fatalf("suspend: %v", err)
	}
	v, err := w.ver.VerifyCredential(as(""), &pb.VerifyCredentialRequest{Jws: issued.GetJws()})
	if err != nil {
		t.Fatal(err)
	}
	requireCheck(t, v, "STATUS", pb.CheckOutcome_CHECK_OUTCOME_FAIL, "SUSPENDED")
	rec, err := w.iss.ReinstateCredential(w.client(), &pb.ReinstateCredentialRequest{Name: name, Reason: "review passed"})
	if err != nil || rec.GetStatus() != pb.CredentialStatus_CREDENTIAL_STATUS_ACTIVE {
		t.Fatalf("reinstate: %v, %v", rec, err)
	}
	if v, err = w.ver.VerifyCredential(as(""), &pb.VerifyCredentialRequest{Jws: issued.GetJws()}); err != nil || v.GetVerdict() != pb.Verdict_VERDICT_VALID {
		t.Fatalf("verify after reinstatement: %v, %v", v, err)
	}
	// Revocation is final.
	if _, err := w.iss.RevokeCredential(w.client(), &pb.RevokeCredentialRequest{Name: name, Reason: "fraud"}); err != nil {
		t.Fatal(err)
	}
	_, err = w.iss.ReinstateCredential(w.client(), &pb.ReinstateCredentialRequest{Name: name, Reason: "oops"})
	requireStatus(t, err, codes.FailedPrecondition, "INVALID_STATE_TRANSITION")
}

// TestIssuanceRefusals checks code, ErrorInfo reason and field of every
// kind of refusal, as a client sees them.
func TestIssuanceRefusals(t *testing.T) {
	w := newWorld(t, envOptions{})
	ctx := w.root()
	// "third" has a key and a client but no accreditation; "other" gets an
	// accreditation but no key.
	if _, err := w.reg.CreateIssuer(ctx, &pb.CreateIssuerRequest{IssuerId: "third", Issuer: issuerContent()}); err != nil {
		t.Fatal(err)
	}
	thirdClient := w.newPrincipal(t, "client-third", &pb.Principal{Kind: pb.PrincipalKind_PRINCIPAL_KIND_ISSUER_CLIENT, DisplayName: "Third", Issuer: "issuers/third"})
	if _, err := w.iss.RotateIssuerKey(ctx, &pb.RotateIssuerKeyRequest{Issuer: "issuers/third"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.reg.CreateAccreditation(ctx, &pb.CreateAccreditationRequest{Parent: otherIssuer, Accreditation: &pb.Accreditation{Profile: ownProfile, MinVersion: 1}}); err != nil {
		t.Fatal(err)
	}
	draft := w.draft(ownProfile)
	privateJWK := jwkJSON(t, true)

	with := func(f func(c *pb.CredentialContent)) *pb.CredentialContent {
		c := credentialContent(w.unique("h"))
		f(c)
		return c
	}
	now := w.clock.Now()
	tests := []struct {
		name       string
		secret     string
		parent     string
		content    *pb.CredentialContent
		wantCode   codes.Code
		wantReason string
		wantFields []string
	}{
		{"error/issuer not accredited", thirdClient, "issuers/third", credentialContent("a"), codes.FailedPrecondition, "NOT_ACCREDITED", nil},
		{"error/no signing key", w.secrets[otherClient], otherIssuer, credentialContent("b"), codes.FailedPrecondition, "NO_SIGNING_KEY", nil},
		{"error/draft profile version", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.ProfileVersion = draft }),
			codes.FailedPrecondition, "PROFILE_NOT_PUBLISHED", nil},
		{"error/unknown profile version", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.ProfileVersion = ownProfile + "/versions/99" }),
			codes.NotFound, "PROFILE_NOT_FOUND", nil},
		{"error/competency not in profile", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.Skills[0].CompetencyId = "voegen" }),
			codes.InvalidArgument, "COMPETENCY_NOT_IN_PROFILE", []string{"credential.skills[0].competency_id"}},
		{"error/level off scale", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.Skills[0].LevelId = "9" }),
			codes.InvalidArgument, "LEVEL_NOT_ON_SCALE", []string{"credential.skills[0].level_id"}},
		{"error/competency twice", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.Skills = append(c.Skills, c.Skills[0]) }),
			codes.InvalidArgument, "DUPLICATE_COMPETENCY", []string{"credential.skills[1].competency_id"}},
		{"error/no skills", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.Skills = nil }),
			codes.InvalidArgument, "NO_SKILLS", []string{"credential.skills"}},
		{"error/no assessment method", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.Skills[0].AssessmentMethod = 0 }),
			codes.InvalidArgument, reasonInvalidArgument, []string{"credential.skills[0].assessment_method"}},
		{"error/e-mail as holder id", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.HolderId = "jan@example.nl" }),
			codes.InvalidArgument, "HOLDER_ID_NOT_PSEUDONYMOUS", []string{"credential.holder_id"}},
		{"error/backdated", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.ValidFrom = timestamppb.New(now.AddDate(-1, 0, 0)) }),
			codes.InvalidArgument, "VALIDITY_NOT_GRANTABLE", []string{"credential.valid_from"}},
		{"error/ends before it starts", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) {
			c.ValidFrom, c.ValidUntil = timestamppb.New(now.Add(time.Hour)), timestamppb.New(now)
		}), codes.InvalidArgument, "VALIDITY_NOT_GRANTABLE", []string{"credential.valid_until"}},
		{"error/longer than the keys are kept", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.ValidUntil = timestamppb.New(now.AddDate(50, 0, 0)) }),
			codes.InvalidArgument, "VALIDITY_NOT_GRANTABLE", []string{"credential.valid_until"}},
		{"error/private holder key", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.HolderPublicJwk = privateJWK }),
			codes.InvalidArgument, reasonInvalidArgument, []string{"credential.holder_public_jwk"}},
		{"error/holder key not JSON", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.HolderPublicJwk = "{not json" }),
			codes.InvalidArgument, reasonInvalidArgument, []string{"credential.holder_public_jwk"}},
		{"error/malformed profile version name", w.secrets[ownClient], ownIssuer, with(func(c *pb.CredentialContent) { c.ProfileVersion = ownProfile }),
			codes.InvalidArgument, reasonInvalidArgument, []string{"credential.profile_version"}},
		{"error/no content", w.secrets[ownClient], ownIssuer, nil, codes.InvalidArgument, reasonInvalidArgument, []string{"credential"}},
		{"error/malformed parent", w.secrets[ownClient], "acme", credentialContent("c"), codes.InvalidArgument, reasonInvalidArgument, []string{"parent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.iss.IssueCredential(as(tt.secret), &pb.IssueCredentialRequest{Parent: tt.parent, Credential: tt.content})
			requireRefusal(t, err, tt.wantCode, tt.wantReason, tt.wantFields)
			for _, secret := range privateScalar(t, privateJWK) {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error repeats the private key: %v", err)
				}
			}
		})
	}
}

func TestIssueIdempotentAndHolderKey(t *testing.T) {
	w := newWorld(t, envOptions{})
	content := credentialContent("idem")
	content.HolderPublicJwk = jwkJSON(t, false)
	req := &pb.IssueCredentialRequest{Parent: ownIssuer, Credential: content, RequestId: "issue-1"}
	first, err := w.iss.IssueCredential(w.client(), req)
	if err != nil {
		t.Fatalf("issue: %v", err)
	}
	again, err := w.iss.IssueCredential(w.client(), req)
	if err != nil || again.GetJws() != first.GetJws() || !proto.Equal(again.GetRecord(), first.GetRecord()) {
		t.Errorf("a retry with the same request id gave another credential: %v", err)
	}
	other := proto.Clone(req).(*pb.IssueCredentialRequest)
	other.Credential.HolderId = "urn:example:holder:someone-else"
	_, err = w.iss.IssueCredential(w.client(), other)
	requireStatus(t, err, codes.FailedPrecondition, "REQUEST_ID_REUSED")

	v, err := w.ver.VerifyCredential(as(""), &pb.VerifyCredentialRequest{Jws: first.GetJws()})
	if err != nil || v.GetVerdict() != pb.Verdict_VERDICT_VALID || !v.GetCredential().GetHolderKeyBound() {
		t.Errorf("a credential with a holder key: %v, %v", v, err)
	}
}

func TestBatchIssueOverGRPC(t *testing.T) {
	w := newWorld(t, envOptions{})
	offScale := credentialContent("b2")
	offScale.Skills[0].LevelId = "9"
	badName := credentialContent("b3")
	badName.ProfileVersion = "sectors/bouw"
	resp, err := w.iss.BatchIssueCredentials(w.client(), &pb.BatchIssueCredentialsRequest{Parent: ownIssuer, Requests: []*pb.IssueCredentialRequest{
		{Credential: credentialContent("b1")},
		{Credential: offScale},
		{Parent: ownIssuer, Credential: badName},
		{Credential: credentialContent("b4")},
	}})
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	want := []*pb.BatchError{
		nil,
		{Code: int32(codes.InvalidArgument), Reason: "LEVEL_NOT_ON_SCALE", Fields: []string{"credential.skills[0].level_id"}},
		{Code: int32(codes.InvalidArgument), Reason: reasonInvalidArgument, Fields: []string{"credential.profile_version"}},
		nil,
	}
	if len(resp.GetResults()) != len(want) {
		t.Fatalf("got %d results, want %d", len(resp.GetResults()), len(want))
	}
	for i, r := range resp.GetResults() {
		if want[i] == nil {
			if r.GetError() != nil || r.GetCredential().GetJws() == "" {
				t.Errorf("item %d: got %v, want a credential", i, r)
				continue
			}
			v, err := w.ver.VerifyCredential(as(""), &pb.VerifyCredentialRequest{Jws: r.GetCredential().GetJws()})
			if err != nil || v.GetVerdict() != pb.Verdict_VERDICT_VALID {
				t.Errorf("item %d does not verify: %v %v", i, v.GetChecks(), err)
			}
			continue
		}
		got := r.GetError()
		if r.GetCredential() != nil || got.GetCode() != want[i].GetCode() || got.GetReason() != want[i].GetReason() ||
			!slices.Equal(got.GetFields(), want[i].GetFields()) || got.GetMessage() == "" {
			t.Errorf("item %d: got %v, want %v", i, r, want[i])
		}
	}

	tooMany := make([]*pb.IssueCredentialRequest, issuer.MaxBatch+1)
	for i := range tooMany {
		tooMany[i] = &pb.IssueCredentialRequest{Credential: credentialContent("x")}
	}
	tests := []struct {
		name       string
		req        *pb.BatchIssueCredentialsRequest
		wantFields []string
	}{
		{"error/too many items", &pb.BatchIssueCredentialsRequest{Parent: ownIssuer, Requests: tooMany}, []string{"requests"}},
		{"error/no items", &pb.BatchIssueCredentialsRequest{Parent: ownIssuer}, []string{"requests"}},
		{"error/item of another issuer", &pb.BatchIssueCredentialsRequest{Parent: ownIssuer, Requests: []*pb.IssueCredentialRequest{
			{Parent: otherIssuer, Credential: credentialContent("y")},
		}}, []string{"requests[0].parent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.iss.BatchIssueCredentials(w.client(), tt.req)
			requireRefusal(t, err, codes.InvalidArgument, reasonInvalidArgument, tt.wantFields)
		})
	}
}

func TestIssuerKeysOverGRPC(t *testing.T) {
	w := newWorld(t, envOptions{})
	set, err := w.iss.ListIssuerKeys(w.root(), &pb.ListIssuerKeysRequest{Issuer: ownIssuer})
	if err != nil || len(set.GetKeys()) != 1 {
		t.Fatalf("keys: %v %v", set, err)
	}
	first := set.GetKeys()[0]
	if set.GetIssuer() != ownIssuer || first.GetState() != pb.KeyState_KEY_STATE_ACTIVE || first.GetAlgorithm() != pb.KeyAlgorithm_KEY_ALGORITHM_ES256 {
		t.Errorf("first key: %v", first)
	}
	requirePublicJWK(t, first.GetPublicJwk(), first.GetKid())

	set, err = w.iss.RotateIssuerKey(w.client(), &pb.RotateIssuerKeyRequest{Issuer: ownIssuer, Algorithm: pb.KeyAlgorithm_KEY_ALGORITHM_EDDSA})
	if err != nil || len(set.GetKeys()) != 2 {
		t.Fatalf("rotate: %v %v", set, err)
	}
	pending := set.GetKeys()[1]
	if pending.GetState() != pb.KeyState_KEY_STATE_PENDING || pending.GetAlgorithm() != pb.KeyAlgorithm_KEY_ALGORITHM_EDDSA ||
		pending.GetActivateTime().AsTime().Sub(pending.GetPublishTime().AsTime()) != 24*time.Hour {
		t.Errorf("staged key: %v", pending)
	}
	requirePublicJWK(t, pending.GetPublicJwk(), pending.GetKid())

	tests := []struct {
		name       string
		call       func() error
		wantCode   codes.Code
		wantReason string
		wantFields []string
	}{
		{"error/rotation already pending", func() error {
			_, err := w.iss.RotateIssuerKey(w.client(), &pb.RotateIssuerKeyRequest{Issuer: ownIssuer})
			return err
		}, codes.FailedPrecondition, "KEY_ROTATION_PENDING", nil},
		{"error/unknown algorithm", func() error {
			_, err := w.iss.RotateIssuerKey(w.client(), &pb.RotateIssuerKeyRequest{Issuer: ownIssuer, Algorithm: 7})
			return err
		}, codes.InvalidArgument, reasonInvalidArgument, []string{"algorithm"}},
		{"error/negative publish delay", func() error {
			_, err := w.iss.RotateIssuerKey(w.client(), &pb.RotateIssuerKeyRequest{Issuer: ownIssuer, PublishDelay: durationpb.New(-time.Hour)})
			return err
		}, codes.InvalidArgument, reasonInvalidArgument, []string{"publish_delay"}},
		{"error/unknown kid", func() error {
			_, err := w.iss.CompromiseIssuerKey(w.client(), &pb.CompromiseIssuerKeyRequest{Issuer: ownIssuer, Kid: "nope", Reason: "stolen"})
			return err
		}, codes.NotFound, "KEY_UNKNOWN", nil},
		{"error/unknown issuer", func() error {
			_, err := w.iss.ListIssuerKeys(w.root(), &pb.ListIssuerKeysRequest{Issuer: "issuers/nobody"})
			return err
		}, codes.NotFound, "ISSUER_NOT_FOUND", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			requireRefusal(t, err, tt.wantCode, tt.wantReason, tt.wantFields)
		})
	}

	set, err = w.iss.CompromiseIssuerKey(w.client(), &pb.CompromiseIssuerKeyRequest{Issuer: ownIssuer, Kid: pending.GetKid(), Reason: "laptop stolen"})
	if err != nil {
		t.Fatalf("compromise: %v", err)
	}
	if k := set.GetKeys()[1]; k.GetState() != pb.KeyState_KEY_STATE_COMPROMISED || k.GetCompromiseReason() != "laptop stolen" || k.GetCompromiseTime() == nil {
		t.Errorf("compromised key: %v", k)
	}
}

// requirePublicJWK fails unless s is a public JWK (no private part) whose
// kid is kid.
func requirePublicJWK(t *testing.T, s, kid string) {
	t.Helper()
	var fields map[string]any
	if err := json.Unmarshal([]byte(s), &fields); err != nil {
		t.Fatalf("public_jwk is not JSON: %v", err)
	}
	if _, ok := fields["d"]; ok {
		t.Fatalf("public_jwk carries the private key")
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON([]byte(s)); err != nil || !k.IsPublic() || k.KeyID != kid {
		t.Fatalf("public_jwk %s: %v; want a public key with kid %s", s, err, kid)
	}
}

// jwkJSON returns a fresh P-256 JWK, with its private part if private.
func jwkJSON(t *testing.T, private bool) string {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k := jose.JSONWebKey{Key: priv.Public()}
	if private {
		k.Key = priv
	}
	b, err := k.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// privateScalar returns the "d" member of a private JWK, as sent
// (base64url) and as a decimal number, the two ways it could leak.
func privateScalar(t *testing.T, jwk string) []string {
	t.Helper()
	var m struct{ D string }
	if err := json.Unmarshal([]byte(jwk), &m); err != nil || m.D == "" {
		t.Fatalf("not a private JWK: %v", err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(m.D)
	if err != nil {
		t.Fatal(err)
	}
	return []string{m.D, new(big.Int).SetBytes(raw).String()}
}
