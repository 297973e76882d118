package daemon

import (
	"bytes"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(notPEM, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(t *testing.T, c *Config)
		wantErr string // substring; "" for success
	}{
		{"ok/defaults", nil, nil, func(t *testing.T, c *Config) {
			if c.DataDir != "./skillpass-data" || c.Listen != "127.0.0.1:7700" || c.LogFormat != "text" ||
				c.LogLevel != slog.LevelInfo || c.MaxMessageBytes != 4194304 || c.ShutdownTimeout != 10*time.Second ||
				c.MetricsListen != "" || c.tls != nil {
				t.Errorf("defaults: %+v", c)
			}
			if c.DatabasePath() != filepath.Join("skillpass-data", "skillpass.db") {
				t.Errorf("database path %s", c.DatabasePath())
			}
		}, ""},
		{"ok/environment", nil, map[string]string{"SKILLPASS_LISTEN": "127.0.0.1:9000", "SKILLPASS_LOG_LEVEL": "debug", "SKILLPASS_SHUTDOWN_TIMEOUT": "3s"}, func(t *testing.T, c *Config) {
			if c.Listen != "127.0.0.1:9000" || c.LogLevel != slog.LevelDebug || c.ShutdownTimeout != 3*time.Second {
				t.Errorf("from env: %+v", c)
			}
		}, ""},
		{"ok/flag wins over environment", []string{"--listen", "127.0.0.1:9001", "--log-format=json"}, map[string]string{"SKILLPASS_LISTEN": "127.0.0.1:9000", "SKILLPASS_LOG_FORMAT": "text"}, func(t *testing.T, c *Config) {
			if c.Listen != "127.0.0.1:9001" || c.LogFormat != "json" {
				t.Errorf("flag did not win: %+v", c)
			}
		}, ""},
		{"error/unknown flag", []string{"--lissen", "x"}, nil, nil, "flag provided but not defined: -lissen"},
		{"error/positional argument", []string{"serve"}, nil, nil, `unexpected argument "serve"`},
		{"error/bad duration", []string{"--shutdown-timeout", "soon"}, nil, nil, "--shutdown-timeout (SKILLPASS_SHUTDOWN_TIMEOUT)"},
		{"error/bad duration from environment", nil, map[string]string{"SKILLPASS_SHUTDOWN_TIMEOUT": "-1s"}, nil, "--shutdown-timeout (SKILLPASS_SHUTDOWN_TIMEOUT): got -1s"},
		{"error/bad listen address", []string{"--listen", "localhost"}, nil, nil, "--listen (SKILLPASS_LISTEN)"},
		{"error/bad port", []string{"--listen", "127.0.0.1:99999"}, nil, nil, "want a port number"},
		{"error/bad metrics address", []string{"--metrics-listen", "nope"}, nil, nil, "--metrics-listen"},
		{"error/bad log level", []string{"--log-level", "loud"}, nil, nil, `--log-level (SKILLPASS_LOG_LEVEL): got "loud"`},
		{"error/bad log format", []string{"--log-format", "xml"}, nil, nil, "--log-format"},
		{"error/message size not a number", []string{"--max-message-bytes", "4M"}, nil, nil, "--max-message-bytes"},
		{"error/message size too small", []string{"--max-message-bytes", "1024"}, nil, nil, "want 65536 to"},
		{"error/empty data dir", []string{"--data-dir", ""}, nil, nil, "--data-dir"},
		{"error/addr file in a missing directory", []string{"--addr-file", filepath.Join(dir, "no", "addr")}, nil, nil, "--addr-file"},
		{"error/cert without key", []string{"--tls-cert", notPEM}, nil, nil, "--tls-key (SKILLPASS_TLS_KEY): is required with --tls-cert"},
		{"error/key without cert", []string{"--tls-key", notPEM}, nil, nil, "--tls-cert (SKILLPASS_TLS_CERT): is required with --tls-key"},
		{"error/client CA without cert", []string{"--tls-client-ca", notPEM}, nil, nil, "mutual TLS needs server TLS"},
		{"error/unreadable cert", []string{"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", notPEM}, nil, nil, "load TLS certificate"},
		{"error/several problems at once", []string{"--log-level", "loud", "--log-format", "xml"}, nil, nil, "--log-format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			c, err := ParseConfig(tt.args, getenv, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestHelpListsEveryFlagWithItsVariable(t *testing.T) {
	var out bytes.Buffer
	_, err := ParseConfig([]string{"--help"}, func(string) string { return "" }, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("got %v, want flag.ErrHelp", err)
	}
	for _, o := range options {
		if !strings.Contains(out.String(), "--"+o.name) || !strings.Contains(out.String(), o.env) {
			t.Errorf("help lacks --%s or %s:\n%s", o.name, o.env, out.String())
		}
	}
}
