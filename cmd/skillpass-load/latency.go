package main

import (
	"math"
	"slices"
	"time"
)

// recorder collects one worker's results; workers never share one, so
// recording takes no lock. merge combines them after the phase.
type recorder struct {
	lat    []time.Duration
	errors map[string]int // by gRPC code or verdict problem
	first  string         // the first error message, to show what went wrong
}

func newRecorder() *recorder { return &recorder{errors: map[string]int{}} }

func (r *recorder) ok(d time.Duration) { r.lat = append(r.lat, d) }

func (r *recorder) fail(kind, msg string) {
	r.errors[kind]++
	if r.first == "" {
		r.first = msg
	}
}

// summary is one phase's result. Latencies are exact (all samples sorted),
// not estimated: a run of a few hundred thousand requests sorts in
// milliseconds, and exact percentiles need no explaining.
type summary struct {
	Phase      string         `json:"phase"`
	Ops        int            `json:"ops"`
	Errors     map[string]int `json:"errors,omitempty"`
	FirstError string         `json:"first_error,omitempty"`
	Seconds    float64        `json:"seconds"`
	Rate       float64        `json:"rate_per_second"`
	TargetRate float64        `json:"target_rate_per_second,omitempty"`
	P50        float64        `json:"p50_ms"`
	P90        float64        `json:"p90_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	// With --metrics-url: the server's CPU per successful call, that as a
	// multiple of one raw P-256 check, and the garbage collector's share.
	ServerCPUMicros  float64 `json:"server_cpu_us_per_op,omitempty"`
	ServerCPURawP256 float64 `json:"server_cpu_x_raw_p256,omitempty"`
	ServerGCShare    float64 `json:"server_gc_share,omitempty"`
	// RawP256Micros is the raw check this row is divided by: measured
	// again right before the phase, because a shared machine's speed
	// drifts during a run (by a fifth within an hour on the project's).
	RawP256Micros float64 `json:"raw_p256_verify_us,omitempty"`
	// The load generator's own CPU per call, which competes with the
	// server's when both run on one machine.
	ClientCPUMicros float64 `json:"client_cpu_us_per_op,omitempty"`
	// ServerP99Ms is the upper bound of the daemon's histogram bucket that
	// holds the 99th percentile of the phase's calls, timed inside the
	// server (metrics interceptor to handler return). ServerP99Over: the
	// percentile lies beyond that bound, the histogram's last finite one.
	ServerP99Ms   float64 `json:"server_handling_p99_ms_at_most,omitempty"`
	ServerP99Over bool    `json:"server_handling_p99_over_last_bound,omitempty"`
}

// summarize merges the recorders of a phase that took elapsed.
func summarize(phase string, elapsed time.Duration, recs []*recorder) summary {
	s := summary{Phase: phase, Seconds: elapsed.Seconds()}
	var all []time.Duration
	for _, r := range recs {
		all = append(all, r.lat...)
		for k, n := range r.errors {
			if s.Errors == nil {
				s.Errors = map[string]int{}
			}
			s.Errors[k] += n
		}
		if s.FirstError == "" {
			s.FirstError = r.first
		}
	}
	s.Ops = len(all)
	if elapsed > 0 {
		s.Rate = float64(s.Ops) / elapsed.Seconds()
	}
	if len(all) == 0 {
		return s
	}
	slices.Sort(all)
	s.P50, s.P90, s.P99 = ms(quantile(all, 0.50)), ms(quantile(all, 0.90)), ms(quantile(all, 0.99))
	s.Max = ms(all[len(all)-1])
	return s
}

// quantile is the nearest-rank quantile q of sorted samples: the smallest
// sample with at least q of all samples at or below it.
func quantile(sorted []time.Duration, q float64) time.Duration {
	rank := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
