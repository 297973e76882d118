package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/server"
)

func TestServerCPURead(t *testing.T) {
	// The daemon's real metrics handler: the names must match what
	// skillpassd serves, not what this test assumes.
	real := httptest.NewServer(server.NewMetrics())
	t.Cleanup(real.Close)
	fixed := func(status int, body string) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	type cpu struct{ total, gc float64 }
	tests := []struct {
		name    string
		url     string
		want    cpu // zero: only checked to be positive
		wantErr string
	}{
		{name: "ok/skillpassd's own metrics", url: real.URL},
		{name: "ok/values parsed", url: fixed(200, "# HELP x\nprocess_cpu_seconds_total 12.5\ngo_cpu_gc_seconds_total 0.5\n"), want: cpu{total: 12.5, gc: 0.5}},
		{name: "error/bad histogram line", url: fixed(200, "process_cpu_seconds_total 1\n"+handlingMetric+`{method="/m",code="OK",le="x"} 1`+"\n"), wantErr: `le "x"`},
		{name: "error/no cpu metric", url: fixed(200, "go_cpu_gc_seconds_total 1\n"), wantErr: "has no process_cpu_seconds_total"},
		{name: "error/bad value", url: fixed(200, "process_cpu_seconds_total lots\n"), wantErr: "process_cpu_seconds_total"},
		{name: "error/not found", url: fixed(404, ""), wantErr: "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newServerCPU(tt.url).read(t.Context())
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case tt.want == (cpu{}) && got.total <= 0:
				t.Errorf("process CPU %g, want > 0", got.total)
			case tt.want != (cpu{}) && (cpu{got.total, got.gc}) != tt.want:
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSummaryAttach(t *testing.T) {
	s := summary{Ops: 1000}
	// 0.2 s of server CPU over 1000 calls, 0.02 s of it collecting garbage,
	// against a 50 us raw check: 200 us per call, 4x, 10%.
	s.attach(cpuReading{total: 10, gc: 1}, cpuReading{total: 10.2, gc: 1.02}, 50_000, "/m")
	if !near(s.ServerCPUMicros, 200) || !near(s.ServerCPURawP256, 4) || !near(s.ServerGCShare, 0.1) {
		t.Errorf("got %.3f us, %.3fx, %.3f GC; want 200, 4, 0.1", s.ServerCPUMicros, s.ServerCPURawP256, s.ServerGCShare)
	}
	empty := summary{}
	empty.attach(cpuReading{total: 1}, cpuReading{total: 2}, 50_000, "/m")
	if empty.ServerCPUMicros != 0 {
		t.Errorf("a phase without calls got %g us per call", empty.ServerCPUMicros)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestRawP256Baseline(t *testing.T) {
	ns, err := rawP256Nanos(20e6) // 20 ms: only that it measures something
	if err != nil || ns <= 0 {
		t.Fatalf("baseline %g ns, err %v", ns, err)
	}
}
