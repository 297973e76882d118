package e2e

import (
	"path/filepath"
	"testing"
)

// TestLoadCommand runs skillpass-load briefly against a real daemon: it
// sets everything up from the root token, issues, probes and verifies at a
// paced rate without a single error, and a second run reuses the setup.
// It asserts that the command works, not how fast: figures from a
// two-second run on a shared machine prove nothing.
func TestLoadCommand(t *testing.T) {
	skipShort(t)
	dataDir := filepath.Join(t.TempDir(), "skillpass-data")
	d := startDaemon(t, dataDir)
	args := []string{"--root-token-file", filepath.Join(dataDir, "root.token"), "--clients", "8", "--conns", "2",
		"--duration", "1s", "--probe-duration", "300ms", "--json"}
	for run := range 2 {
		r := d.run(t.Context(), loadBin, args...)
		if r.code != 0 {
			t.Fatalf("run %d: exit %d\nstdout:\n%s\nstderr:\n%s", run, r.code, r.stdout, r.stderr)
		}
		type phase struct {
			Ops    int
			Errors map[string]int
			Rate   float64 `json:"rate_per_second"`
			P99    float64 `json:"p99_ms"`
			Target float64 `json:"target_rate_per_second"`
		}
		var rep struct {
			Issue       phase
			VerifyProbe phase `json:"verify_probe"`
			VerifyPaced phase `json:"verify_paced"`
		}
		decode(t, r.stdout, &rep)
		for name, p := range map[string]phase{"issue": rep.Issue, "verify probe": rep.VerifyProbe, "verify paced": rep.VerifyPaced} {
			if p.Ops == 0 || len(p.Errors) != 0 || p.Rate <= 0 || p.P99 <= 0 {
				t.Errorf("run %d, %s: %+v", run, name, p)
			}
		}
		if rep.VerifyPaced.Target != rep.VerifyProbe.Rate/2 {
			t.Errorf("run %d: paced target %.1f/s, want half the probe's %.1f/s", run, rep.VerifyPaced.Target, rep.VerifyProbe.Rate)
		}
	}
}
