package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"
)

// The forms of --request-ids.
const (
	requestIDsUUID7   = "uuid7"
	requestIDsCounter = "counter"
)

// config is the parsed command line.
type config struct {
	addr          string
	tlsCA         string
	rootToken     string
	clients       int
	conns         int
	duration      time.Duration
	probeDuration time.Duration
	pacedDuration time.Duration
	verifyRate    float64
	maxTokens     int
	requestIDs    string
	sector        string
	profile       string
	issuer        string
	json          bool
	metricsURL    string
}

const usageHead = `Usage: skillpass-load [flags]

Measures a running skillpassd: phase 1 issues credentials with --clients
concurrent clients for --duration and reports credentials/s and latency;
phase 2 finds the maximum verification throughput in a short probe, then
verifies the distinct credentials from phase 1 at half that rate (or
--verify-rate) on a paced open-loop schedule for --duration. Latency in
phase 2 counts from each request's scheduled send time, so queueing in a
slow server is not hidden (no coordinated omission).

With --metrics-url pointing at the daemon's metrics, every phase also
reports the server's own CPU time per call (from process_cpu_seconds_total)
and, for verification, that CPU as a multiple of one raw ECDSA P-256
signature check measured by this command, with no calls in flight, right
before that phase (a shared machine's speed drifts during a run).

The root token (--root-token-file, else SKILLPASS_TOKEN, else
SKILLPASS_TOKEN_FILE) sets up, or reuses, a sector, a published profile, an
issuer with a signing key, an accreditation and an issuer client token.

Example:
  skillpass-load --root-token-file skillpass-data/root.token --clients 64 --duration 20s

Flags:
`

// parseConfig parses args; getenv supplies SKILLPASS_* defaults. It
// returns flag.ErrHelp after printing help to stdout.
func parseConfig(args []string, getenv func(string) string, stdout io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("skillpass-load", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := getenv("SKILLPASS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:7700"
	}
	fs.StringVar(&c.addr, "addr", addr, "`host:port` of skillpassd (env SKILLPASS_ADDR)")
	fs.StringVar(&c.tlsCA, "tls-ca", getenv("SKILLPASS_TLS_CA"), "PEM `file` with the CA of the server certificate; enables TLS (env SKILLPASS_TLS_CA)")
	tokenFile := fs.String("root-token-file", "", "`file` with the root token (default: env SKILLPASS_TOKEN, else SKILLPASS_TOKEN_FILE)")
	fs.IntVar(&c.clients, "clients", 64, "concurrent clients (`n`) in issuance and in the verification probe")
	fs.IntVar(&c.conns, "conns", 4, "gRPC connections (`n`) the clients share")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "how long each measured phase runs")
	fs.DurationVar(&c.probeDuration, "probe-duration", 3*time.Second, "how long the verification probe for the maximum rate runs")
	fs.DurationVar(&c.pacedDuration, "paced-duration", 0, "how long the paced verification runs; 0: --duration (shorter keeps it on distinct credentials)")
	fs.Float64Var(&c.verifyRate, "verify-rate", 0, "paced verification `rate` per second; 0: half the probe's maximum")
	fs.IntVar(&c.maxTokens, "max-tokens", 200000, "at most this many issued credentials are kept for phase 2; beyond that they are reused (and may hit the verdict cache)")
	fs.StringVar(&c.requestIDs, "request-ids", requestIDsUUID7, "form of the issuance request ids: "+requestIDsUUID7+" (time-ordered, as the skillpass CLI sends; recorded in time order) or "+requestIDsCounter+" (load-<run>-<n>; each record lands on a random page of the request index)")
	fs.StringVar(&c.sector, "sector", "skillpass-load", "sector `id` to set up or reuse")
	fs.StringVar(&c.profile, "profile", "load-profile", "profile `id` to set up or reuse (version 1)")
	fs.StringVar(&c.issuer, "issuer", "skillpass-load", "issuer `id` to set up or reuse")
	fs.BoolVar(&c.json, "json", false, "print the results as JSON")
	fs.StringVar(&c.metricsURL, "metrics-url", getenv("SKILLPASS_METRICS_URL"), "`URL` of skillpassd's metrics (its --metrics-listen, e.g. http://127.0.0.1:7701/metrics): reports the server's CPU per call (env SKILLPASS_METRICS_URL)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageHead)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case c.clients < 1:
		return nil, fmt.Errorf("--clients: want 1 or more, got %d", c.clients)
	case c.conns < 1 || c.conns > c.clients:
		return nil, fmt.Errorf("--conns: want 1 to --clients (%d), got %d", c.clients, c.conns)
	case c.duration <= 0:
		return nil, fmt.Errorf("--duration: want more than 0, got %s", c.duration)
	case c.probeDuration <= 0:
		return nil, fmt.Errorf("--probe-duration: want more than 0, got %s", c.probeDuration)
	case c.pacedDuration < 0:
		return nil, fmt.Errorf("--paced-duration: want 0 or more, got %s", c.pacedDuration)
	case c.verifyRate < 0:
		return nil, fmt.Errorf("--verify-rate: want 0 or more, got %g", c.verifyRate)
	case c.maxTokens < 1:
		return nil, fmt.Errorf("--max-tokens: want 1 or more, got %d", c.maxTokens)
	case c.requestIDs != requestIDsUUID7 && c.requestIDs != requestIDsCounter:
		return nil, fmt.Errorf("--request-ids: want %s or %s, got %q", requestIDsUUID7, requestIDsCounter, c.requestIDs)
	}
	if c.metricsURL != "" {
		if u, err := url.Parse(c.metricsURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--metrics-url: want an http(s) URL such as http://127.0.0.1:7701/metrics, got %q", c.metricsURL)
		}
	}
	if c.pacedDuration == 0 {
		c.pacedDuration = c.duration
	}
	tok, err := rootToken(*tokenFile, getenv)
	if err != nil {
		return nil, err
	}
	c.rootToken = tok
	return c, nil
}

func rootToken(file string, getenv func(string) string) (string, error) {
	if file == "" {
		if t := getenv("SKILLPASS_TOKEN"); t != "" {
			return t, nil
		}
		file = getenv("SKILLPASS_TOKEN_FILE")
	}
	if file == "" {
		return "", errors.New("no root token: give --root-token-file, or set SKILLPASS_TOKEN or SKILLPASS_TOKEN_FILE")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("root token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("root token file %s must hold one token and nothing else", file)
	}
	return tok, nil
}
