package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"google.golang.org/grpc/metadata"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// readyIssuer sets up, as root through the CLI, an issuer accredited for
// the heat pump profile with an active key and an issuer client, and
// returns the client's token and the profile version.
func readyIssuer(t *testing.T, ctx context.Context, d *daemon) (clientToken, profileVersion string) {
	t.Helper()
	root := []string{"--token-file", filepath.Join(d.dataDir, "root.token")}
	as := func(args ...string) []string { return append(append([]string{}, root...), args...) }
	d.must(ctx, as("sector", "create", "installatietechniek", "--name-nl", "Installatietechniek", "--authority", "OTIB")...)
	var pv struct{ Name string }
	decode(t, d.must(ctx, as("--json", "profile", "import", "--publish", "--file", "../examples/warmtepompmonteur.json",
		"--sector", "installatietechniek", "--profile", "warmtepompmonteur")...), &pv)
	d.must(ctx, as("issuer", "create", "warmte-academie", "--legal-name", "Warmte Academie B.V.", "--kvk", "12345678")...)
	d.must(ctx, as("accreditation", "create", "--issuer", "warmte-academie", "--profile", "sectors/installatietechniek/profiles/warmtepompmonteur")...)
	d.must(ctx, as("key", "rotate", "warmte-academie")...)
	d.must(ctx, as("principal", "create", "wa-lms", "--kind", "issuer-client", "--display-name", "Warmte Academie LMS", "--issuer", "warmte-academie")...)
	var tok struct{ Secret string }
	decode(t, d.must(ctx, as("--json", "token", "create", "--principal", "wa-lms")...), &tok)
	return tok.Secret, pv.Name
}

// crashIssueRequest is writer w's i-th request; the same (w, i) always
// gives the same request, so a retry after the restart is identical.
func crashIssueRequest(pv string, w, i int) *pb.IssueCredentialRequest {
	return &pb.IssueCredentialRequest{
		Parent:    "issuers/warmte-academie",
		RequestId: fmt.Sprintf("crash-%d-%d", w, i),
		Credential: &pb.CredentialContent{
			ProfileVersion: pv,
			HolderId:       fmt.Sprintf("did:example:crash-%d-%d", w, i),
			Skills: []*pb.AwardedSkill{{
				CompetencyId: "warmtepomp-installeren", LevelId: "3", AssessmentMethod: pb.AssessmentMethod_ASSESSMENT_METHOD_WORKPLACE_ASSESSMENT,
			}},
		},
	}
}

// TestCrashKeepsAcknowledgedCredentials kills skillpassd with SIGKILL while
// several issuers' calls are in flight (group commit at work) and shows
// that every credential it acknowledged has its record after the restart,
// verifies VALID, and is returned again, not issued twice, on a retry.
func TestCrashKeepsAcknowledgedCredentials(t *testing.T) {
	skipShort(t)
	const (
		writers   = 8
		killAfter = 200
	)
	dataDir := filepath.Join(t.TempDir(), "skillpass-data")
	d := startDaemon(t, dataDir)
	tok, pv := readyIssuer(t, t.Context(), d)
	ctx := metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+tok)

	type ack struct {
		w, i int
		out  *pb.IssuedCredential
	}
	var (
		mu    sync.Mutex
		acked []ack
	)
	client := pb.NewIssuanceServiceClient(dialConn(t, d.addr))
	writeUntilKilled(t, d, writers, killAfter, func(w, i int) error {
		out, err := client.IssueCredential(ctx, crashIssueRequest(pv, w, i))
		if err == nil {
			mu.Lock()
			acked = append(acked, ack{w, i, out})
			mu.Unlock()
		}
		return err
	})

	d2 := startDaemon(t, dataDir)
	cc := dialConn(t, d2.addr)
	client2, verifier := pb.NewIssuanceServiceClient(cc), pb.NewVerificationServiceClient(cc)
	for _, a := range acked {
		name := a.out.GetRecord().GetName()
		rec, err := client2.GetCredentialRecord(ctx, &pb.GetCredentialRecordRequest{Name: name})
		if err != nil {
			t.Errorf("acknowledged credential %s lost after SIGKILL: %v", name, err)
			continue
		}
		if rec.GetStatusIndex() != a.out.GetRecord().GetStatusIndex() || rec.GetKid() != a.out.GetRecord().GetKid() {
			t.Errorf("%s came back with index %d kid %s, was %d %s", name, rec.GetStatusIndex(), rec.GetKid(), a.out.GetRecord().GetStatusIndex(), a.out.GetRecord().GetKid())
		}
		v, err := verifier.VerifyCredential(t.Context(), &pb.VerifyCredentialRequest{Jws: a.out.GetJws()})
		if err != nil || v.GetVerdict() != pb.Verdict_VERDICT_VALID {
			t.Errorf("acknowledged credential %s after restart: verdict %v, %v; checks %v", name, v.GetVerdict(), err, v.GetChecks())
		}
	}
	// A retry of an acknowledged request returns the same credential.
	first := acked[0]
	again, err := client2.IssueCredential(ctx, crashIssueRequest(pv, first.w, first.i))
	if err != nil || again.GetRecord().GetName() != first.out.GetRecord().GetName() {
		t.Errorf("retrying acknowledged request crash-%d-%d: %v, %v; want %s", first.w, first.i, again.GetRecord().GetName(), err, first.out.GetRecord().GetName())
	}
	t.Logf("%d credentials acknowledged before SIGKILL, all present and VALID after restart", len(acked))

	d2.stop()
	checkDatabase(t, filepath.Join(dataDir, "skillpass.db"))
}
