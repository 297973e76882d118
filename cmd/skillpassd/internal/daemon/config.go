// Package daemon runs skillpassd: configuration from flags and SKILLPASS_*
// environment variables, validated before anything starts, and Run, which
// serves until its context ends.
package daemon

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/server"
	"github.com/skillpass-nl/skillpass/verifier"
)

// Limits on --max-message-bytes: below the minimum a backup chunk gets too
// small to be useful; above the maximum one call could hold a large part of
// the memory.
const (
	minMessageBytes = 64 << 10
	maxMessageBytes = 256 << 20
)

// maxVerdictCache bounds --verdict-cache: at ~5 KB a verdict, a million
// is about 5 GB of heap.
const maxVerdictCache = 1_000_000

// Config is the daemon's validated configuration.
type Config struct {
	DataDir         string
	Listen          string
	AddrFile        string
	LogFormat       string // "text" or "json"
	LogLevel        slog.Level
	TLSCert         string
	TLSKey          string
	TLSClientCA     string
	MaxMessageBytes int
	ShutdownTimeout time.Duration
	MetricsListen   string

	// Issuance.
	KEKFile               string
	PublicBaseURL         string
	KeyPublishDelay       time.Duration
	KeyRetention          time.Duration
	MaxCredentialValidity time.Duration
	StatusListTTL         time.Duration
	RequestRetention      time.Duration

	// Verification.
	VerdictCacheEntries int

	// tls is loaded while validating, so that a bad certificate stops the
	// daemon before it opens anything.
	tls *tls.Config
	// kek is loaded while validating from --kek-file or SKILLPASS_KEK; nil
	// means the KEK file in the data dir, created on first start.
	kek *keys.KEK
	// kekSource says where kek came from, for the log (never the key).
	kekSource string
}

// kekEnv holds the KEK itself. It is deliberately not a flag: a flag's
// value shows in ps and in shell history.
const kekEnv = "SKILLPASS_KEK"

// defaultPublicBaseURL is under .localhost (RFC 6761), which never
// resolves to someone else's server: fine for trying Skillpass out, and
// obviously wrong in a production credential.
const defaultPublicBaseURL = "https://skillpass.localhost"

// KEKPath is where the first start writes a generated KEK when neither
// --kek-file nor SKILLPASS_KEK is given.
func (c *Config) KEKPath() string { return filepath.Join(c.DataDir, "kek.key") }

// DatabasePath is the bbolt file inside the data dir.
func (c *Config) DatabasePath() string { return filepath.Join(c.DataDir, "skillpass.db") }

// RootTokenPath is where the first start writes the root token.
func (c *Config) RootTokenPath() string { return filepath.Join(c.DataDir, "root.token") }

// option is one flag with its environment variable. The table is the single
// source for parsing, the environment and --help.
type option struct {
	name, env, def, usage string
}

var options = []option{
	{"data-dir", "SKILLPASS_DATA_DIR", "./skillpass-data", "directory of the database and the root token (created 0700)"},
	{"listen", "SKILLPASS_LISTEN", "127.0.0.1:7700", "gRPC listen address host:port (loopback by default)"},
	{"addr-file", "SKILLPASS_ADDR_FILE", "", "after listening, write the actual host:port to this file (useful with port 0)"},
	{"log-format", "SKILLPASS_LOG_FORMAT", "text", "log format: text or json"},
	{"log-level", "SKILLPASS_LOG_LEVEL", "info", "log level: debug, info, warn or error"},
	{"tls-cert", "SKILLPASS_TLS_CERT", "", "TLS certificate file (PEM); enables TLS"},
	{"tls-key", "SKILLPASS_TLS_KEY", "", "TLS private key file (PEM); required with --tls-cert"},
	{"tls-client-ca", "SKILLPASS_TLS_CLIENT_CA", "", "CA file (PEM) for client certificates; enables mutual TLS"},
	{"max-message-bytes", "SKILLPASS_MAX_MESSAGE_BYTES", strconv.Itoa(server.DefaultMaxMessageBytes), "largest gRPC message received or sent, in bytes"},
	{"shutdown-timeout", "SKILLPASS_SHUTDOWN_TIMEOUT", "10s", "how long calls in flight may finish on SIGTERM before they are cut off"},
	{"metrics-listen", "SKILLPASS_METRICS_LISTEN", "", "serve Prometheus text metrics at http://<addr>/metrics (off if empty)"},
	{"kek-file", "SKILLPASS_KEK_FILE", "", "file with the key-encryption key that seals issuer keys (mode 0600; 32 bytes raw, hex or base64); default <data-dir>/kek.key, created on first start"},
	{"public-base-url", "SKILLPASS_PUBLIC_BASE_URL", defaultPublicBaseURL, "https URL under which issuer ids, profiles and status lists are published (no query, no trailing slash)"},
	{"key-publish-delay", "SKILLPASS_KEY_PUBLISH_DELAY", "24h", "how long a new issuer key is published before it signs"},
	{"key-retention", "SKILLPASS_KEY_RETENTION", "6y", "how long a retired issuer key stays published to verify what it signed (units h, m, s, d or y)"},
	{"max-credential-validity", "SKILLPASS_MAX_CREDENTIAL_VALIDITY", "", "longest validity of a credential; default and maximum the key retention minus one year (the furthest a validity may start ahead)"},
	{"status-list-ttl", "SKILLPASS_STATUS_LIST_TTL", "5m", "how long verifiers may cache a status list"},
	{"verdict-cache", "SKILLPASS_VERDICT_CACHE", strconv.Itoa(verifier.DefaultCacheEntries), "how many verdicts are kept for repeated verification of the same credential (each ~5 KB; a larger cache lengthens garbage collection)"},
	{"request-retention", "SKILLPASS_REQUEST_RETENTION", "30d", "how long a request id is remembered for idempotent retries (records older are swept hourly; 0 keeps them forever)"},
}

// ParseConfig reads the flags in args, with the SKILLPASS_* variables from
// getenv as defaults (a flag wins over its variable), and validates the
// result, including that the TLS files load. --help writes the usage to
// help and returns flag.ErrHelp.
func ParseConfig(args []string, getenv func(string) string, help io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("skillpassd", flag.ContinueOnError)
	// Errors are returned, not printed: main prints them once, with the
	// exit code that says "bad configuration".
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	values := make(map[string]*string, len(options))
	for _, o := range options {
		values[o.name] = fs.String(o.name, o.def, o.usage)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeUsage(help)
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: skillpassd takes only flags", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, o := range options {
		if v := getenv(o.env); v != "" && !set[o.name] {
			*values[o.name] = v
		}
	}
	return build(func(name string) string { return *values[name] }, getenv(kekEnv))
}

// build converts and validates the raw values, reporting every problem at
// once and naming each flag (with its variable) so either can be fixed.
func build(raw func(name string) string, kekText string) (*Config, error) {
	var errs problems
	bad := errs.flag
	c := &Config{
		DataDir:       raw("data-dir"),
		Listen:        raw("listen"),
		AddrFile:      raw("addr-file"),
		LogFormat:     raw("log-format"),
		TLSCert:       raw("tls-cert"),
		TLSKey:        raw("tls-key"),
		TLSClientCA:   raw("tls-client-ca"),
		MetricsListen: raw("metrics-listen"),
	}
	if c.DataDir == "" {
		bad("data-dir", "must not be empty")
	}
	if err := checkAddr(c.Listen); err != nil {
		bad("listen", "%v", err)
	}
	if c.MetricsListen != "" {
		if err := checkAddr(c.MetricsListen); err != nil {
			bad("metrics-listen", "%v", err)
		}
	}
	if c.AddrFile != "" {
		if fi, err := os.Stat(filepath.Dir(c.AddrFile)); err != nil || !fi.IsDir() {
			bad("addr-file", "directory %s does not exist", filepath.Dir(c.AddrFile))
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "got %q, want text or json", c.LogFormat)
	}
	level, ok := logLevels[strings.ToLower(raw("log-level"))]
	if !ok {
		bad("log-level", "got %q, want debug, info, warn or error", raw("log-level"))
	}
	c.LogLevel = level
	// intIn reads flag name as a whole number of unit from lo to hi.
	intIn := func(name, unit string, lo, hi int) int {
		n, err := strconv.Atoi(raw(name))
		switch {
		case err != nil:
			bad(name, "got %q, want a number of %s", raw(name), unit)
		case n < lo || n > hi:
			bad(name, "got %d, want %d to %d", n, lo, hi)
		}
		return n
	}
	c.MaxMessageBytes = intIn("max-message-bytes", "bytes", minMessageBytes, maxMessageBytes)
	c.VerdictCacheEntries = intIn("verdict-cache", "verdicts", 1, maxVerdictCache)
	d, err := time.ParseDuration(raw("shutdown-timeout"))
	switch {
	case err != nil:
		bad("shutdown-timeout", "got %q, want a duration such as 10s", raw("shutdown-timeout"))
	case d <= 0:
		bad("shutdown-timeout", "got %s, want more than 0", d)
	}
	c.ShutdownTimeout = d
	switch {
	case c.TLSCert != "" && c.TLSKey == "":
		bad("tls-key", "is required with --tls-cert")
	case c.TLSKey != "" && c.TLSCert == "":
		bad("tls-cert", "is required with --tls-key")
	case c.TLSClientCA != "" && c.TLSCert == "":
		bad("tls-cert", "is required with --tls-client-ca: mutual TLS needs server TLS")
	default:
		if c.tls, err = server.LoadTLS(c.TLSCert, c.TLSKey, c.TLSClientCA); err != nil {
			bad("tls-cert", "%v", err)
		}
	}
	c.buildIssuance(raw, kekText, &errs)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// problems collects every configuration problem, so one run reports them
// all.
type problems []error

// flag records a problem with a flag, naming it with its variable so
// either can be fixed.
func (p *problems) flag(name, format string, args ...any) {
	*p = append(*p, fmt.Errorf("--%s (%s): %s", name, envOf(name), fmt.Sprintf(format, args...)))
}

var logLevels = map[string]slog.Level{
	"debug": slog.LevelDebug,
	"info":  slog.LevelInfo,
	"warn":  slog.LevelWarn,
	"error": slog.LevelError,
}

// checkAddr accepts host:port with a numeric port; an empty host means every
// interface.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("got %q, want host:port", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("got %q, want a port number 0-65535", addr)
	}
	return nil
}

func envOf(name string) string { return lookupOption(name).env }

// lookupOption returns the option called name; the zero option if there
// is none.
func lookupOption(name string) option {
	for _, o := range options {
		if o.name == name {
			return o
		}
	}
	return option{}
}

func writeUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: skillpassd [flags]

skillpassd serves the Skillpass trust registry and admin API over gRPC.
Every flag can also be set by its environment variable; a flag wins.
The key-encryption key may instead be given in the environment itself as
SKILLPASS_KEK (hex or base64 of 32 bytes); it is not a flag, so it never
shows in the process list.

Subcommands:
  skillpassd rewrap-kek --data-dir D --old-kek-file A --new-kek-file B
      re-seals every issuer key from KEK A to KEK B (B is created if it
      does not exist); run it while the daemon is stopped.

Flags:
`)
	for _, o := range options {
		def := ""
		if o.def != "" {
			def = fmt.Sprintf(", default %s", o.def)
		}
		fmt.Fprintf(w, "  --%-24s %s\n  %-26s (env %s%s)\n", o.name, o.usage, "", o.env, def)
	}
}
