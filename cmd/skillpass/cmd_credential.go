package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func credentialCommands() *node {
	return &node{
		name:    "credential",
		summary: "Issue skills credentials and revoke, suspend or reinstate them (the issuer's client token)",
		example: "skillpass credential get issuers/warmte-academie/credentials/0b9c6a1e-4f5d-4c1a-9a43-2f1d3c7e8b90",
		children: []*node{
			{
				name: "issue", nargs: 0,
				summary: "Have Skillpass sign a credential for a holder against a published profile version. Prints the compact JWS " +
					"(hand it to the holder: Skillpass does not keep it) and, on stderr, the record's name; with --json the JWS and the record.",
				example: "skillpass credential issue --issuer warmte-academie --profile-version sectors/installatietechniek/profiles/warmtepompmonteur/versions/1 " +
					"--holder-id did:example:holder-7f3a --skill warmtepomp-installeren=2:practical-assessment --skill gevaarlijke-stoffen=1:exam " +
					"--evidence https://warmte-academie.example/dossiers/7f3a,name=Praktijkexamen > credential.jwt",
				setup: credentialIssue,
			},
			{
				name: "issue-batch", nargs: 0,
				summary: "Issue many credentials from a file (\"-\": stdin) holding the protojson of a BatchIssueCredentialsRequest " +
					`({"requests": [{"credential": {...}, "requestId": "..."}]}). Each item gets its own result; exit 1 if any was refused.`,
				example: "skillpass --json credential issue-batch --issuer warmte-academie --file cohort-2025.json > issued.json",
				setup:   credentialIssueBatch,
			},
			{
				name: "get", args: "NAME", nargs: 1,
				summary: "Show a credential's issuance record (NAME: issuers/{issuer}/credentials/{credential}) with its status history.",
				example: "skillpass credential get issuers/warmte-academie/credentials/0b9c6a1e-4f5d-4c1a-9a43-2f1d3c7e8b90",
				setup:   credentialGet,
			},
			{
				name: "revoke", args: "NAME", nargs: 1,
				summary: "Revoke a credential for good. The issuer's client, or the sector authority for cause.",
				example: `skillpass credential revoke issuers/warmte-academie/credentials/0b9c6a1e-4f5d-4c1a-9a43-2f1d3c7e8b90 --reason "Examenfraude vastgesteld"`,
				setup:   func(fs *flag.FlagSet) action { return credentialChange(fs, "revoke") },
			},
			{
				name: "suspend", args: "NAME", nargs: 1,
				summary: "Suspend a credential until it is reinstated. The issuer's client.",
				example: `skillpass credential suspend issuers/warmte-academie/credentials/0b9c6a1e-4f5d-4c1a-9a43-2f1d3c7e8b90 --reason "Onderzoek naar examenafname"`,
				setup:   func(fs *flag.FlagSet) action { return credentialChange(fs, "suspend") },
			},
			{
				name: "reinstate", args: "NAME", nargs: 1,
				summary: "Reinstate a suspended credential. The issuer's client.",
				example: `skillpass credential reinstate issuers/warmte-academie/credentials/0b9c6a1e-4f5d-4c1a-9a43-2f1d3c7e8b90 --reason "Onderzoek afgerond, geen bevindingen"`,
				setup:   func(fs *flag.FlagSet) action { return credentialChange(fs, "reinstate") },
			},
		},
	}
}

func credentialIssue(fs *flag.FlagSet) action {
	issuer := fs.String("issuer", "", "issuer `id` (required)")
	in := addCredentialInput(fs)
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("issuer", *issuer); err != nil {
			return err
		}
		content, err := in.content(e)
		if err != nil {
			return err
		}
		c, err := e.issuance()
		if err != nil {
			return err
		}
		ic, err := c.IssueCredential(ctx, &pb.IssueCredentialRequest{
			Parent: resourceName("issuers", *issuer), Credential: content, RequestId: reqID(),
		})
		if err != nil {
			return err
		}
		if e.out.json {
			return e.out.writeJSON(ic)
		}
		// The JWS alone on stdout, so "> credential.jwt" saves exactly the
		// credential; the name needed to revoke it goes to stderr.
		fmt.Fprintf(e.stderr, "issued %s (status list %d, index %d)\n", ic.GetRecord().GetName(), ic.GetRecord().GetStatusList(), ic.GetRecord().GetStatusIndex())
		_, err = fmt.Fprintln(e.stdout, ic.GetJws())
		return err
	}
}

func credentialIssueBatch(fs *flag.FlagSet) action {
	issuer := fs.String("issuer", "", "issuer `id` (required)")
	file := fs.String("file", "", "`file` with the items as protojson of BatchIssueCredentialsRequest; \"-\" reads stdin (required)")
	return func(ctx context.Context, e *env, _ []string) error {
		if err := required("issuer", *issuer); err != nil {
			return err
		}
		if err := required("file", *file); err != nil {
			return err
		}
		req, err := readBatchFile(*file, e.stdin, resourceName("issuers", *issuer))
		if err != nil {
			return err
		}
		c, err := e.issuance()
		if err != nil {
			return err
		}
		resp, err := c.BatchIssueCredentials(ctx, req)
		if err != nil {
			return err
		}
		refused := 0
		rows := make([][]string, 0, len(resp.GetResults()))
		for i, r := range resp.GetResults() {
			if be := r.GetError(); be != nil {
				refused++
				rows = append(rows, []string{fmt.Sprint(i), "REFUSED", be.GetReason(), be.GetMessage()})
				continue
			}
			rec := r.GetCredential().GetRecord()
			rows = append(rows, []string{fmt.Sprint(i), "ISSUED", rec.GetName(), ""})
		}
		if err := e.out.table(resp, []string{"ITEM", "RESULT", "NAME OR REASON", "MESSAGE"}, rows, ""); err != nil {
			return err
		}
		if !e.out.json {
			fmt.Fprintln(e.stderr, "The credentials themselves (JWS) are in the --json output only.")
		}
		if refused > 0 {
			return &exitStatus{code: exitError, msg: fmt.Sprintf("%d of %d items refused", refused, len(rows))}
		}
		return nil
	}
}

// readBatchFile reads an issue-batch file for parent. Unknown fields are
// errors, as in profile files: a misspelt field must not silently drop a
// skill. The file may name the issuer; if it does, it must be parent.
func readBatchFile(path string, stdin io.Reader, parent string) (*pb.BatchIssueCredentialsRequest, error) {
	b, err := readInput(path, stdin, "batch file", maxRecvBytes)
	if err != nil {
		return nil, err
	}
	req := &pb.BatchIssueCredentialsRequest{}
	if err := profileIn.Unmarshal(b, req); err != nil {
		return nil, usagef("batch file %s: %v", path, err)
	}
	if len(req.Requests) == 0 {
		return nil, usagef("batch file %s: no requests", path)
	}
	if req.Parent != "" && req.Parent != parent {
		return nil, usagef("batch file %s: parent %q, but --issuer is %q", path, req.Parent, parent)
	}
	req.Parent = parent
	for i, r := range req.Requests {
		if r.Parent != "" && r.Parent != parent {
			return nil, usagef("batch file %s: requests[%d].parent %q, but --issuer is %q", path, i, r.Parent, parent)
		}
		r.Parent = parent
	}
	return req, nil
}

func credentialGet(fs *flag.FlagSet) action {
	return func(ctx context.Context, e *env, args []string) error {
		c, err := e.issuance()
		if err != nil {
			return err
		}
		rec, err := c.GetCredentialRecord(ctx, &pb.GetCredentialRecordRequest{Name: args[0]})
		if err != nil {
			return err
		}
		return e.out.message(rec)
	}
}

// credentialChange revokes, suspends or reinstates (verb) a credential.
func credentialChange(fs *flag.FlagSet, verb string) action {
	reason := fs.String("reason", "", "why; kept in the record's history, never published (required)")
	reqID := requestIDFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		if err := required("reason", *reason); err != nil {
			return err
		}
		c, err := e.issuance()
		if err != nil {
			return err
		}
		var rec *pb.CredentialRecord
		switch verb {
		case "revoke":
			rec, err = c.RevokeCredential(ctx, &pb.RevokeCredentialRequest{Name: args[0], Reason: *reason, RequestId: reqID()})
		case "suspend":
			rec, err = c.SuspendCredential(ctx, &pb.SuspendCredentialRequest{Name: args[0], Reason: *reason, RequestId: reqID()})
		default:
			rec, err = c.ReinstateCredential(ctx, &pb.ReinstateCredentialRequest{Name: args[0], Reason: *reason, RequestId: reqID()})
		}
		if err != nil {
			return err
		}
		return e.out.message(rec)
	}
}
