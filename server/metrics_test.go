package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func TestMetrics(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	for range 3 {
		if _, err := env.reg.ListSectors(context.Background(), &pb.ListSectorsRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	env.reg.GetSector(context.Background(), &pb.GetSectorRequest{Name: "sectors/none"})
	// Refused before the handler: a wrong token and invalid input are
	// counted too.
	env.reg.ListSectors(as("not-a-token"), &pb.ListSectorsRequest{})
	env.reg.GetSector(context.Background(), &pb.GetSectorRequest{Name: "not a name"})

	rec := httptest.NewRecorder()
	env.metrics.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	// The process's CPU time is real: this test has spent some.
	if cpu := scrapedValue(t, body, "process_cpu_seconds_total"); cpu <= 0 {
		t.Errorf("process_cpu_seconds_total = %g, want > 0", cpu)
	}
	for _, want := range []string{
		`skillpass_grpc_server_handled_total{method="/skillpass.v1.RegistryService/ListSectors",code="OK"} 3`,
		`skillpass_grpc_server_handled_total{method="/skillpass.v1.RegistryService/GetSector",code="NotFound"} 1`,
		`skillpass_grpc_server_handled_total{method="/skillpass.v1.RegistryService/ListSectors",code="Unauthenticated"} 1`,
		`skillpass_grpc_server_handled_total{method="/skillpass.v1.RegistryService/GetSector",code="InvalidArgument"} 1`,
		`skillpass_grpc_server_handling_seconds_sum{method="/skillpass.v1.RegistryService/ListSectors",code="OK"} `,
		"# TYPE skillpass_grpc_server_handling_seconds histogram\n",
		`skillpass_grpc_server_handling_seconds_bucket{method="/skillpass.v1.RegistryService/ListSectors",code="OK",le="10"} 3` + "\n",
		`skillpass_grpc_server_handling_seconds_bucket{method="/skillpass.v1.RegistryService/ListSectors",code="OK",le="+Inf"} 3` + "\n",
		`skillpass_grpc_server_handling_seconds_count{method="/skillpass.v1.RegistryService/ListSectors",code="OK"} 3` + "\n",
		"\nprocess_cpu_seconds_total ",
		"\ngo_cpu_gc_seconds_total ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

// scrapedValue returns the value of the unlabelled metric name in body.
func scrapedValue(t *testing.T, body, name string) float64 {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("no %s in:\n%s", name, body)
	return 0
}

// TestMetricsHistogram: each call lands in the first bucket whose bound it
// does not exceed (a call of exactly a bound is in that bucket), the
// exposition is cumulative, and calls beyond the last bound are counted
// only in +Inf.
func TestMetricsHistogram(t *testing.T) {
	const method = "/skillpass.v1.VerificationService/VerifyCredential"
	m := NewMetrics()
	for _, d := range []time.Duration{
		10 * time.Microsecond,              // le 1e-05
		50 * time.Microsecond,              // le 5e-05
		51 * time.Microsecond,              // le 0.0001
		2 * time.Millisecond,               // le 0.002
		2*time.Millisecond + 1,             // le 0.005
		10 * time.Second, 11 * time.Second, // le 10, +Inf only
	} {
		m.observe(method, codes.OK, d)
	}
	m.observe(method, codes.InvalidArgument, time.Millisecond)
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	tests := []struct {
		name, le, code string
		want           int
	}{
		{name: "first bucket holds its bound", le: "1e-05", code: "OK", want: 1},
		{name: "a later bound is cumulative", le: "5e-05", code: "OK", want: 2},
		{name: "just above a bound is in the next", le: "0.0001", code: "OK", want: 3},
		{name: "cumulative below the goal", le: "0.001", code: "OK", want: 3},
		{name: "the 2 ms goal's bucket", le: "0.002", code: "OK", want: 4},
		{name: "one nanosecond above 2 ms", le: "0.005", code: "OK", want: 5},
		{name: "last bound", le: "10", code: "OK", want: 6},
		{name: "beyond the last bound", le: "+Inf", code: "OK", want: 7},
		{name: "other code, own series", le: "0.001", code: "InvalidArgument", want: 1},
		{name: "other code, below its call", le: "0.0005", code: "InvalidArgument", want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := fmt.Sprintf("skillpass_grpc_server_handling_seconds_bucket{method=%q,code=%q,le=%q} %d\n", method, tc.code, tc.le, tc.want)
			if !strings.Contains(body, line) {
				t.Errorf("metrics lack %q:\n%s", line, body)
			}
		})
	}
	if want := fmt.Sprintf("skillpass_grpc_server_handling_seconds_count{method=%q,code=\"OK\"} 7\n", method); !strings.Contains(body, want) {
		t.Errorf("metrics lack %q", want)
	}
}
