package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// report is the whole run's result, the --json output.
type report struct {
	Addr        string  `json:"addr"`
	Clients     int     `json:"clients"`
	Conns       int     `json:"conns"`
	ClientCPUs  int     `json:"client_cpus"`
	Issue       summary `json:"issue"`
	VerifyProbe summary `json:"verify_probe"`
	VerifyPaced summary `json:"verify_paced"`
	// The baseline of the same run: a no-op call (the gRPC health check,
	// through the same connections, interceptors and server) at the
	// probe's concurrency and at the paced rate, so the verification
	// figures can be read against what any call costs on this machine.
	NoopProbe     summary   `json:"noop_probe"`
	NoopPaced     summary   `json:"noop_paced"`
	TokensIssued  int       `json:"tokens_kept"`
	TokensReused  int64     `json:"tokens_reused"`
	RawP256Micros float64   `json:"raw_p256_verify_us,omitempty"` // with --metrics-url
	PacerLateP50  float64   `json:"pacer_late_p50_ms"`
	PacerLateP99  float64   `json:"pacer_late_p99_ms"`
	Notes         []string  `json:"notes,omitempty"`
	phasesInOrder []summary // for the table
}

// Run runs skillpass-load with args and returns the exit code: 0 when
// every phase ran without errors, 1 when calls failed or the run could not
// start, 2 for a bad command line.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "skillpass-load: %v\nRun 'skillpass-load --help' for usage.\n", err)
		return 2
	}
	rep, err := run(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "skillpass-load: %v\n", err)
		return 1
	}
	if cfg.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = writeTable(stdout, rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "skillpass-load: %v\n", err)
		return 1
	}
	for _, s := range rep.phasesInOrder {
		if len(s.Errors) > 0 {
			return 1
		}
	}
	return 0
}

func run(ctx context.Context, cfg *config, progress io.Writer) (*report, error) {
	conns, err := dial(cfg)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, cc := range conns {
			cc.Close()
		}
	}()
	rep := &report{Addr: cfg.addr, Clients: cfg.clients, Conns: cfg.conns, ClientCPUs: runtime.NumCPU()}
	var cpu *serverCPU
	var rawNanos float64
	if cfg.metricsURL != "" {
		cpu = newServerCPU(cfg.metricsURL)
		if _, err := cpu.read(ctx); err != nil {
			return nil, err
		}
		// Before any load, so the baseline is the check's own cost; it is
		// measured again before each phase (measure).
		fmt.Fprintf(progress, "measuring the raw ECDSA P-256 verification baseline ...\n")
		if rawNanos, err = rawP256Nanos(time.Second); err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		rep.RawP256Micros = rawNanos / 1e3
	}
	// measure runs one phase of calls to method and, with --metrics-url,
	// charges it the server CPU spent meanwhile.
	measure := func(name, method string, phase func() (time.Duration, []*recorder)) (summary, error) {
		var before cpuReading
		phaseRaw := rawNanos
		if cpu != nil {
			// The baseline again, with the server idle between phases,
			// so that each row is compared with the machine as it is now.
			if phaseRaw, err = rawP256Nanos(rawPerPhase); err != nil {
				return summary{}, fmt.Errorf("baseline: %w", err)
			}
			if before, err = cpu.read(ctx); err != nil {
				return summary{}, err
			}
		}
		self := selfCPUSeconds()
		elapsed, recs := phase()
		s := summarize(name, elapsed, recs)
		if s.Ops > 0 {
			s.ClientCPUMicros = (selfCPUSeconds() - self) / float64(s.Ops) * 1e6
		}
		if cpu != nil {
			after, err := cpu.read(context.WithoutCancel(ctx))
			if err != nil {
				return summary{}, err
			}
			s.attach(before, after, phaseRaw, method)
		}
		return s, nil
	}

	fmt.Fprintf(progress, "setting up on %s ...\n", cfg.addr)
	tg, err := setup(ctx, conns[0], cfg)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}

	fmt.Fprintf(progress, "phase 1: issuing with %d clients for %s ...\n", cfg.clients, cfg.duration)
	is := newIssuer(conns, tg, cfg.maxTokens, cfg.requestIDs)
	if rep.Issue, err = measure("issue (closed loop)", pb.IssuanceService_IssueCredential_FullMethodName, func() (time.Duration, []*recorder) {
		return closedLoop(ctx, cfg.clients, cfg.duration, is.issue)
	}); err != nil {
		return nil, err
	}
	if len(is.tokens) == 0 {
		return nil, fmt.Errorf("phase 1 issued nothing: %s", rep.Issue.FirstError)
	}
	rep.TokensIssued = len(is.tokens)

	fmt.Fprintf(progress, "phase 2: probing the maximum verification rate for %s ...\n", cfg.probeDuration)
	v := newVerifier(conns, is.tokens)
	if rep.VerifyProbe, err = measure("verify max (closed loop)", pb.VerificationService_VerifyCredential_FullMethodName, func() (time.Duration, []*recorder) {
		return closedLoop(ctx, cfg.clients, cfg.probeDuration, v.verify)
	}); err != nil {
		return nil, err
	}
	probeReused := v.reused()
	rate := cfg.verifyRate
	if rate == 0 {
		rate = rep.VerifyProbe.Rate / 2
	}
	if rate <= 0 {
		return nil, fmt.Errorf("the verification probe completed nothing: %s", rep.VerifyProbe.FirstError)
	}
	fmt.Fprintf(progress, "phase 2: verifying at %.0f/s for %s ...\n", rate, cfg.pacedDuration)
	// measurePaced runs op on the paced schedule and returns the phase
	// and how late the pacer sent each call.
	measurePaced := func(name, method string, op func(context.Context, int) (string, string)) (s summary, late []time.Duration, err error) {
		s, err = measure(name, method, func() (time.Duration, []*recorder) {
			elapsed, recs, l := paced(ctx, rate, cfg.pacedDuration, op)
			late = l
			return elapsed, recs
		})
		s.TargetRate = rate
		slices.Sort(late)
		return s, late, err
	}
	var late, noopLate []time.Duration
	if rep.VerifyPaced, late, err = measurePaced("verify paced (open loop)", pb.VerificationService_VerifyCredential_FullMethodName, v.verify); err != nil {
		return nil, err
	}
	if len(late) > 0 {
		rep.PacerLateP50, rep.PacerLateP99 = ms(quantile(late, 0.5)), ms(quantile(late, 0.99))
		rep.Notes = append(rep.Notes, fmt.Sprintf("the pacer sent calls late by p50 %.3f ms, p99 %.3f ms: that lateness is included in the paced latencies", rep.PacerLateP50, rep.PacerLateP99))
	}

	fmt.Fprintf(progress, "baseline: no-op calls (health check), closed loop for %s, then at %.0f/s for %s ...\n", cfg.probeDuration, rate, cfg.pacedDuration)
	noop := newNoop(conns)
	if rep.NoopProbe, err = measure("no-op max (closed loop)", healthpb.Health_Check_FullMethodName, func() (time.Duration, []*recorder) {
		return closedLoop(ctx, cfg.clients, cfg.probeDuration, noop.call)
	}); err != nil {
		return nil, err
	}
	if rep.NoopPaced, noopLate, err = measurePaced("no-op paced (open loop)", healthpb.Health_Check_FullMethodName, noop.call); err != nil {
		return nil, err
	}
	if n := pacedCostNote("verify", rep.VerifyProbe, rep.VerifyPaced, onThisMachine(cfg.addr), rep.ClientCPUs); n != "" {
		rep.Notes = append(rep.Notes, n)
	}
	if len(noopLate) > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("no-op rows: the gRPC health check through the same server, the baseline of this run; the pacer was late by p99 %.3f ms there", ms(quantile(noopLate, 0.99))))
	}
	rep.TokensReused = v.reused()
	if rep.TokensReused > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d verifications reused a token (phase 1 kept %d; %d of them in the probe): those may be served from the verdict cache; "+
			"run phase 1 longer or raise --max-tokens for distinct tokens only", rep.TokensReused, rep.TokensIssued, probeReused))
	}
	if ctx.Err() != nil {
		rep.Notes = append(rep.Notes, "interrupted: the figures cover only part of the run")
	}
	rep.phasesInOrder = []summary{rep.Issue, rep.VerifyProbe, rep.VerifyPaced, rep.NoopProbe, rep.NoopPaced}
	return rep, nil
}

// dial opens cfg.conns connections: several connections spread the load
// over several HTTP/2 streams' flow control and server read loops, as
// many independent clients would.
func dial(cfg *config) ([]*grpc.ClientConn, error) {
	creds := insecure.NewCredentials()
	if cfg.tlsCA != "" {
		c, err := credentials.NewClientTLSFromFile(cfg.tlsCA, "")
		if err != nil {
			return nil, fmt.Errorf("--tls-ca: %w", err)
		}
		creds = c
	}
	var conns []*grpc.ClientConn
	for range cfg.conns {
		cc, err := grpc.NewClient(cfg.addr, grpc.WithTransportCredentials(creds))
		if err != nil {
			for _, c := range conns {
				c.Close()
			}
			return nil, fmt.Errorf("connect to %s: %w", cfg.addr, err)
		}
		conns = append(conns, cc)
	}
	return conns, nil
}

// phaseBaselines describes the baselines measured right before the
// phases, which their rows are divided by, or is "" if there are none.
func phaseBaselines(phases []summary) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range phases {
		if s.RawP256Micros > 0 {
			lo, hi = min(lo, s.RawP256Micros), max(hi, s.RawP256Micros)
		}
	}
	if lo > hi {
		return ""
	}
	return fmt.Sprintf("; %.1f-%.1f us right before the phases, and each row is divided by the one measured right before it", lo, hi)
}

func writeTable(w io.Writer, rep *report) error {
	fmt.Fprintf(w, "skillpass-load against %s: %d clients over %d connections, client machine %d CPUs\n\n", rep.Addr, rep.Clients, rep.Conns, rep.ClientCPUs)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	withCPU := rep.RawP256Micros > 0
	head := "PHASE\tOPS\tSECONDS\tRATE/S\tTARGET/S\tP50 MS\tP90 MS\tP99 MS\tMAX MS\tERRORS"
	if withCPU {
		head += "\tSERVER CPU US/OP\tX RAW P-256\tGC SHARE\tCLIENT CPU US/OP\tSERVER P99 MS"
	}
	fmt.Fprintln(tw, head)
	for _, s := range rep.phasesInOrder {
		target := "-"
		if s.TargetRate > 0 {
			target = fmt.Sprintf("%.0f", s.TargetRate)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.0f\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%s",
			s.Phase, s.Ops, s.Seconds, s.Rate, target, s.P50, s.P90, s.P99, s.Max, errorList(s.Errors))
		if withCPU {
			fmt.Fprintf(tw, "\t%.1f\t%.2f\t%.0f%%\t%.1f\t%s", s.ServerCPUMicros, s.ServerCPURawP256, s.ServerGCShare*100, s.ClientCPUMicros, serverP99(s))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range rep.phasesInOrder {
		if s.FirstError != "" {
			fmt.Fprintf(w, "\nfirst error in %s: %s\n", s.Phase, s.FirstError)
		}
	}
	if withCPU {
		fmt.Fprintf(w, "\nraw ECDSA P-256 verification on this machine: %.1f us before the load%s (the X RAW P-256 baseline; issuance is compared with it too, though it signs rather than verifies)\n",
			rep.RawP256Micros, phaseBaselines(rep.phasesInOrder))
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
	return nil
}

func errorList(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	var parts []string
	for k, n := range m {
		parts = append(parts, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// serverP99 shows the bucket bound of the server's 99th percentile: "<=2"
// means the server handled 99% of the phase's calls within 2 ms.
func serverP99(s summary) string {
	switch {
	case s.ServerP99Ms == 0:
		return "-"
	case s.ServerP99Over:
		return fmt.Sprintf(">%g", s.ServerP99Ms)
	}
	return fmt.Sprintf("<=%g", s.ServerP99Ms)
}
