package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/skillpass-nl/skillpass/admin"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/registry"
	"github.com/skillpass-nl/skillpass/server"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/bolt"
	"github.com/skillpass-nl/skillpass/verifier"
)

// Run starts the daemon with a configuration from ParseConfig and serves
// until ctx ends, then stops gracefully: calls in flight get
// cfg.ShutdownTimeout to finish, and the database is closed. Logs go to
// logOut.
func Run(ctx context.Context, cfg *Config, logOut io.Writer) (err error) {
	log := newLogger(cfg, logOut)

	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	if err := checkStaleRootToken(cfg); err != nil {
		return err
	}
	st, err := bolt.Open(cfg.DatabasePath(), bolt.Options{})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close database: %w", cerr))
		}
	}()
	log.Info("database opened", "path", cfg.DatabasePath())

	adminSvc := admin.New(admin.Config{Store: st})
	registrySvc := registry.New(registry.Config{Store: st})
	// The KEK first: a wrong one stops the start before anything is
	// written.
	issuerSvc, verifierSvc, err := issuance(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	if err := bootstrap(ctx, cfg, adminSvc, log); err != nil {
		return err
	}

	metrics := server.NewMetrics()
	srv, err := server.New(server.Config{
		Registry:        registrySvc,
		Admin:           adminSvc,
		Issuer:          issuerSvc,
		Verifier:        verifierSvc,
		Logger:          log,
		Metrics:         metrics,
		TLS:             cfg.tls,
		MaxMessageBytes: cfg.MaxMessageBytes,
	})
	if err != nil {
		return err
	}

	lis, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	addr := lis.Addr().(*net.TCPAddr)
	if cfg.tls == nil && !addr.IP.IsLoopback() {
		log.Warn("serving without TLS on a non-loopback address: bearer tokens cross the network in clear text; set --tls-cert and --tls-key", "addr", addr.String())
	}

	var metricsSrv *http.Server
	if cfg.MetricsListen != "" {
		if metricsSrv, err = serveMetrics(cfg.MetricsListen, metrics, log); err != nil {
			lis.Close()
			return err
		}
	}

	// Stopped (and waited for) before the database closes: this defer
	// runs before the one that closes it.
	sweepCtx, stopSweep := context.WithCancel(context.Background())
	sweepDone := startRequestSweep(sweepCtx, st, cfg.RequestRetention, log)
	defer func() { stopSweep(); <-sweepDone }()

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(lis) }()
	log.Info("listening", "addr", addr.String(), "tls", cfg.tls != nil, "mutual_tls", cfg.TLSClientCA != "")

	// The addr file comes last, so whoever waits for it finds everything
	// up and logged.
	if cfg.AddrFile != "" {
		if werr := writeFileAtomic(cfg.AddrFile, []byte(addr.String()+"\n"), 0o644); werr != nil {
			err = fmt.Errorf("write addr file: %w", werr)
			log.Error("stopping", "error", err)
		}
	}
	if err == nil {
		select {
		case <-ctx.Done():
			log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
		case serr := <-serveErr:
			err = fmt.Errorf("serve gRPC: %w", serr)
			log.Error("serving failed", "error", serr)
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	srv.Shutdown(shutdownCtx)
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutdownCtx)
	}
	if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// issuance builds the issuer and verifier services on st with the KEK
// and the configured policy.
func issuance(ctx context.Context, cfg *Config, st store.Store, log *slog.Logger) (*issuer.Service, *verifier.Service, error) {
	kek, err := resolveKEK(ctx, cfg, st, log)
	if err != nil {
		return nil, nil, err
	}
	if err := pinBaseURL(cfg); err != nil {
		return nil, nil, err
	}
	if cfg.PublicBaseURL == defaultPublicBaseURL {
		log.Warn("credentials name their issuers under the default public base URL, which only this machine can resolve; set --public-base-url for credentials others can verify",
			"public_base_url", cfg.PublicBaseURL)
	}
	iss, err := issuer.New(issuer.Config{
		Store:   st,
		KEK:     kek,
		BaseURL: cfg.PublicBaseURL,
		KeyPolicy: keys.Policy{
			PublishDelay: cfg.KeyPublishDelay,
			Retention:    cfg.KeyRetention,
			MaxKeys:      keys.MaxPublishedKeys,
		},
		MaxValidity:   cfg.MaxCredentialValidity,
		StatusListTTL: cfg.StatusListTTL,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("issuer: %w", err)
	}
	ver, err := verifier.New(verifier.Config{Store: st, BaseURL: cfg.PublicBaseURL, CacheEntries: cfg.VerdictCacheEntries})
	if err != nil {
		return nil, nil, fmt.Errorf("verifier: %w", err)
	}
	return iss, ver, nil
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// checkStaleRootToken refuses a data dir that has a root token but no
// database: the first start would create a new root token it could not
// write, and nobody could administer the new database.
func checkStaleRootToken(cfg *Config) error {
	_, dbErr := os.Stat(cfg.DatabasePath())
	_, tokErr := os.Stat(cfg.RootTokenPath())
	if errors.Is(dbErr, fs.ErrNotExist) && tokErr == nil {
		return fmt.Errorf("%s exists but there is no database %s: it belongs to an earlier database; remove it and start again", cfg.RootTokenPath(), cfg.DatabasePath())
	}
	return nil
}

// bootstrap creates the root principal and token on the first start and
// writes the secret to a file only the daemon's user can read. The log
// says where it is, never what it is.
func bootstrap(ctx context.Context, cfg *Config, a *admin.Service, log *slog.Logger) error {
	secret, created, err := a.Bootstrap(ctx)
	if err != nil {
		return fmt.Errorf("bootstrap root principal: %w", err)
	}
	if !created {
		return nil
	}
	path := cfg.RootTokenPath()
	if err := writeSecret(path, secret); err != nil {
		return fmt.Errorf("a root token was created but could not be saved (remove %s and start again): %w", cfg.DatabasePath(), err)
	}
	log.Info("created the root token; use it to create principals and their tokens, then keep it offline", "path", path)
	return nil
}

// writeSecret creates path with mode 0600, never overwriting a file, and
// syncs it before returning: the secret exists nowhere else.
func writeSecret(path, secret string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// writeFileAtomic writes via a temporary file and a rename, so a reader
// polling for the file never sees it half written.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// serveMetrics serves the metrics over plain HTTP on their own listener,
// apart from the gRPC port, so they can stay on an internal interface.
func serveMetrics(addr string, m *server.Metrics, log *slog.Logger) (*http.Server, error) {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for metrics on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server failed", "error", err)
		}
	}()
	log.Info("serving metrics", "addr", lis.Addr().String(), "path", "/metrics")
	return hs, nil
}
