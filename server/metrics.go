package server

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Metrics counts calls and sums their latency per method and status code.
// It is lock-free after a (method, code) pair is first seen, because it sits
// on the verification hot path. It serves the Prometheus text format over
// HTTP; the daemon exposes it only when asked to (--metrics-listen).
type Metrics struct {
	calls sync.Map // metricKey -> *metricValue
}

type metricKey struct {
	method string
	code   codes.Code
}

type metricValue struct {
	count atomic.Uint64
	nanos atomic.Int64
}

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics { return &Metrics{} }

func (m *Metrics) observe(method string, code codes.Code, d time.Duration) {
	k := metricKey{method: method, code: code}
	v, ok := m.calls.Load(k)
	if !ok {
		v, _ = m.calls.LoadOrStore(k, &metricValue{})
	}
	mv := v.(*metricValue)
	mv.count.Add(1)
	mv.nanos.Add(int64(d))
}

func (m *Metrics) middleware() middleware {
	return func(ctx context.Context, method string, next func(context.Context) error) error {
		start := time.Now()
		err := next(ctx)
		m.observe(method, status.Code(err), time.Since(start))
		return err
	}
}

// MetricSample is one (method, code) pair's totals.
type MetricSample struct {
	Method  string
	Code    codes.Code
	Count   uint64
	Latency time.Duration // summed over Count calls
}

// Snapshot returns the current totals, ordered by method then code.
func (m *Metrics) Snapshot() []MetricSample {
	var out []MetricSample
	m.calls.Range(func(k, v any) bool {
		key, val := k.(metricKey), v.(*metricValue)
		out = append(out, MetricSample{Method: key.method, Code: key.code, Count: val.count.Load(), Latency: time.Duration(val.nanos.Load())})
		return true
	})
	slices.SortFunc(out, func(a, b MetricSample) int {
		return cmp.Or(cmp.Compare(a.Method, b.Method), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// ServeHTTP writes the totals in the Prometheus text exposition format.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	samples := m.Snapshot()
	fmt.Fprintln(w, "# HELP skillpass_grpc_server_handled_total gRPC calls completed, by method and status code.")
	fmt.Fprintln(w, "# TYPE skillpass_grpc_server_handled_total counter")
	for _, s := range samples {
		fmt.Fprintf(w, "skillpass_grpc_server_handled_total{method=%q,code=%q} %d\n", s.Method, s.Code.String(), s.Count)
	}
	fmt.Fprintln(w, "# HELP skillpass_grpc_server_handling_seconds_sum Total time spent in gRPC calls, by method and status code.")
	fmt.Fprintln(w, "# TYPE skillpass_grpc_server_handling_seconds_sum counter")
	for _, s := range samples {
		fmt.Fprintf(w, "skillpass_grpc_server_handling_seconds_sum{method=%q,code=%q} %g\n", s.Method, s.Code.String(), s.Latency.Seconds())
	}
	writeProcessMetrics(w)
}
