package main

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// exposition is a scrape in the format skillpassd serves (its own test,
// server.TestMetricsHistogram, holds the daemon to it; the e2e load test
// reads it from a real daemon): buckets per method and code, ascending.
func exposition(verifyOK [4]uint64) string {
	const m = pb.VerificationService_VerifyCredential_FullMethodName
	line := func(code, le string, n uint64) string {
		return fmt.Sprintf("%s{method=%q,code=%q,le=%q} %d\n", handlingMetric, m, code, le, n)
	}
	return "process_cpu_seconds_total 1\n# TYPE skillpass_grpc_server_handling_seconds histogram\n" +
		line("OK", "0.0005", verifyOK[0]) + line("OK", "0.002", verifyOK[1]) + line("OK", "10", verifyOK[2]) + line("OK", "+Inf", verifyOK[3]) +
		line("InvalidArgument", "0.0005", 0) + line("InvalidArgument", "0.002", 0) + line("InvalidArgument", "10", 500) + line("InvalidArgument", "+Inf", 500) +
		fmt.Sprintf("skillpass_grpc_server_handling_seconds_sum{method=%q,code=\"OK\"} 3.5\n", m)
}

// TestHandlingP99FromScrapes reads two scrapes and finds the bucket of the
// 99th percentile of the successful calls in between.
func TestHandlingP99FromScrapes(t *testing.T) {
	scrape := func(body string) cpuReading {
		t.Helper()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, body) }))
		defer srv.Close()
		r, err := newServerCPU(srv.URL).read(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	const method = pb.VerificationService_VerifyCredential_FullMethodName
	// 50 slow calls before the phase; then 99 fast ones and one of 40 ms.
	before := scrape(exposition([4]uint64{0, 0, 50, 50}))
	after := scrape(exposition([4]uint64{99, 99, 150, 150}))
	tests := []struct {
		name            string
		before, after   cpuReading
		method          string
		wantMs          float64
		wantOver, valid bool
	}{
		{name: "ok/phase between scrapes", before: before, after: after, method: method, wantMs: 0.5, valid: true},
		{name: "ok/whole history without before", after: after, method: method, wantMs: 10000, valid: true},
		{name: "none/method without calls", before: before, after: after, method: "/grpc.health.v1.Health/Check"},
		{name: "none/no calls in between", before: after, after: after, method: method},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms, over, ok := handlingP99(tc.before.handling[tc.method], tc.after.handling[tc.method])
			if ok != tc.valid || (ok && (ms != tc.wantMs || over != tc.wantOver)) {
				t.Errorf("p99 bucket %g ms (over %v, ok %v), want %g (over %v, ok %v)", ms, over, ok, tc.wantMs, tc.wantOver, tc.valid)
			}
		})
	}
}

func TestAddHandlingLine(t *testing.T) {
	tests := []struct{ name, line, wantErr string }{
		{name: "ok/other metric ignored", line: "process_cpu_seconds_total 1"},
		{name: "ok/failed calls ignored", line: handlingMetric + `{method="/m",code="Internal",le="0.001"} 1`},
		{name: "error/no value", line: handlingMetric + `{method="/m",code="OK",le="0.001"}`, wantErr: "no value"},
		{name: "error/unquoted label", line: handlingMetric + `{method=/m,code="OK",le="0.001"} 1`, wantErr: "label"},
		{name: "error/bad count", line: handlingMetric + `{method="/m",code="OK",le="0.001"} -1`, wantErr: "count"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := addHandlingLine(map[string]*handlingHist{}, tc.line)
			if (err == nil) != (tc.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
	hists := map[string]*handlingHist{}
	if err := addHandlingLine(hists, handlingMetric+`{method="/m",code="OK",le="0.002"} 1`); err != nil {
		t.Fatal(err)
	}
	if err := addHandlingLine(hists, handlingMetric+`{method="/m",code="OK",le="0.001"} 1`); err == nil || !strings.Contains(err.Error(), "out of order") {
		t.Errorf("descending bounds: err %v, want out of order", err)
	}
}

func TestHandlingP99Over(t *testing.T) {
	inf := []float64{0.001, 0.01, math.Inf(1)}
	tests := []struct {
		name          string
		before, after handlingHist
		wantMs        float64
		wantOver, ok  bool
	}{
		{name: "ok/in the first bucket", before: handlingHist{inf, []uint64{0, 0, 0}}, after: handlingHist{inf, []uint64{100, 100, 100}}, wantMs: 1, ok: true},
		{name: "ok/exactly 99 of 100 in the first", after: handlingHist{inf, []uint64{99, 100, 100}}, wantMs: 1, ok: true},
		{name: "ok/98 of 100: the next bucket", after: handlingHist{inf, []uint64{98, 100, 100}}, wantMs: 10, ok: true},
		{name: "over/beyond the last finite bound", after: handlingHist{inf, []uint64{0, 98, 100}}, wantMs: 10, wantOver: true, ok: true},
		{name: "none/different buckets", before: handlingHist{inf[:2], []uint64{0, 0}}, after: handlingHist{inf, []uint64{1, 1, 1}}},
		{name: "none/other bounds", before: handlingHist{[]float64{0.002, 0.01, math.Inf(1)}, []uint64{0, 0, 0}}, after: handlingHist{inf, []uint64{1, 1, 1}}},
		{name: "none/counts went down (daemon restarted)", before: handlingHist{inf, []uint64{50, 60, 60}}, after: handlingHist{inf, []uint64{5, 6, 7}}},
		{name: "none/empty", after: handlingHist{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before *handlingHist
			if tc.before.cum != nil {
				before = &tc.before
			}
			ms, over, ok := handlingP99(before, &tc.after)
			if ok != tc.ok || (ok && (ms != tc.wantMs || over != tc.wantOver)) {
				t.Errorf("got %g ms over %v ok %v; want %g over %v ok %v", ms, over, ok, tc.wantMs, tc.wantOver, tc.ok)
			}
		})
	}
}
