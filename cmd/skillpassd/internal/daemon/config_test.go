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

	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/verifier"
)

func TestParseConfig(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(notPEM, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	kekFile := filepath.Join(dir, "kek.key")
	writeTestKEK(t, kekFile, 0o600)
	openKEK := filepath.Join(dir, "open-kek.key")
	writeTestKEK(t, openKEK, 0o644)
	const kekHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
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
		{"ok/issuance defaults", nil, nil, func(t *testing.T, c *Config) {
			year := 365 * 24 * time.Hour
			if c.PublicBaseURL != "https://skillpass.localhost" || c.KeyPublishDelay != 24*time.Hour || c.KeyRetention != 6*year ||
				c.MaxCredentialValidity != 5*year || c.StatusListTTL != 5*time.Minute || c.kek != nil || c.KEKFile != "" ||
				c.RequestRetention != 30*24*time.Hour {
				t.Errorf("issuance defaults: %+v", c)
			}
			if c.KEKPath() != filepath.Join("skillpass-data", "kek.key") {
				t.Errorf("KEK path %s", c.KEKPath())
			}
		}, ""},
		{"ok/KEK file", []string{"--kek-file", kekFile}, nil, func(t *testing.T, c *Config) {
			if c.kek == nil || !strings.Contains(c.kekSource, kekFile) {
				t.Errorf("KEK from file: %v from %q", c.kek, c.kekSource)
			}
		}, ""},
		{"ok/KEK from the environment", nil, map[string]string{"SKILLPASS_KEK": kekHex}, func(t *testing.T, c *Config) {
			if c.kek == nil || c.kekSource != "environment SKILLPASS_KEK" {
				t.Errorf("KEK from env: %v from %q", c.kek, c.kekSource)
			}
		}, ""},
		{"ok/policy in days and years", []string{"--key-retention", "2y", "--max-credential-validity", "365d", "--key-publish-delay", "0s", "--status-list-ttl", "1s",
			"--public-base-url", "https://skills.example.nl/pass"}, nil, func(t *testing.T, c *Config) {
			day := 24 * time.Hour
			if c.KeyRetention != 730*day || c.MaxCredentialValidity != 365*day || c.KeyPublishDelay != 0 || c.StatusListTTL != time.Second ||
				c.PublicBaseURL != "https://skills.example.nl/pass" {
				t.Errorf("policy: %+v", c)
			}
		}, ""},
		{"ok/policy from the environment", nil, map[string]string{"SKILLPASS_KEY_RETENTION": "10y", "SKILLPASS_PUBLIC_BASE_URL": "https://pass.example"}, func(t *testing.T, c *Config) {
			if c.KeyRetention != 3650*24*time.Hour || c.MaxCredentialValidity != c.KeyRetention-issuer.MaxStartAhead || c.PublicBaseURL != "https://pass.example" {
				t.Errorf("policy from env: %+v", c)
			}
		}, ""},
		{"error/both KEK sources", []string{"--kek-file", kekFile}, map[string]string{"SKILLPASS_KEK": kekHex}, nil, "--kek-file (SKILLPASS_KEK_FILE): and SKILLPASS_KEK are both set"},
		{"error/missing KEK file", []string{"--kek-file", filepath.Join(dir, "none.key")}, nil, nil, "--kek-file (SKILLPASS_KEK_FILE): key-encryption key is invalid"},
		{"error/KEK file readable by others", []string{"--kek-file", openKEK}, nil, nil, "chmod 600"},
		{"error/short KEK in the environment", nil, map[string]string{"SKILLPASS_KEK": "c2VjcmV0"}, nil, "SKILLPASS_KEK: key-encryption key is invalid"},
		{"error/http base URL", []string{"--public-base-url", "http://skillpass.example"}, nil, nil, "--public-base-url (SKILLPASS_PUBLIC_BASE_URL): must be an absolute https URL"},
		{"error/base URL with query", []string{"--public-base-url", "https://skillpass.example/?x=1"}, nil, nil, "must not carry user info, query or fragment"},
		{"error/base URL with trailing slash", []string{"--public-base-url", "https://skillpass.example/"}, nil, nil, "must not end in a slash"},
		{"error/empty base URL", []string{"--public-base-url", ""}, nil, nil, "--public-base-url (SKILLPASS_PUBLIC_BASE_URL): is required"},
		{"error/negative publish delay", []string{"--key-publish-delay", "-1h"}, nil, nil, "--key-publish-delay (SKILLPASS_KEY_PUBLISH_DELAY): is -1h0m0s"},
		{"error/zero retention", []string{"--key-retention", "0y"}, nil, nil, "--key-retention (SKILLPASS_KEY_RETENTION): is 0s"},
		{"error/retention not a duration", []string{"--key-retention", "forever"}, nil, nil, `--key-retention (SKILLPASS_KEY_RETENTION): got "forever"`},
		{"error/retention too short for validity starting ahead", []string{"--key-retention", "365d"}, nil, nil, "--key-retention (SKILLPASS_KEY_RETENTION): got 8760h0m0s, want more than 8760h0m0s"},
		{"error/validity plus start-ahead beyond retention", []string{"--key-retention", "2y", "--max-credential-validity", "366d"}, nil, nil, "--max-credential-validity (SKILLPASS_MAX_CREDENTIAL_VALIDITY): got 8784h0m0s, want more than 0 and at most --key-retention minus"},
		{"error/validity beyond retention", []string{"--key-retention", "1y", "--max-credential-validity", "2y"}, nil, nil, "--max-credential-validity (SKILLPASS_MAX_CREDENTIAL_VALIDITY): got 17520h0m0s, want more than 0 and at most --key-retention"},
		{"error/status list ttl too short", []string{"--status-list-ttl", "10ms"}, nil, nil, "--status-list-ttl (SKILLPASS_STATUS_LIST_TTL): got 10ms, want at least 1s"},
		{"ok/request records kept forever", []string{"--request-retention", "0s"}, nil, func(t *testing.T, c *Config) {
			if c.RequestRetention != 0 {
				t.Errorf("request retention %s, want 0", c.RequestRetention)
			}
		}, ""},
		{"error/request retention under a day", []string{"--request-retention", "1h"}, nil, nil, "--request-retention (SKILLPASS_REQUEST_RETENTION): got 1h0m0s, want 0 (keep forever) or at least 24h"},
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
		{"ok/verdict cache default", nil, nil, func(t *testing.T, c *Config) {
			if c.VerdictCacheEntries != verifier.DefaultCacheEntries {
				t.Errorf("verdict cache %d, want %d", c.VerdictCacheEntries, verifier.DefaultCacheEntries)
			}
		}, ""},
		{"ok/verdict cache from the environment", nil, map[string]string{"SKILLPASS_VERDICT_CACHE": "50000"}, func(t *testing.T, c *Config) {
			if c.VerdictCacheEntries != 50000 {
				t.Errorf("verdict cache %d, want 50000", c.VerdictCacheEntries)
			}
		}, ""},
		{"error/verdict cache zero", []string{"--verdict-cache", "0"}, nil, nil, "--verdict-cache (SKILLPASS_VERDICT_CACHE): got 0, want 1 to 1000000"},
		{"error/verdict cache not a number", []string{"--verdict-cache", "10k"}, nil, nil, `--verdict-cache (SKILLPASS_VERDICT_CACHE): got "10k", want a number of verdicts`},
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

// TestConfigErrorsNeverShowTheKEK gives a KEK of the wrong length in the
// environment: the error must say what is wrong without repeating it.
func TestConfigErrorsNeverShowTheKEK(t *testing.T) {
	const secret = "0011223344556677889900112233445566778899"
	_, err := ParseConfig(nil, func(k string) string {
		if k == "SKILLPASS_KEK" {
			return secret
		}
		return ""
	}, &bytes.Buffer{})
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("got %v; want an error that does not contain the KEK", err)
	}
}

// writeTestKEK writes a fresh KEK file with mode perm.
func writeTestKEK(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	k, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteKEKFile(path, k); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
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
