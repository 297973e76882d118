package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/store/bolt"
)

// TestWalkthrough runs the README's walkthrough, from an empty data
// directory to an accredited (then suspended) issuer, and on to issuing,
// verifying, revoking and suspending credentials, through the CLI binary.
// Keep it in step with README.md.
func TestWalkthrough(t *testing.T) {
	skipShort(t)
	ctx := t.Context()
	dataDir := filepath.Join(t.TempDir(), "skillpass-data")
	d := startDaemon(t, dataDir)

	rootToken := filepath.Join(dataDir, "root.token")
	fi, err := os.Stat(rootToken)
	if err != nil {
		t.Fatalf("root token file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("root token mode %v, want 0600", fi.Mode().Perm())
	}
	root := []string{"--token-file", rootToken}
	as := func(tok []string, args ...string) []string { return append(append([]string{}, tok...), args...) }

	var caller struct{ Kind string }
	decode(t, d.must(ctx, as(root, "--json", "whoami")...), &caller)
	if caller.Kind != "PRINCIPAL_KIND_ROOT" {
		t.Fatalf("whoami with the root token: kind %q", caller.Kind)
	}

	// 1. The operator creates a sector and appoints its authority.
	d.must(ctx, as(root, "sector", "create", "installatietechniek",
		"--name-nl", "Installatietechniek", "--name-en", "Installation technology",
		"--authority", "Opleidingsfonds Installatietechniek")...)
	d.must(ctx, as(root, "principal", "create", "otib", "--kind", "sector-authority",
		"--display-name", "Opleidingsfonds Installatietechniek", "--sector", "installatietechniek")...)
	var tok struct{ Secret string }
	decode(t, d.must(ctx, as(root, "--json", "token", "create", "--principal", "otib", "--description", "walkthrough")...), &tok)
	if len(tok.Secret) < 43 { // 256 bits in base64url are 43 characters
		t.Fatalf("token secret %q does not look like 256 random bits", tok.Secret)
	}
	authority := []string{"--token", tok.Secret}

	// 2. The authority imports an example profile and publishes it.
	var pv struct{ Name, State, Digest string }
	decode(t, d.must(ctx, as(authority, "--json", "profile", "import", "--file", "../examples/warmtepompmonteur.json",
		"--sector", "installatietechniek", "--profile", "warmtepompmonteur", "--publish")...), &pv)
	if pv.Name != "sectors/installatietechniek/profiles/warmtepompmonteur/versions/1" || pv.State != "PROFILE_STATE_PUBLISHED" || !strings.HasPrefix(pv.Digest, "sha256:") {
		t.Fatalf("imported profile: %+v", pv)
	}

	// 3. It registers an issuer and accredits it for the profile.
	d.must(ctx, as(authority, "issuer", "create", "warmte-academie", "--legal-name", "Warmte Academie B.V.",
		"--kvk", "12345678", "--email", "info@warmte-academie.example", "--website", "https://warmte-academie.example")...)
	var acc struct{ Name, State string }
	decode(t, d.must(ctx, as(authority, "--json", "accreditation", "create", "--issuer", "warmte-academie",
		"--profile", "sectors/installatietechniek/profiles/warmtepompmonteur", "--min-version", "1")...), &acc)
	if acc.State != "ACCREDITATION_STATE_ACTIVE" || !strings.HasPrefix(acc.Name, "issuers/warmte-academie/accreditations/") {
		t.Fatalf("accreditation: %+v", acc)
	}

	// 4. Anyone, without a token, can check it; suspension shows at once.
	check := func() (accredited bool, reason string) {
		var c struct {
			Accredited bool
			Reason     string
		}
		decode(t, d.must(ctx, "--json", "accreditation", "check", "--issuer", "warmte-academie", "--profile-version", pv.Name), &c)
		return c.Accredited, c.Reason
	}
	if ok, reason := check(); !ok || reason != "ACCREDITED" {
		t.Fatalf("check after accrediting: %v %s", ok, reason)
	}
	d.must(ctx, as(authority, "accreditation", "suspend", acc.Name, "--reason", "Audit 2025: examens niet conform")...)
	if ok, reason := check(); ok || reason != "SUSPENDED" {
		t.Fatalf("check after suspending: %v %s", ok, reason)
	}
	var hist struct {
		Events []struct{ State, Reason, Actor string }
	}
	decode(t, d.must(ctx, "--json", "accreditation", "history", acc.Name), &hist)
	if len(hist.Events) != 2 || hist.Events[0].State != "ACCREDITATION_STATE_ACTIVE" || hist.Events[1].State != "ACCREDITATION_STATE_SUSPENDED" ||
		hist.Events[1].Reason != "Audit 2025: examens niet conform" || hist.Events[1].Actor != "principals/otib" {
		t.Fatalf("history: %+v", hist.Events)
	}
	human := d.must(ctx, "accreditation", "history", acc.Name)
	if !strings.Contains(human, "SUSPENDED") || !strings.HasPrefix(human, "SEQ") {
		t.Errorf("human-readable history:\n%s", human)
	}

	// 5. The operator backs up the database while it serves; the copy is a
	// consistent bbolt file.
	backup := filepath.Join(t.TempDir(), "skillpass-backup.db")
	if out := d.must(ctx, as(root, "backup", "--out", backup)...); !strings.Contains(out, "sha256:") {
		t.Errorf("backup output %q", out)
	}
	checkDatabase(t, backup)

	// Every shipped example passes the server's validation.
	for _, ex := range []struct{ sector, file string }{
		{"zorg", "verzorgende-ig.json"},
		{"schoonmaak", "schoonmaakmedewerker.json"},
	} {
		d.must(ctx, as(root, "sector", "create", ex.sector, "--name-nl", ex.sector, "--authority", "Sectorfonds "+ex.sector)...)
		d.must(ctx, as(root, "profile", "import", "--publish", "--file", "../examples/"+ex.file,
			"--sector", ex.sector, "--profile", strings.TrimSuffix(ex.file, ".json"))...)
	}

	t.Run("credentials", func(t *testing.T) { testCredentials(t, ctx, d, root, authority, acc.Name, pv.Name) })
	t.Run("refusals", func(t *testing.T) { testRefusals(t, ctx, d, root, authority) })
}

// testRefusals checks bad input and unauthorised calls: exit code 1 and an
// error naming the field or the refusal.
func testRefusals(t *testing.T, ctx context.Context, d *daemon, root, authority []string) {
	as := func(tok []string, args ...string) []string { return append(append([]string{}, tok...), args...) }
	d.must(ctx, as(root, "principal", "create", "wa-client", "--kind", "issuer-client",
		"--display-name", "Warmte Academie LMS", "--issuer", "warmte-academie")...)
	var tok struct{ Secret string }
	decode(t, d.must(ctx, as(root, "--json", "token", "create", "--principal", "wa-client")...), &tok)
	issuerClient := []string{"--token", tok.Secret}

	badProfile := filepath.Join(t.TempDir(), "bad-esco.json")
	b, err := os.ReadFile("../examples/warmtepompmonteur.json")
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), "00735755-adc6-4ea0-b034-b8caff339c9f", "install-heat-pump", 1))
	if err := os.WriteFile(badProfile, b, 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string
	}{
		{
			name:       "error/bad kvk number",
			args:       as(authority, "issuer", "create", "kvk-fout", "--legal-name", "Fout B.V.", "--kvk", "1234567"),
			wantCode:   1,
			wantStderr: []string{"InvalidArgument", "issuer.kvk_number:"},
		},
		{
			name:       "error/bad esco uri in profile",
			args:       as(authority, "profile", "import", "--file", badProfile, "--sector", "installatietechniek", "--profile", "warmtepompmonteur"),
			wantCode:   1,
			wantStderr: []string{"InvalidArgument", "profile_version.competencies[0].alignments[0].target_url:"},
		},
		{
			name:       "error/no token",
			args:       []string{"sector", "create", "bouw", "--name-nl", "Bouw", "--authority", "Bouwfonds"},
			wantCode:   1,
			wantStderr: []string{"Unauthenticated"},
		},
		{
			name:       "error/issuer client creates a sector",
			args:       as(issuerClient, "sector", "create", "bouw", "--name-nl", "Bouw", "--authority", "Bouwfonds"),
			wantCode:   1,
			wantStderr: []string{"PermissionDenied", "reason: PERMISSION_DENIED"},
		},
		{
			name:       "error/authority of another sector publishes here",
			args:       as(authority, "profile", "import", "--file", "../examples/verzorgende-ig.json", "--sector", "zorg", "--profile", "verzorgende-ig"),
			wantCode:   1,
			wantStderr: []string{"PermissionDenied"},
		},
		{
			name:       "error/unknown issuer",
			args:       []string{"issuer", "get", "bestaat-niet"},
			wantCode:   1,
			wantStderr: []string{"NotFound"},
		},
		{
			name:       "error/usage",
			args:       []string{"issuer", "create"},
			wantCode:   2,
			wantStderr: []string{"want 1 argument(s) ID"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := d.cli(ctx, tt.args...)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, tt.wantCode, r.stderr)
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, r.stderr)
				}
			}
		})
	}
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("--json output is not JSON (%v):\n%s", err, s)
	}
}

// checkDatabase opens a database file with the store's own code and runs
// bbolt's consistency check over it.
func checkDatabase(t *testing.T, path string) {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatalf("%s is not consistent: %v", path, err)
	}
}
