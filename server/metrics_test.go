package server

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

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
