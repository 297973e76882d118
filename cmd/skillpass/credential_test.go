package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// fakeIssuance stands in for the issuance and verification services over
// real loopback gRPC. It records what the CLI sent and answers by simple
// rules: level "9" is off the scale; a token starting "revoked." is
// INVALID with STATUS REVOKED.
type fakeIssuance struct {
	pb.UnimplementedIssuanceServiceServer
	pb.UnimplementedVerificationServiceServer

	mu      sync.Mutex
	issued  []*pb.IssueCredentialRequest
	rotated *pb.RotateIssuerKeyRequest
	revoked *pb.RevokeCredentialRequest
	sl      *pb.GetStatusListRequest
}

func offScale() error {
	st, _ := status.New(codes.FailedPrecondition, "level 9 is not on the scale of competency warmtepomp-installeren").WithDetails(
		&errdetails.ErrorInfo{Reason: "LEVEL_NOT_ON_SCALE", Domain: "skillpass.nl", Metadata: map[string]string{"competency": "warmtepomp-installeren"}})
	return st.Err()
}

func (f *fakeIssuance) issue(r *pb.IssueCredentialRequest) (*pb.IssuedCredential, error) {
	for _, s := range r.GetCredential().GetSkills() {
		if s.GetLevelId() == "9" {
			return nil, offScale()
		}
	}
	return &pb.IssuedCredential{
		Jws:    "eyJhbGciOiJFUzI1NiJ9.e30.sig-" + r.GetRequestId(),
		Record: &pb.CredentialRecord{Name: r.GetParent() + "/credentials/c1", StatusList: 0, StatusIndex: 4711},
	}, nil
}

func (f *fakeIssuance) IssueCredential(_ context.Context, r *pb.IssueCredentialRequest) (*pb.IssuedCredential, error) {
	f.mu.Lock()
	f.issued = append(f.issued, r)
	f.mu.Unlock()
	return f.issue(r)
}

func (f *fakeIssuance) BatchIssueCredentials(_ context.Context, r *pb.BatchIssueCredentialsRequest) (*pb.BatchIssueCredentialsResponse, error) {
	resp := &pb.BatchIssueCredentialsResponse{}
	for _, item := range r.GetRequests() {
		ic, err := f.issue(item)
		if err != nil {
			resp.Results = append(resp.Results, &pb.BatchIssueResult{Error: &pb.BatchError{Code: int32(codes.FailedPrecondition), Reason: "LEVEL_NOT_ON_SCALE", Message: status.Convert(err).Message()}})
			continue
		}
		resp.Results = append(resp.Results, &pb.BatchIssueResult{Credential: ic})
	}
	return resp, nil
}

func (f *fakeIssuance) RevokeCredential(_ context.Context, r *pb.RevokeCredentialRequest) (*pb.CredentialRecord, error) {
	f.mu.Lock()
	f.revoked = r
	f.mu.Unlock()
	return &pb.CredentialRecord{Name: r.GetName(), Status: pb.CredentialStatus_CREDENTIAL_STATUS_REVOKED}, nil
}

func (f *fakeIssuance) RotateIssuerKey(_ context.Context, r *pb.RotateIssuerKeyRequest) (*pb.IssuerKeySet, error) {
	f.mu.Lock()
	f.rotated = r
	f.mu.Unlock()
	return &pb.IssuerKeySet{Issuer: r.GetIssuer(), Keys: []*pb.IssuerKey{{Kid: "kid-1", Algorithm: r.GetAlgorithm(), State: pb.KeyState_KEY_STATE_ACTIVE}}}, nil
}

func (f *fakeIssuance) GetIssuerJwks(_ context.Context, r *pb.GetIssuerJwksRequest) (*pb.GetIssuerJwksResponse, error) {
	return &pb.GetIssuerJwksResponse{Jwks: `{"keys":[{"kty":"EC","kid":"kid-1"}]}`}, nil
}

func (f *fakeIssuance) GetStatusList(_ context.Context, r *pb.GetStatusListRequest) (*pb.GetStatusListResponse, error) {
	f.mu.Lock()
	f.sl = r
	f.mu.Unlock()
	// header {"alg":"ES256"}, payload {"type":["VerifiableCredential"]}
	return &pb.GetStatusListResponse{Jws: "eyJhbGciOiJFUzI1NiJ9.eyJ0eXBlIjpbIlZlcmlmaWFibGVDcmVkZW50aWFsIl19.c2ln"}, nil
}

func check(name string, o pb.CheckOutcome, reason, en, nl string) *pb.Check {
	return &pb.Check{Check: name, Outcome: o, Reason: reason, Message: &pb.LocalizedText{En: en, Nl: nl}}
}

func (f *fakeIssuance) verdict(jws string) *pb.VerifyCredentialResponse {
	v := &pb.VerifyCredentialResponse{
		Verdict: pb.Verdict_VERDICT_VALID,
		Checks:  []*pb.Check{check("SIGNATURE", pb.CheckOutcome_CHECK_OUTCOME_PASS, "OK", "The signature is valid.", "De handtekening is geldig.")},
		Credential: &pb.CredentialSummary{
			CredentialId: "urn:uuid:c1", Issuer: "issuers/warmte-academie", IssuerName: "Warmte Academie B.V.",
			ProfileName: &pb.LocalizedText{En: "Heat pump fitter", Nl: "Warmtepompmonteur"},
			HolderId:    "did:example:h1",
			Competencies: []*pb.VerifiedCompetency{{
				CompetencyId: "warmtepomp-installeren", DisplayName: &pb.LocalizedText{Nl: "Warmtepomp installeren"},
				LevelId: "2", LevelName: &pb.LocalizedText{En: "Independent", Nl: "Zelfstandig"}, LevelRank: 2, LevelCount: 3, AssessmentMethod: "EXAM",
				Alignments: []*pb.Alignment{{Framework: pb.Framework_FRAMEWORK_ESCO, FrameworkVersion: "1.2.0", TargetUrl: "http://data.europa.eu/esco/skill/x"}},
			}},
		},
		TokenHash: "ab12",
	}
	if strings.HasPrefix(jws, "revoked.") {
		v.Verdict = pb.Verdict_VERDICT_INVALID
		v.Checks = append(v.Checks, check("STATUS", pb.CheckOutcome_CHECK_OUTCOME_FAIL, "REVOKED", "The issuer has revoked this credential.", "De uitgever heeft dit bewijs ingetrokken."))
	}
	return v
}

func (f *fakeIssuance) VerifyCredential(_ context.Context, r *pb.VerifyCredentialRequest) (*pb.VerifyCredentialResponse, error) {
	return f.verdict(r.GetJws()), nil
}

func (f *fakeIssuance) VerifyPassport(_ context.Context, r *pb.VerifyPassportRequest) (*pb.VerifyPassportResponse, error) {
	resp := &pb.VerifyPassportResponse{HolderConsistent: true}
	for _, jws := range r.GetJws() {
		v := f.verdict(jws)
		resp.Results = append(resp.Results, v)
		if v.Verdict == pb.Verdict_VERDICT_VALID {
			resp.ValidCount++
		} else {
			resp.InvalidCount++
		}
	}
	if resp.ValidCount > 0 {
		resp.Summary = []*pb.PassportCompetency{{ProfileVersion: "sectors/s/profiles/p/versions/1", Competency: resp.Results[0].Credential.Competencies[0], CredentialIds: []string{"urn:uuid:c1"}}}
	}
	return resp, nil
}

func startFakeIssuance(t *testing.T, f *fakeIssuance) map[string]string {
	t.Helper()
	addr := startServer(t, func(s *grpc.Server) {
		pb.RegisterIssuanceServiceServer(s, f)
		pb.RegisterVerificationServiceServer(s, f)
	})
	return map[string]string{"SKILLPASS_ADDR": addr}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCredentialCommands(t *testing.T) {
	f := &fakeIssuance{}
	env := startFakeIssuance(t, f)
	pv := "sectors/installatietechniek/profiles/warmtepompmonteur/versions/1"
	issue := []string{"credential", "issue", "--issuer", "warmte-academie", "--profile-version", pv, "--holder-id", "did:example:h1"}
	with := func(extra ...string) []string { return append(append([]string{}, issue...), extra...) }
	valid := writeTemp(t, "valid.jwt", "valid.e30.sig\n")
	revoked := writeTemp(t, "revoked.jwt", "revoked.e30.sig")
	batch := writeTemp(t, "batch.json", `{"requests": [
		{"requestId": "b1", "credential": {"profileVersion": "`+pv+`", "holderId": "did:example:a", "skills": [{"competencyId": "warmtepomp-installeren", "levelId": "2", "assessmentMethod": "ASSESSMENT_METHOD_EXAM"}]}},
		{"requestId": "b2", "credential": {"profileVersion": "`+pv+`", "holderId": "did:example:b", "skills": [{"competencyId": "warmtepomp-installeren", "levelId": "9", "assessmentMethod": "ASSESSMENT_METHOD_EXAM"}]}}]}`)

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{
			name:       "ok/issue prints the JWS alone, the record name on stderr",
			args:       with("--skill", "warmtepomp-installeren=2:exam", "--request-id", "r1"),
			wantStdout: []string{"eyJhbGciOiJFUzI1NiJ9.e30.sig-r1\n"},
			wantStderr: []string{"issued issuers/warmte-academie/credentials/c1 (status list 0, index 4711)"},
		},
		{
			name:       "ok/issue --json has the record",
			args:       with("--json", "--skill", "warmtepomp-installeren=2:exam"),
			wantStdout: []string{`"jws": "eyJ`, `"statusIndex": 4711`},
		},
		{
			name:       "error/issue refused shows the reason",
			args:       with("--skill", "warmtepomp-installeren=9:exam"),
			wantCode:   exitError,
			wantStderr: []string{"error: FailedPrecondition: level 9 is not on the scale", "reason: LEVEL_NOT_ON_SCALE (skillpass.nl)", "competency: warmtepomp-installeren"},
		},
		{
			name:       "error/issue without skills",
			args:       issue,
			wantCode:   exitUsage,
			wantStderr: []string{"--skill is required"},
		},
		{
			name:       "error/batch with a refused item exits 1 after the table",
			args:       []string{"credential", "issue-batch", "--issuer", "warmte-academie", "--file", batch},
			wantCode:   exitError,
			wantStdout: []string{"0     ISSUED", "issuers/warmte-academie/credentials/c1", "1     REFUSED", "LEVEL_NOT_ON_SCALE"},
			wantStderr: []string{"1 of 2 items refused"},
		},
		{
			name:       "ok/revoke",
			args:       []string{"credential", "revoke", "issuers/warmte-academie/credentials/c1", "--reason", "fraude"},
			wantStdout: []string{"status:", "CREDENTIAL_STATUS_REVOKED"},
		},
		{
			name:       "ok/verify VALID exits 0 with itemised checks and content",
			args:       []string{"verify", valid},
			wantStdout: []string{"Verdict: VALID", "PASS  SIGNATURE  OK  The signature is valid.", "Issuer:   Warmte Academie B.V.", "Warmtepomp installeren (warmtepomp-installeren): level 2 \"Independent\", 2 of 3, assessed by EXAM", "ESCO 1.2.0 http://data.europa.eu/esco/skill/x"},
		},
		{
			name:       "ok/verify INVALID exits 3 and names the failing check",
			args:       []string{"verify", revoked},
			wantCode:   exitInvalid,
			wantStdout: []string{"Verdict: INVALID", "FAIL  STATUS     REVOKED  The issuer has revoked this credential."},
		},
		{
			name:       "ok/verify in Dutch",
			args:       []string{"verify", revoked, "--lang", "nl"},
			wantCode:   exitInvalid,
			wantStdout: []string{"De uitgever heeft dit bewijs ingetrokken.", "Profile:  Warmtepompmonteur", "\"Zelfstandig\""},
		},
		{
			name:       "ok/verify --json still exits 3 on INVALID",
			args:       []string{"--json", "verify", revoked},
			wantCode:   exitInvalid,
			wantStdout: []string{`"verdict": "VERDICT_INVALID"`},
		},
		{
			name:       "error/verify two tokens in one file",
			args:       []string{"verify", writeTemp(t, "two.jwt", "a.b.c\nd.e.f\n")},
			wantCode:   exitUsage,
			wantStderr: []string{"want one credential, found 2"},
		},
		{
			name:       "error/verify bad language",
			args:       []string{"verify", valid, "--lang", "de"},
			wantCode:   exitUsage,
			wantStderr: []string{"--lang: want en or nl"},
		},
		{
			name:       "ok/passport with one INVALID exits 3",
			args:       []string{"passport", "verify", valid, revoked},
			wantCode:   exitInvalid,
			wantStdout: []string{"Passport: 1 VALID, 1 INVALID", "VALID  " + valid, "INVALID  " + revoked, "FAIL STATUS REVOKED", "proven by urn:uuid:c1"},
		},
		{
			name:       "ok/passport all VALID exits 0",
			args:       []string{"passport", "verify", valid, valid},
			wantStdout: []string{"Passport: 2 VALID, 0 INVALID"},
		},
		{
			name:       "ok/key rotate with explicit zero delay",
			args:       []string{"key", "rotate", "warmte-academie", "--algorithm", "eddsa", "--publish-delay", "0s"},
			wantStdout: []string{"kid-1", "EDDSA", "ACTIVE"},
		},
		{
			name:       "error/key rotate unknown algorithm",
			args:       []string{"key", "rotate", "warmte-academie", "--algorithm", "rs256"},
			wantCode:   exitUsage,
			wantStderr: []string{"--algorithm: want one of es256, eddsa"},
		},
		{
			name:       "ok/jwks prints the document",
			args:       []string{"jwks", "warmte-academie"},
			wantStdout: []string{"{\n  \"keys\": [\n"},
		},
		{
			name:       "ok/statuslist decoded",
			args:       []string{"statuslist", "get", "warmte-academie", "suspension", "2", "--decode"},
			wantStdout: []string{`"alg": "ES256"`, `"VerifiableCredential"`},
		},
		{
			name:       "error/statuslist bad purpose",
			args:       []string{"statuslist", "get", "warmte-academie", "revoke"},
			wantCode:   exitUsage,
			wantStderr: []string{"PURPOSE: want revocation or suspension"},
		},
		{
			name:       "error/statuslist bad list number",
			args:       []string{"statuslist", "get", "warmte-academie", "revocation", "first"},
			wantCode:   exitUsage,
			wantStderr: []string{"LIST: want a list number"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			for _, w := range tt.wantStdout {
				// protojson varies its spacing on purpose; compare JSON
				// without spaces.
				if !strings.Contains(stdout, w) && !strings.Contains(unspaced(stdout), unspaced(w)) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestIssueRequestContent checks what the CLI sends for the flags: skills,
// evidence attached per competency or to all, the holder key, the request id.
func TestIssueRequestContent(t *testing.T) {
	f := &fakeIssuance{}
	env := startFakeIssuance(t, f)
	jwk := writeTemp(t, "holder.jwk", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`)
	code, _, stderr := runCLI(t, env, "credential", "issue", "--issuer", "issuers/wa", "--profile-version", "sectors/s/profiles/p/versions/1",
		"--holder-id", "urn:uuid:h", "--skill", "a=1:exam", "--skill", "b=2:EVC_PORTFOLIO",
		"--evidence", "https://x.example/all", "--evidence", "b=https://x.example/b?q=1,name=Portfolio,digest=sha256:00ff",
		"--holder-jwk-file", jwk, "--valid-until", "2030-01-01", "--request-id", "fixed")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	all := &pb.EvidenceReference{Url: "https://x.example/all"}
	want := &pb.IssueCredentialRequest{
		Parent:    "issuers/wa",
		RequestId: "fixed",
		Credential: &pb.CredentialContent{
			ProfileVersion:  "sectors/s/profiles/p/versions/1",
			HolderId:        "urn:uuid:h",
			HolderPublicJwk: `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`,
			Skills: []*pb.AwardedSkill{
				{CompetencyId: "a", LevelId: "1", AssessmentMethod: pb.AssessmentMethod_ASSESSMENT_METHOD_EXAM, Evidence: []*pb.EvidenceReference{all}},
				{CompetencyId: "b", LevelId: "2", AssessmentMethod: pb.AssessmentMethod_ASSESSMENT_METHOD_EVC_PORTFOLIO, Evidence: []*pb.EvidenceReference{
					all, {Url: "https://x.example/b?q=1", DisplayName: "Portfolio", Digest: "sha256:00ff"}}},
			},
		},
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	got := f.issued[len(f.issued)-1]
	if got.GetCredential().GetValidUntil().AsTime().Format("2006-01-02") != "2030-01-01" || got.GetCredential().GetValidFrom() != nil {
		t.Errorf("validity sent: from %v until %v", got.GetCredential().GetValidFrom(), got.GetCredential().GetValidUntil())
	}
	got.Credential.ValidUntil = nil
	if !proto.Equal(got, want) {
		t.Errorf("sent\n%v\nwant\n%v", got, want)
	}
}

func TestRotatePublishDelay(t *testing.T) {
	tests := []struct {
		name  string
		flags []string
		want  *durationpb.Duration
	}{
		{name: "ok/unset leaves the server's policy", want: nil},
		{name: "ok/explicit zero activates at once", flags: []string{"--publish-delay", "0s"}, want: durationpb.New(0)},
		{name: "ok/a day", flags: []string{"--publish-delay", "24h"}, want: durationpb.New(24 * 60 * 60 * 1e9)},
	}
	f := &fakeIssuance{}
	env := startFakeIssuance(t, f)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, stderr := runCLI(t, env, append([]string{"key", "rotate", "wa"}, tt.flags...)...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if !proto.Equal(f.rotated.GetPublishDelay(), tt.want) || f.rotated.GetIssuer() != "issuers/wa" ||
				f.rotated.GetAlgorithm() != pb.KeyAlgorithm_KEY_ALGORITHM_ES256 {
				t.Errorf("sent %v, want delay %v", f.rotated, tt.want)
			}
		})
	}
}

func TestParseSkillAndEvidence(t *testing.T) {
	skills := []struct {
		name    string
		in      string
		want    *pb.AwardedSkill
		wantErr string
	}{
		{name: "ok", in: "warmtepomp-installeren=2:workplace-assessment", want: &pb.AwardedSkill{CompetencyId: "warmtepomp-installeren", LevelId: "2", AssessmentMethod: pb.AssessmentMethod_ASSESSMENT_METHOD_WORKPLACE_ASSESSMENT}},
		{name: "error/no method", in: "a=2", wantErr: "want competency=level:method"},
		{name: "error/no level", in: "a=:exam", wantErr: "want competency=level:method"},
		{name: "error/unknown method", in: "a=2:guess", wantErr: "--skill: want one of exam, practical-assessment"},
	}
	for _, tt := range skills {
		t.Run("skill/"+tt.name, func(t *testing.T) {
			got, err := parseSkill(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !proto.Equal(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	evidence := []struct {
		name    string
		in      string
		want    evidenceArg
		wantErr string
	}{
		{name: "ok/url for all", in: "https://e.example/r?a=b", want: evidenceArg{ref: &pb.EvidenceReference{Url: "https://e.example/r?a=b"}}},
		{name: "ok/competency and attributes", in: "c1=https://e.example/r,name=Rapport,digest=sha256:ab", want: evidenceArg{competency: "c1", ref: &pb.EvidenceReference{Url: "https://e.example/r", DisplayName: "Rapport", Digest: "sha256:ab"}}},
		{name: "error/unknown attribute", in: "https://e.example/r,size=3", wantErr: `unknown attribute "size"`},
		{name: "error/empty url", in: "c1=", wantErr: "want [competency=]url"},
	}
	for _, tt := range evidence {
		t.Run("evidence/"+tt.name, func(t *testing.T) {
			got, err := parseEvidence(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.competency != tt.want.competency || !proto.Equal(got.ref, tt.want.ref) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	t.Run("attach/error/competency not awarded", func(t *testing.T) {
		err := attachEvidence([]*pb.AwardedSkill{{CompetencyId: "a"}}, []evidenceArg{{competency: "b", ref: &pb.EvidenceReference{Url: "https://x"}}})
		if err == nil || !strings.Contains(err.Error(), `competency "b" is not among the --skill flags`) {
			t.Fatalf("err %v", err)
		}
	})
}

func TestHolderJWKRefusesPrivateKey(t *testing.T) {
	tests := []struct {
		name, content, wantErr string
	}{
		{name: "error/private key", content: `{"kty":"OKP","crv":"Ed25519","x":"a","d":"secret"}`, wantErr: "holds a private key"},
		{name: "error/not json", content: `kty=OKP`, wantErr: "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := holderJWK(writeTemp(t, "k.jwk", tt.content), &env{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestReadBatchFileParents(t *testing.T) {
	tests := []struct {
		name, content, wantErr string
	}{
		{name: "ok/no parents", content: `{"requests":[{"requestId":"x"}]}`},
		{name: "error/unknown field", content: `{"requests":[{"requestID":"x"}]}`, wantErr: "batch file"},
		{name: "error/empty", content: `{}`, wantErr: "no requests"},
		{name: "error/other issuer in item", content: `{"requests":[{"parent":"issuers/other"}]}`, wantErr: `requests[0].parent "issuers/other"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := readBatchFile(writeTemp(t, "b.json", tt.content), nil, "issuers/wa")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var parents []string
			for _, r := range req.Requests {
				parents = append(parents, r.Parent)
			}
			if req.Parent != "issuers/wa" || !reflect.DeepEqual(parents, []string{"issuers/wa"}) {
				t.Errorf("parents %q / %q", req.Parent, parents)
			}
		})
	}
}

func unspaced(s string) string { return strings.ReplaceAll(s, " ", "") }
