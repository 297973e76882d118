package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serverCPU reads the daemon's own CPU time from its metrics endpoint
// (skillpassd --metrics-listen), so a phase's server CPU per call is
// measured where it is spent rather than guessed from latency, which
// includes the network, the client and queueing.
type serverCPU struct {
	url    string
	client *http.Client
}

// cpuReading is one scrape of the daemon's counters: CPU in seconds, and
// the handling-time histograms of successful calls by method.
type cpuReading struct {
	total, gc float64
	handling  map[string]*handlingHist
}

func newServerCPU(url string) *serverCPU {
	return &serverCPU{url: url, client: &http.Client{Timeout: 5 * time.Second}}
}

func (s *serverCPU) read(ctx context.Context) (cpuReading, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return cpuReading{}, fmt.Errorf("--metrics-url: %w", err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return cpuReading{}, fmt.Errorf("read server metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return cpuReading{}, fmt.Errorf("read server metrics: %s answered %s", s.url, resp.Status)
	}
	r := cpuReading{handling: map[string]*handlingHist{}}
	found := false
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if err := addHandlingLine(r.handling, sc.Text()); err != nil {
			return cpuReading{}, fmt.Errorf("read server metrics: %w", err)
		}
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok || (name != "process_cpu_seconds_total" && name != "go_cpu_gc_seconds_total") {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return cpuReading{}, fmt.Errorf("read server metrics: %s: %w", name, err)
		}
		if name == "process_cpu_seconds_total" {
			r.total, found = v, true
		} else {
			r.gc = v
		}
	}
	if err := sc.Err(); err != nil {
		return cpuReading{}, fmt.Errorf("read server metrics: %w", err)
	}
	if !found {
		return cpuReading{}, fmt.Errorf("read server metrics: %s has no process_cpu_seconds_total", s.url)
	}
	return r, nil
}

// attach adds the server CPU spent between before and after to a phase's
// summary: per successful call, as a multiple of the raw P-256 check
// (rawNanos, measured in this run), and the collector's share; and the
// bucket of the server's handling-time histogram that holds the 99th
// percentile of the phase's method.
func (s *summary) attach(before, after cpuReading, rawNanos float64, method string) {
	if s.Ops == 0 {
		return
	}
	if p99, over, ok := handlingP99(before.handling[method], after.handling[method]); ok {
		s.ServerP99Ms, s.ServerP99Over = p99, over
	}
	cpu := after.total - before.total
	s.ServerCPUMicros = cpu / float64(s.Ops) * 1e6
	if rawNanos > 0 {
		s.RawP256Micros = rawNanos / 1e3
		s.ServerCPURawP256 = s.ServerCPUMicros * 1e3 / rawNanos
	}
	if cpu > 0 {
		s.ServerGCShare = (after.gc - before.gc) / cpu
	}
}

// rawPerPhase is how long the baseline is measured again before each phase.
const rawPerPhase = 500 * time.Millisecond

// rawP256Nanos measures one ECDSA P-256 verification of a SHA-256 digest
// on one goroutine for about d: the signature check that every distinct
// ES256 credential needs, and the baseline the server's CPU per
// verification is compared with. It runs while no calls are in flight,
// before the load and again before each phase, so that it is the check's
// own cost on the machine as it is at that moment.
func rawP256Nanos(d time.Duration) (float64, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return 0, err
	}
	digest := sha256.Sum256([]byte("skillpass-load baseline"))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return 0, err
	}
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		for range 100 {
			if !ecdsa.VerifyASN1(&key.PublicKey, digest[:], sig) {
				return 0, fmt.Errorf("baseline signature does not verify")
			}
		}
		n += 100
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n), nil
}
