package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// globals are the flags every command accepts. Each has a SKILLPASS_*
// environment variable; a flag on the command line wins over it.
type globals struct {
	addr      string
	token     string
	tokenFile string
	tlsCA     string
	tlsCert   string
	tlsKey    string
	json      bool
	timeout   time.Duration

	// set records which globals were given on the command line, to tell a
	// conflict between two flags from a flag overriding the environment.
	set map[string]bool
}

const defaultAddr = "127.0.0.1:7700"

// globalFlagNames are hidden from a command's own flag list in --help.
var globalFlagNames = map[string]bool{
	"addr": true, "token": true, "token-file": true, "tls-ca": true,
	"tls-cert": true, "tls-key": true, "json": true, "timeout": true,
}

func globalsFromEnv(getenv func(string) string) (*globals, error) {
	g := &globals{
		addr:      defaultAddr,
		token:     getenv("SKILLPASS_TOKEN"),
		tokenFile: getenv("SKILLPASS_TOKEN_FILE"),
		tlsCA:     getenv("SKILLPASS_TLS_CA"),
		tlsCert:   getenv("SKILLPASS_TLS_CERT"),
		tlsKey:    getenv("SKILLPASS_TLS_KEY"),
		timeout:   time.Minute,
		set:       map[string]bool{},
	}
	if v := getenv("SKILLPASS_ADDR"); v != "" {
		g.addr = v
	}
	if v := getenv("SKILLPASS_JSON"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("SKILLPASS_JSON: want true or false, got %q", v)
		}
		g.json = b
	}
	if v := getenv("SKILLPASS_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("SKILLPASS_TIMEOUT: want a duration such as 30s, got %q", v)
		}
		g.timeout = d
	}
	return g, nil
}

// register adds the global flags to fs with the current values as defaults,
// so a flag given before the command survives registering them again on
// the command's own flag set.
func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.addr, "addr", g.addr, "`host:port` of skillpassd (env SKILLPASS_ADDR)")
	fs.StringVar(&g.token, "token", g.token, "bearer `token` to call with (env SKILLPASS_TOKEN); visible in the process list, prefer --token-file")
	fs.StringVar(&g.tokenFile, "token-file", g.tokenFile, "read the bearer token from `file` (env SKILLPASS_TOKEN_FILE)")
	fs.StringVar(&g.tlsCA, "tls-ca", g.tlsCA, "PEM `file` with the CA that signed the server certificate; enables TLS (env SKILLPASS_TLS_CA)")
	fs.StringVar(&g.tlsCert, "tls-cert", g.tlsCert, "PEM client certificate `file` for mutual TLS (env SKILLPASS_TLS_CERT)")
	fs.StringVar(&g.tlsKey, "tls-key", g.tlsKey, "PEM client key `file` for mutual TLS (env SKILLPASS_TLS_KEY)")
	fs.BoolVar(&g.json, "json", g.json, "print the response as protojson, for scripts (env SKILLPASS_JSON)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "give up on the call after this `duration`; 0 waits forever (env SKILLPASS_TIMEOUT)")
}

func (g *globals) noteSet(fs *flag.FlagSet) {
	fs.Visit(func(f *flag.Flag) {
		if globalFlagNames[f.Name] {
			g.set[f.Name] = true
		}
	})
}

// bearer resolves the token to send: --token, else --token-file, else the
// environment's SKILLPASS_TOKEN, else SKILLPASS_TOKEN_FILE. An empty
// --token= or --token-file= calls anonymously. readFile reads a token file.
func (g *globals) bearer(readFile func(string) (string, error)) (string, error) {
	switch {
	case g.set["token"] && g.set["token-file"]:
		return "", usagef("--token and --token-file exclude each other")
	case g.set["token"]:
		return g.token, nil
	case g.set["token-file"]:
		if g.tokenFile == "" {
			return "", nil // --token-file= calls anonymously despite the environment
		}
		return readFile(g.tokenFile)
	case g.token != "":
		return g.token, nil
	case g.tokenFile != "":
		return readFile(g.tokenFile)
	}
	return "", nil
}
