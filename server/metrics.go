package server

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Metrics counts calls and keeps a histogram of their handling time per
// method and status code. It is lock-free after a (method, code) pair is
// first seen, because it sits on the verification hot path. It serves the
// Prometheus text format over HTTP; the daemon exposes it only when asked
// to (--metrics-listen).
type Metrics struct {
	calls sync.Map // metricKey -> *metricValue
}

type metricKey struct {
	method string
	code   codes.Code
}

// latencyBounds are the upper bounds of the handling-time histogram's
// buckets (its "le" labels), from 10 microseconds (a health check takes
// about that) to 10 seconds, with 2 ms (the verification latency goal)
// among them.
var latencyBounds = [...]time.Duration{
	10 * time.Microsecond, 25 * time.Microsecond, 50 * time.Microsecond, 100 * time.Microsecond, 250 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond,
	25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond,
	500 * time.Millisecond, time.Second, 2500 * time.Millisecond, 5 * time.Second, 10 * time.Second,
}

type metricValue struct {
	count atomic.Uint64
	nanos atomic.Int64
	// buckets[i] counts the calls that took at most latencyBounds[i] and
	// more than the bound before it; slower calls are only in count.
	buckets [len(latencyBounds)]atomic.Uint64
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
	for i, le := range latencyBounds {
		if d <= le {
			mv.buckets[i].Add(1)
			break
		}
	}
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
	// Cumulative[i] is how many of the calls took at most latencyBounds[i].
	Cumulative []uint64
}

// Snapshot returns the current totals, ordered by method then code.
func (m *Metrics) Snapshot() []MetricSample {
	var out []MetricSample
	m.calls.Range(func(k, v any) bool {
		key, val := k.(metricKey), v.(*metricValue)
		// observe counts a call before its bucket and this reads the
		// buckets first, so the count (the +Inf bucket) is never below
		// the last of them.
		cum := make([]uint64, len(latencyBounds))
		var n uint64
		for i := range cum {
			n += val.buckets[i].Load()
			cum[i] = n
		}
		out = append(out, MetricSample{Method: key.method, Code: key.code, Count: val.count.Load(), Latency: time.Duration(val.nanos.Load()), Cumulative: cum})
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
	fmt.Fprintln(w, "# HELP skillpass_grpc_server_handling_seconds Time from the metrics interceptor (after logging) to the handler's return, by method and status code.")
	fmt.Fprintln(w, "# TYPE skillpass_grpc_server_handling_seconds histogram")
	for _, s := range samples {
		labels := fmt.Sprintf("method=%q,code=%q", s.Method, s.Code.String())
		for i, le := range latencyBounds {
			fmt.Fprintf(w, "skillpass_grpc_server_handling_seconds_bucket{%s,le=%q} %d\n", labels, strconv.FormatFloat(le.Seconds(), 'g', -1, 64), s.Cumulative[i])
		}
		fmt.Fprintf(w, "skillpass_grpc_server_handling_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, s.Count)
		fmt.Fprintf(w, "skillpass_grpc_server_handling_seconds_sum{%s} %g\n", labels, s.Latency.Seconds())
		fmt.Fprintf(w, "skillpass_grpc_server_handling_seconds_count{%s} %d\n", labels, s.Count)
	}
	writeProcessMetrics(w)
}
