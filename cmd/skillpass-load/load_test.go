package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "root.token")
	if err := os.WriteFile(tokenFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		wantErr   string
		wantToken string
	}{
		{name: "ok/token file", args: []string{"--root-token-file", tokenFile}, wantToken: "s3cret"},
		{name: "ok/token from env", env: map[string]string{"SKILLPASS_TOKEN": "envtok"}, wantToken: "envtok"},
		{name: "ok/token file from env", env: map[string]string{"SKILLPASS_TOKEN_FILE": tokenFile}, wantToken: "s3cret"},
		{name: "error/no token", wantErr: "no root token"},
		{name: "error/zero clients", args: []string{"--root-token-file", tokenFile, "--clients", "0"}, wantErr: "--clients: want 1 or more"},
		{name: "error/more conns than clients", args: []string{"--root-token-file", tokenFile, "--clients", "2", "--conns", "3"}, wantErr: "--conns: want 1 to --clients (2)"},
		{name: "error/zero duration", args: []string{"--root-token-file", tokenFile, "--duration", "0s"}, wantErr: "--duration: want more than 0"},
		{name: "error/negative paced duration", args: []string{"--root-token-file", tokenFile, "--paced-duration", "-1s"}, wantErr: "--paced-duration: want 0 or more"},
		{name: "error/negative rate", args: []string{"--root-token-file", tokenFile, "--verify-rate", "-5"}, wantErr: "--verify-rate: want 0 or more"},
		{name: "ok/counter request ids", args: []string{"--root-token-file", tokenFile, "--request-ids", "counter"}, wantToken: "s3cret"},
		{name: "error/unknown request id form", args: []string{"--root-token-file", tokenFile, "--request-ids", "uuid4"}, wantErr: `--request-ids: want uuid7 or counter, got "uuid4"`},
		{name: "error/positional argument", args: []string{"--root-token-file", tokenFile, "now"}, wantErr: "unexpected arguments"},
		{name: "error/metrics url not http", args: []string{"--root-token-file", tokenFile, "--metrics-url", "127.0.0.1:7701"}, wantErr: "--metrics-url: want an http(s) URL"},
		{name: "ok/metrics url from env", env: map[string]string{"SKILLPASS_TOKEN": "envtok", "SKILLPASS_METRICS_URL": "http://127.0.0.1:7701/metrics"}, wantToken: "envtok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.rootToken != tt.wantToken {
				t.Fatalf("token %q, err %v; want %q", c.rootToken, err, tt.wantToken)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(t.Context(), []string{"--help"}, func(string) string { return "" }, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "no coordinated omission") {
		t.Errorf("--help: exit %d, stdout %q", code, stdout.String())
	}
	if code := Run(t.Context(), []string{"--clients", "x"}, func(string) string { return "" }, &stdout, &stderr); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}

func TestSummarize(t *testing.T) {
	a, b := newRecorder(), newRecorder()
	for i := 1; i <= 100; i++ {
		r := a
		if i%2 == 0 {
			r = b
		}
		r.ok(time.Duration(i) * time.Millisecond)
	}
	b.fail("Unavailable", "first")
	b.fail("Unavailable", "second")
	s := summarize("x", 2*time.Second, []*recorder{a, b})
	want := summary{Phase: "x", Ops: 100, Seconds: 2, Rate: 50, P50: 50, P90: 90, P99: 99, Max: 100,
		Errors: map[string]int{"Unavailable": 2}, FirstError: "first"}
	if s.Phase != want.Phase || s.Ops != want.Ops || s.Rate != want.Rate || s.P50 != want.P50 || s.P90 != want.P90 ||
		s.P99 != want.P99 || s.Max != want.Max || s.Errors["Unavailable"] != 2 || s.FirstError != want.FirstError {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
	if empty := summarize("none", time.Second, []*recorder{newRecorder()}); empty.Ops != 0 || empty.P99 != 0 {
		t.Errorf("empty phase: %+v", empty)
	}
}

func TestQuantileNearestRank(t *testing.T) {
	sorted := []time.Duration{1, 2, 3, 4}
	tests := []struct {
		name string
		q    float64
		want time.Duration
	}{
		{name: "ok/median of four is the second", q: 0.5, want: 2},
		{name: "ok/p99 of four is the last", q: 0.99, want: 4},
		{name: "ok/zero is the first", q: 0, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quantile(sorted, tt.q); got != tt.want {
				t.Errorf("quantile(%v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

// TestPacedSchedulesEveryCall checks that the open-loop pacer makes exactly
// rate×duration calls, records each, and never runs more than
// maxInFlight at once.
func TestPacedSchedulesEveryCall(t *testing.T) {
	var calls, inFlight, peak atomic.Int64
	op := func(ctx context.Context, worker int) (string, string) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		defer inFlight.Add(-1)
		if calls.Add(1)%10 == 0 {
			return "INVALID", "every tenth"
		}
		return "", ""
	}
	elapsed, recs, late := paced(t.Context(), 2000, 100*time.Millisecond, op)
	if len(late) != 200 {
		t.Errorf("pacer lateness recorded for %d calls, want 200", len(late))
	}
	s := summarize("p", elapsed, recs)
	if calls.Load() != 200 || s.Ops != 180 || s.Errors["INVALID"] != 20 {
		t.Errorf("calls %d, recorded ok %d, errors %v; want 200, 180, 20", calls.Load(), s.Ops, s.Errors)
	}
	if peak.Load() > maxInFlight {
		t.Errorf("peak in flight %d > %d", peak.Load(), maxInFlight)
	}
}

func TestRandomUUIDShape(t *testing.T) {
	u := randomUUID()
	if len(u) != 36 || u[14] != '4' || !strings.ContainsRune("89ab", rune(u[19])) || u == randomUUID() {
		t.Errorf("randomUUID() = %q: not a random version 4 UUID", u)
	}
}

// TestClosedLoopRecordsEveryCall checks that every call of every worker is
// recorded once, as a success or by its error kind, and that every worker
// takes part.
func TestClosedLoopRecordsEveryCall(t *testing.T) {
	const clients = 4
	var calls atomic.Int64
	var perWorker [clients]atomic.Int64
	op := func(ctx context.Context, worker int) (string, string) {
		perWorker[worker].Add(1)
		if calls.Add(1)%3 == 0 {
			return "Unavailable", "every third"
		}
		return "", ""
	}
	elapsed, recs := closedLoop(t.Context(), clients, 50*time.Millisecond, op)
	s := summarize("c", elapsed, recs)
	if int64(s.Ops+s.Errors["Unavailable"]) != calls.Load() || s.Errors["Unavailable"] != int(calls.Load()/3) {
		t.Errorf("recorded %d ok + %v, made %d calls", s.Ops, s.Errors, calls.Load())
	}
	for i := range perWorker {
		if perWorker[i].Load() == 0 {
			t.Errorf("worker %d made no call", i)
		}
	}
}

// TestWriteTableWithCPU: with --metrics-url the table has the server's
// CPU per call, its multiple of the raw check, and the GC share.
func TestWriteTableWithCPU(t *testing.T) {
	issue := summary{Phase: "issue (closed loop)", Ops: 10, Seconds: 2, Rate: 5, P50: 1.5, P99: 3, Max: 4}
	var b bytes.Buffer
	withCPU := issue
	withCPU.ServerCPUMicros, withCPU.ServerCPURawP256, withCPU.ServerGCShare = 250, 3.5, 0.05
	if err := writeTable(&b, &report{Addr: "x:1", Clients: 3, Conns: 1, ClientCPUs: 2, RawP256Micros: 71.4, phasesInOrder: []summary{withCPU}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SERVER CPU US/OP  X RAW P-256  GC SHARE  CLIENT CPU US/OP", "250.0             3.50         5%", "raw ECDSA P-256 verification on this machine: 71.4 us before the load ("} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table with server CPU lacks %q:\n%s", want, b.String())
		}
	}
	// Baselines measured before the phases are named with their range.
	b.Reset()
	second := withCPU
	withCPU.RawP256Micros, second.RawP256Micros = 70.2, 75.9
	if err := writeTable(&b, &report{Addr: "x:1", Clients: 3, Conns: 1, ClientCPUs: 2, RawP256Micros: 71.4, phasesInOrder: []summary{withCPU, second}}); err != nil {
		t.Fatal(err)
	}
	if want := "71.4 us before the load; 70.2-75.9 us right before the phases"; !strings.Contains(b.String(), want) {
		t.Errorf("table lacks %q:\n%s", want, b.String())
	}
}

func TestWriteTableWithoutCPU(t *testing.T) {
	issue := summary{Phase: "issue (closed loop)", Ops: 10, Seconds: 2, Rate: 5, P50: 1.5, P99: 3, Max: 4,
		Errors: map[string]int{"Unavailable": 2, "DeadlineExceeded": 1}, FirstError: "rpc error: unavailable"}
	paced := summary{Phase: "verify paced (open loop)", Ops: 8, Seconds: 2, Rate: 4, TargetRate: 4.2}
	var b bytes.Buffer
	if err := writeTable(&b, &report{Addr: "x:1", Clients: 3, Conns: 1, ClientCPUs: 2, phasesInOrder: []summary{issue, paced},
		Notes: []string{"reused"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "SERVER CPU") {
		t.Errorf("CPU columns without --metrics-url:\n%s", b.String())
	}
	for _, want := range []string{
		"against x:1: 3 clients over 1 connections",
		"issue (closed loop)       10   2.0      5       -         1.50    0.00    3.00    4.00    DeadlineExceeded=1,Unavailable=2\n",
		"verify paced (open loop)  8    2.0      4       4         0.00    0.00    0.00    0.00    0\n",
		"first error in issue (closed loop): rpc error: unavailable",
		"note: reused",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
