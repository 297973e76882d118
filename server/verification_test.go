package server

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"google.golang.org/grpc/codes"

	"github.com/skillpass-nl/skillpass/credential"
	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/verifier"
)

// TestVerifyAtTheTransportEdge covers what the transport decides before
// the verifier sees a token, and that every other hostile token gets a
// verdict, not an error.
func TestVerifyAtTheTransportEdge(t *testing.T) {
	w := newWorld(t, envOptions{})
	good := w.sampleJWS()
	b64 := base64.RawURLEncoding.EncodeToString
	parts := strings.Split(good, ".")
	algNone := b64([]byte(`{"alg":"none","typ":"vc+jwt","cty":"vc"}`)) + "." + parts[1] + "."
	tampered := parts[0] + "." + b64([]byte(`{"id":"urn:uuid:00000000-0000-4000-8000-000000000000"}`)) + "." + parts[2]

	tests := []struct {
		name        string
		jws         string
		wantCode    codes.Code
		wantFields  []string
		wantVerdict pb.Verdict
		wantFailed  string // a check that must fail
	}{
		{"ok/valid", good, codes.OK, nil, pb.Verdict_VERDICT_VALID, ""},
		{"error/oversized", strings.Repeat("a", credential.MaxTokenBytes+1), codes.InvalidArgument, []string{"jws"}, 0, ""},
		{"error/empty", "", codes.InvalidArgument, []string{"jws"}, 0, ""},
		{"invalid/not a JWS", "not.a.jws", codes.OK, nil, pb.Verdict_VERDICT_INVALID, "FORMAT"},
		{"invalid/alg none", algNone, codes.OK, nil, pb.Verdict_VERDICT_INVALID, ""},
		{"invalid/payload swapped", tampered, codes.OK, nil, pb.Verdict_VERDICT_INVALID, ""},
		{"invalid/trailing data", good + ".x", codes.OK, nil, pb.Verdict_VERDICT_INVALID, "FORMAT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := w.ver.VerifyCredential(as(""), &pb.VerifyCredentialRequest{Jws: tt.jws})
			if tt.wantCode != codes.OK {
				requireRefusal(t, err, tt.wantCode, reasonInvalidArgument, tt.wantFields)
				return
			}
			if err != nil {
				t.Fatalf("a token problem must be a verdict, not an error: %v", err)
			}
			if v.GetVerdict() != tt.wantVerdict || v.GetTokenHash() != tokenHash(tt.jws) {
				t.Fatalf("verdict %v (hash %s), checks %v", v.GetVerdict(), v.GetTokenHash(), v.GetChecks())
			}
			if tt.wantVerdict == pb.Verdict_VERDICT_INVALID && !slices.ContainsFunc(v.GetChecks(), func(c *pb.Check) bool {
				return c.GetOutcome() == pb.CheckOutcome_CHECK_OUTCOME_FAIL && (tt.wantFailed == "" || c.GetCheck() == tt.wantFailed)
			}) {
				t.Errorf("no failed check %q in %v", tt.wantFailed, v.GetChecks())
			}
		})
	}

	// A token, if sent, must still be valid: a broken one is not quietly
	// treated as anonymous.
	_, err := w.ver.VerifyCredential(as("not-a-token"), &pb.VerifyCredentialRequest{Jws: good})
	requireStatus(t, err, codes.Unauthenticated, "")
}

func TestVerifyPassportOverGRPC(t *testing.T) {
	w := newWorld(t, envOptions{})
	holder := "urn:example:holder:passport"
	issue := func(level string) *pb.IssuedCredential {
		c := credentialContent("p")
		c.HolderId, c.Skills[0].LevelId = holder, level
		out, err := w.iss.IssueCredential(w.client(), &pb.IssueCredentialRequest{Parent: ownIssuer, Credential: c})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	basic, advanced, revoked := issue("1"), issue("2"), issue("2")
	if _, err := w.iss.RevokeCredential(w.client(), &pb.RevokeCredentialRequest{Name: revoked.GetRecord().GetName(), Reason: "fraud"}); err != nil {
		t.Fatal(err)
	}
	// basic twice: a repeat is answered but not counted again.
	resp, err := w.ver.VerifyPassport(as(""), &pb.VerifyPassportRequest{Jws: []string{basic.GetJws(), advanced.GetJws(), revoked.GetJws(), "garbage", basic.GetJws()}})
	if err != nil {
		t.Fatalf("verify passport: %v", err)
	}
	if resp.GetValidCount() != 2 || resp.GetInvalidCount() != 2 || !resp.GetHolderConsistent() || len(resp.GetResults()) != 5 {
		t.Errorf("counts %d/%d, holder consistent %v, %d results", resp.GetValidCount(), resp.GetInvalidCount(), resp.GetHolderConsistent(), len(resp.GetResults()))
	}
	if resp.GetHolderId() != holder || !slices.Equal(resp.GetDuplicateOf(), []int32{-1, -1, -1, -1, 0}) {
		t.Errorf("holder %q, duplicate_of %v; want %q, [-1 -1 -1 -1 0]", resp.GetHolderId(), resp.GetDuplicateOf(), holder)
	}
	passportChecks := &pb.VerifyCredentialResponse{Checks: resp.GetChecks()}
	requireCheck(t, passportChecks, "PASSPORT_HOLDER", pb.CheckOutcome_CHECK_OUTCOME_PASS, "OK")
	requireCheck(t, passportChecks, "PASSPORT_DUPLICATES", pb.CheckOutcome_CHECK_OUTCOME_INFO, "DUPLICATE_CREDENTIALS")
	requireCheck(t, resp.GetResults()[2], "STATUS", pb.CheckOutcome_CHECK_OUTCOME_FAIL, "REVOKED")
	if r := resp.GetResults()[4]; r.GetVerdict() != pb.Verdict_VERDICT_VALID || r.GetTokenHash() != resp.GetResults()[0].GetTokenHash() || len(r.GetChecks()) != 0 || r.GetCredential() != nil {
		t.Errorf("the repeat: %v; want VALID with the first's token hash and nothing else", r)
	}
	if !resp.GetResults()[0].GetCredential().GetVerified() {
		t.Errorf("a VALID credential's content is not marked verified")
	}
	if len(resp.GetSummary()) != 1 {
		t.Fatalf("summary: %v", resp.GetSummary())
	}
	s := resp.GetSummary()[0]
	ids := []string{basic.GetRecord().GetCredentialId(), advanced.GetRecord().GetCredentialId()}
	if s.GetProfileVersion() != publishedVersion || s.GetCompetency().GetCompetencyId() != "metselen" || s.GetCompetency().GetLevelId() != "2" ||
		!sameElements(s.GetCredentialIds(), ids) {
		t.Errorf("summary item: %v; want metselen at level 2 proven by %v", s, ids)
	}

	tooMany := make([]string, verifier.MaxPassportCredentials+1)
	for i := range tooMany {
		tooMany[i] = basic.GetJws()
	}
	tests := []struct {
		name       string
		jws        []string
		wantFields []string
	}{
		{"error/too many credentials", tooMany, []string{"jws"}},
		{"error/none", nil, []string{"jws"}},
		{"error/one oversized", []string{basic.GetJws(), strings.Repeat("a", credential.MaxTokenBytes+1)}, []string{"jws[1]"}},
		{"error/too many bytes in all", tooManyBytes(verifier.MaxPassportBytes), []string{"jws"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.ver.VerifyPassport(as(""), &pb.VerifyPassportRequest{Jws: tt.jws})
			requireRefusal(t, err, codes.InvalidArgument, reasonInvalidArgument, tt.wantFields)
		})
	}
}

// TestPublishedArtefacts fetches the JWKS and a status list anonymously
// and checks a credential with nothing but the JWKS and go-jose, as an
// outside verifier would.
func TestPublishedArtefacts(t *testing.T) {
	w := newWorld(t, envOptions{})
	issued := w.issue()
	resp, err := w.ver.GetIssuerJwks(as(""), &pb.GetIssuerJwksRequest{Issuer: ownIssuer})
	if err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	if strings.Contains(resp.GetJwks(), `"d"`) {
		t.Fatalf("the JWKS carries a private key")
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(resp.GetJwks()), &set); err != nil {
		t.Fatalf("JWKS is not a JWK Set: %v", err)
	}
	keys := set.Key(issued.GetRecord().GetKid())
	if len(keys) != 1 || !keys[0].IsPublic() {
		t.Fatalf("JWKS has no public key %s: %s", issued.GetRecord().GetKid(), resp.GetJwks())
	}
	sig, err := jose.ParseSignedCompact(issued.GetJws(), []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sig.Verify(keys[0]); err != nil {
		t.Errorf("the published key does not verify the credential: %v", err)
	}

	list, err := w.ver.GetStatusList(as(""), &pb.GetStatusListRequest{Issuer: ownIssuer, Purpose: "revocation", List: issued.GetRecord().GetStatusList()})
	if err != nil {
		t.Fatalf("status list: %v", err)
	}
	lsig, err := jose.ParseSignedCompact(list.GetJws(), []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("status list is not a compact JWS: %v", err)
	}
	payload, err := lsig.Verify(keys[0])
	if err != nil || !strings.Contains(string(payload), "BitstringStatusListCredential") {
		t.Errorf("status list: %v, payload %.200s", err, payload)
	}

	tests := []struct {
		name       string
		call       func() error
		wantCode   codes.Code
		wantReason string
		wantFields []string
	}{
		{"error/JWKS of an unknown issuer", func() error {
			_, err := w.ver.GetIssuerJwks(as(""), &pb.GetIssuerJwksRequest{Issuer: "issuers/nobody"})
			return err
		}, codes.NotFound, "ISSUER_NOT_FOUND", nil},
		{"error/malformed issuer name", func() error {
			_, err := w.ver.GetIssuerJwks(as(""), &pb.GetIssuerJwksRequest{Issuer: "acme"})
			return err
		}, codes.InvalidArgument, reasonInvalidArgument, []string{"issuer"}},
		{"error/unknown purpose", func() error {
			_, err := w.ver.GetStatusList(as(""), &pb.GetStatusListRequest{Issuer: ownIssuer, Purpose: "message"})
			return err
		}, codes.InvalidArgument, reasonInvalidArgument, []string{"purpose"}},
		{"error/negative list", func() error {
			_, err := w.ver.GetStatusList(as(""), &pb.GetStatusListRequest{Issuer: ownIssuer, Purpose: "revocation", List: -1})
			return err
		}, codes.InvalidArgument, reasonInvalidArgument, []string{"list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			requireRefusal(t, err, tt.wantCode, tt.wantReason, tt.wantFields)
		})
	}
}

// requireCheck fails unless v has check name with the outcome and reason.
func requireCheck(t *testing.T, v *pb.VerifyCredentialResponse, name string, outcome pb.CheckOutcome, reason string) {
	t.Helper()
	for _, c := range v.GetChecks() {
		if c.GetCheck() == name {
			if c.GetOutcome() != outcome || c.GetReason() != reason {
				t.Fatalf("check %s: got %v/%s, want %v/%s", name, c.GetOutcome(), c.GetReason(), outcome, reason)
			}
			return
		}
	}
	t.Fatalf("no check %s in %v", name, v.GetChecks())
}

func tokenHash(jws string) string {
	sum := sha256.Sum256([]byte(jws))
	return hex.EncodeToString(sum[:])
}

func sameElements(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// tooManyBytes returns tokens each within credential.MaxTokenBytes that
// together exceed limit by one byte.
func tooManyBytes(limit int) []string {
	var out []string
	for left := limit + 1; left > 0; left -= credential.MaxTokenBytes {
		out = append(out, strings.Repeat("a", min(left, credential.MaxTokenBytes)))
	}
	return out
}
