package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// walkthroughCredential is the README's credential: a heat pump installer
// who passed a practical assessment and a refrigerant safety exam.
var walkthroughSkills = []string{
	"--skill", "warmtepomp-installeren=2:practical-assessment",
	"--skill", "gevaarlijke-stoffen=1:exam",
	"--evidence", "https://warmte-academie.example/dossiers/7f3a,name=Praktijkexamen",
}

// testCredentials is the README's second half: the issuer's client gets a
// signing key, issues a credential with the CLI, anyone verifies it, the
// issuer revokes it and verification says so; status lists and the JWKS
// are public; suspension is undone by reinstatement; a level off the scale
// is refused with its reason. acc is the (suspended) accreditation from
// the first half, pv the profile version.
func testCredentials(t *testing.T, ctx context.Context, d *daemon, root, authority []string, acc, pv string) {
	as := func(tok []string, args ...string) []string { return append(append([]string{}, tok...), args...) }
	dir := t.TempDir()

	// 6. After the audit the authority reinstates the accreditation, and
	// the operator gives the issuer's learning system a client token.
	d.must(ctx, as(authority, "accreditation", "reinstate", acc, "--reason", "Herstelplan uitgevoerd")...)
	d.must(ctx, as(root, "principal", "create", "wa-lms", "--kind", "issuer-client",
		"--display-name", "Warmte Academie LMS", "--issuer", "warmte-academie")...)
	var tok struct{ Secret string }
	decode(t, d.must(ctx, as(root, "--json", "token", "create", "--principal", "wa-lms")...), &tok)
	lms := []string{"--token", tok.Secret}

	// 7. The issuer's first key signs at once.
	var keys struct {
		Keys []struct{ Kid, State, Algorithm string }
	}
	decode(t, d.must(ctx, as(lms, "--json", "key", "rotate", "warmte-academie")...), &keys)
	if len(keys.Keys) != 1 || keys.Keys[0].State != "KEY_STATE_ACTIVE" || keys.Keys[0].Algorithm != "KEY_ALGORITHM_ES256" {
		t.Fatalf("first key: %+v", keys.Keys)
	}
	kid := keys.Keys[0].Kid
	if listed := d.must(ctx, as(lms, "key", "list", "warmte-academie")...); !strings.Contains(listed, kid) || !strings.Contains(listed, "ACTIVE") {
		t.Errorf("key list:\n%s", listed)
	}

	// 8. It issues a credential: the JWS on stdout, the record on stderr.
	issue := as(lms, "credential", "issue", "--issuer", "warmte-academie", "--profile-version", pv, "--holder-id", "did:example:holder-7f3a")
	r := d.cli(ctx, append(issue, walkthroughSkills...)...)
	if r.code != 0 || strings.Count(r.stdout, ".") != 2 || !strings.HasPrefix(r.stderr, "issued issuers/warmte-academie/credentials/") {
		t.Fatalf("credential issue: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	name := strings.Fields(strings.TrimPrefix(r.stderr, "issued "))[0]
	cred := filepath.Join(dir, "credential.jwt")
	writeFile(t, cred, r.stdout)

	// 9. Anyone verifies it without a token: VALID, exit 0, every check
	// listed, the content readable.
	out := d.must(ctx, "verify", cred)
	for _, want := range []string{"Verdict: VALID", "SIGNATURE", "KEY_STATE", "ACCREDITATION_AT_ISSUANCE", "STATUS",
		"Warmte Academie B.V.", "Heat pump installer", "Install a heat pump (warmtepomp-installeren): level 2 \"Independent\", 2 of 3"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q:\n%s", want, out)
		}
	}
	for _, line := range checkLines(out) {
		if !strings.HasPrefix(line, "PASS") && !strings.HasPrefix(line, "INFO") {
			t.Errorf("a VALID verdict has check line %q", line)
		}
	}
	if nl := d.must(ctx, "verify", cred, "--lang", "nl"); !strings.Contains(nl, "Monteur warmtepompen") || !strings.Contains(nl, "\"Zelfstandig\"") {
		t.Errorf("verify --lang nl is not in Dutch:\n%s", nl)
	}

	// 10. The issuer revokes it; verification now fails on STATUS, exit 3.
	var rec struct{ Status string }
	decode(t, d.must(ctx, as(lms, "--json", "credential", "revoke", name, "--reason", "Examenfraude vastgesteld")...), &rec)
	if rec.Status != "CREDENTIAL_STATUS_REVOKED" {
		t.Fatalf("revoked record status %q", rec.Status)
	}
	r = d.cli(ctx, "verify", cred)
	if r.code != 3 || !strings.Contains(r.stdout, "Verdict: INVALID") || !hasCheckLine(r.stdout, "FAIL", "STATUS", "REVOKED") {
		t.Fatalf("verify after revoking: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// 11. Status lists and keys are public.
	sl := d.must(ctx, "statuslist", "get", "warmte-academie", "revocation", "--decode")
	for _, want := range []string{"BitstringStatusListCredential", `"encodedList": "u`, `"statusPurpose": "revocation"`} {
		if !strings.Contains(sl, want) {
			t.Errorf("decoded status list lacks %q:\n%s", want, sl)
		}
	}
	var jwks struct {
		Keys []struct{ Kid, Kty, Crv string }
	}
	decode(t, d.must(ctx, "jwks", "warmte-academie"), &jwks)
	if len(jwks.Keys) != 1 || jwks.Keys[0].Kid != kid || jwks.Keys[0].Kty != "EC" || jwks.Keys[0].Crv != "P-256" {
		t.Errorf("JWKS %+v, want the one P-256 key %s", jwks.Keys, kid)
	}

	// 12. Another credential is suspended, then reinstated.
	var issued struct {
		Jws    string
		Record struct{ Name string }
	}
	decode(t, d.must(ctx, append(as(lms, "--json", "credential", "issue", "--issuer", "warmte-academie", "--profile-version", pv,
		"--holder-id", "urn:uuid:6f1c2a9e-0d4b-4e8a-9f57-3b2c1d0e9a8b"), walkthroughSkills...)...), &issued)
	second := filepath.Join(dir, "second.jwt")
	writeFile(t, second, issued.Jws)
	d.must(ctx, as(lms, "credential", "suspend", issued.Record.Name, "--reason", "Onderzoek naar examenafname")...)
	if r := d.cli(ctx, "verify", second); r.code != 3 || !hasCheckLine(r.stdout, "FAIL", "STATUS", "SUSPENDED") {
		t.Errorf("verify while suspended: exit %d\n%s", r.code, r.stdout)
	}
	d.must(ctx, as(lms, "credential", "reinstate", issued.Record.Name, "--reason", "Onderzoek afgerond")...)
	if r := d.cli(ctx, "verify", second); r.code != 0 {
		t.Errorf("verify after reinstating: exit %d\n%s", r.code, r.stdout)
	}
	var hist struct {
		Status string
		Events []struct{ Status, Reason string }
	}
	decode(t, d.must(ctx, as(lms, "--json", "credential", "get", issued.Record.Name)...), &hist)
	if hist.Status != "CREDENTIAL_STATUS_ACTIVE" || len(hist.Events) < 2 || hist.Events[len(hist.Events)-1].Reason != "Onderzoek afgerond" {
		t.Errorf("record after reinstating: %+v", hist)
	}

	// 13. A passport with both: one VALID, one INVALID, exit 3.
	if r := d.cli(ctx, "passport", "verify", cred, second); r.code != 3 || !strings.Contains(r.stdout, "Passport: 1 VALID, 1 INVALID") {
		t.Errorf("passport verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// 14. A level off the competency's scale is refused with its reason.
	r = d.cli(ctx, append(issue, "--skill", "gevaarlijke-stoffen=3:exam")...)
	if r.code != 1 || !strings.Contains(r.stderr, "LEVEL_NOT_ON_SCALE") {
		t.Errorf("issuing level 3 of a 2-level scale: exit %d\n%s", r.code, r.stderr)
	}
}

// checkLines returns the check lines of a printed verdict (between the
// verdict line and the content), trimmed.
func checkLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Credential ") {
			break
		}
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Verdict:") {
			lines = append(lines, l)
		}
	}
	return lines
}

// hasCheckLine tells whether a printed verdict has a check line with the
// outcome, check and reason.
func hasCheckLine(out, outcome, check, reason string) bool {
	for _, l := range checkLines(out) {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == outcome && f[1] == check && f[2] == reason {
			return true
		}
	}
	return false
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
