package server

import (
	"context"
	"net/http/httptest"
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

	rec := httptest.NewRecorder()
	env.metrics.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`skillpass_grpc_server_handled_total{method="/skillpass.v1.RegistryService/ListSectors",code="OK"} 3`,
		`skillpass_grpc_server_handled_total{method="/skillpass.v1.RegistryService/GetSector",code="NotFound"} 1`,
		`skillpass_grpc_server_handling_seconds_sum{method="/skillpass.v1.RegistryService/ListSectors",code="OK"} `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}
