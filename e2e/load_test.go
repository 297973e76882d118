package e2e

import (
	"net"
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
	metrics := freeLoopbackAddr(t)
	d := startDaemon(t, dataDir, "--metrics-listen", metrics)
	args := []string{"--root-token-file", filepath.Join(dataDir, "root.token"), "--clients", "8", "--conns", "2",
		"--duration", "1s", "--probe-duration", "300ms", "--json", "--metrics-url", "http://" + metrics + "/metrics"}
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
			CPU    float64 `json:"server_cpu_us_per_op"`
			XRaw   float64 `json:"server_cpu_x_raw_p256"`
			P99In  float64 `json:"server_handling_p99_ms_at_most"`
		}
		var rep struct {
			RawP256     float64 `json:"raw_p256_verify_us"`
			Issue       phase
			VerifyProbe phase `json:"verify_probe"`
			VerifyPaced phase `json:"verify_paced"`
			NoopProbe   phase `json:"noop_probe"`
			NoopPaced   phase `json:"noop_paced"`
		}
		decode(t, r.stdout, &rep)
		for name, p := range map[string]phase{"issue": rep.Issue, "verify probe": rep.VerifyProbe, "verify paced": rep.VerifyPaced,
			"no-op probe": rep.NoopProbe, "no-op paced": rep.NoopPaced} {
			// The server's CPU per call is read from its own metrics: it
			// must be there and plausible (more than nothing, less than
			// the whole second the phase could have used per call), and
			// so must the bucket of its handling-time histogram that holds
			// the 99th percentile.
			if p.Ops == 0 || len(p.Errors) != 0 || p.Rate <= 0 || p.P99 <= 0 || p.CPU <= 0 || p.CPU > 1e6 || p.XRaw <= 0 || p.P99In <= 0 {
				t.Errorf("run %d, %s: %+v", run, name, p)
			}
		}
		if rep.RawP256 <= 0 {
			t.Errorf("run %d: no raw P-256 baseline: %s", run, r.stdout)
		}
		if rep.VerifyPaced.Target != rep.VerifyProbe.Rate/2 {
			t.Errorf("run %d: paced target %.1f/s, want half the probe's %.1f/s", run, rep.VerifyPaced.Target, rep.VerifyProbe.Rate)
		}
	}
}

// freeLoopbackAddr returns a loopback address with a port that was free a
// moment ago, for a listener whose address the test must know in advance.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
