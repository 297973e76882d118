package server

import (
	"fmt"
	"io"
	"runtime/metrics"
)

// The process figures that tell what a call costs the server in CPU, not
// only how long it took: a load generator reads them before and after a
// run and divides by the calls made (cmd/skillpass-load does). The names
// are the Prometheus client's standard ones, so existing dashboards work.
//
// process_cpu_seconds_total is user plus system time from getrusage on
// Unix. go_cpu_gc_seconds_total is the runtime's own estimate of the CPU
// spent collecting garbage (runtime/metrics), to see how much of that CPU
// the collector takes.
const gcCPUMetric = "/cpu/classes/gc/total:cpu-seconds"

func writeProcessMetrics(w io.Writer) {
	if cpu, ok := processCPUSeconds(); ok {
		fmt.Fprintln(w, "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.")
		fmt.Fprintln(w, "# TYPE process_cpu_seconds_total counter")
		fmt.Fprintf(w, "process_cpu_seconds_total %g\n", cpu)
	}
	s := []metrics.Sample{{Name: gcCPUMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindFloat64 {
		fmt.Fprintln(w, "# HELP go_cpu_gc_seconds_total Estimated CPU time spent by the Go garbage collector, in seconds.")
		fmt.Fprintln(w, "# TYPE go_cpu_gc_seconds_total counter")
		fmt.Fprintf(w, "go_cpu_gc_seconds_total %g\n", s[0].Value.Float64())
	}
}
