package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// daemon is a running skillpassd.
type daemon struct {
	t       *testing.T
	dataDir string
	addr    string
	cmd     *exec.Cmd
	log     *bytes.Buffer
	exited  chan struct{}
}

func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("e2e: builds and runs the real binaries; skipped with -short")
	}
}

// startDaemon runs skillpassd on a free loopback port with dataDir (and
// any extra flags) and waits until it has written its address file, i.e.
// is listening.
func startDaemon(t *testing.T, dataDir string, extra ...string) *daemon {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	d := &daemon{t: t, dataDir: dataDir, log: &bytes.Buffer{}, exited: make(chan struct{})}
	args := append([]string{"--data-dir", dataDir, "--listen", "127.0.0.1:0", "--addr-file", addrFile, "--log-format", "json"}, extra...)
	d.cmd = exec.Command(daemonBin, args...)
	// Keep the environment from leaking a developer's SKILLPASS_* settings
	// into the daemon under test.
	d.cmd.Env = cleanEnv()
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start skillpassd: %v", err)
	}
	go func() { d.cmd.Wait(); close(d.exited) }()
	t.Cleanup(func() { d.kill() })

	// Polling is the only way to learn that a child process is ready; the
	// overall wait is bounded by the test's own deadline, not by a guess.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		// skillpassd writes the file atomically, newline-terminated.
		if b, err := os.ReadFile(addrFile); err == nil && strings.HasSuffix(string(b), "\n") {
			d.addr = strings.TrimSpace(string(b))
			return d
		}
		select {
		case <-d.exited:
			t.Fatalf("skillpassd exited before listening: %v\n%s", d.cmd.ProcessState, d.log)
		case <-tick.C:
		}
	}
}

// kill sends SIGKILL: no graceful shutdown, no final fsync.
func (d *daemon) kill() {
	select {
	case <-d.exited:
		return
	default:
	}
	_ = d.cmd.Process.Signal(syscall.SIGKILL)
	<-d.exited
}

// stop shuts down gracefully with SIGTERM and checks the exit status.
func (d *daemon) stop() {
	d.t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		d.t.Fatalf("SIGTERM: %v", err)
	}
	<-d.exited
	if !d.cmd.ProcessState.Success() {
		d.t.Fatalf("skillpassd exited with %v after SIGTERM\n%s", d.cmd.ProcessState, d.log)
	}
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SKILLPASS_") {
			env = append(env, kv)
		}
	}
	return env
}

// result is one CLI run.
type result struct {
	code   int
	stdout string
	stderr string
}

// cli runs the skillpass binary against d with args.
func (d *daemon) cli(ctx context.Context, args ...string) result {
	d.t.Helper()
	return d.run(ctx, cliBin, args...)
}

// run runs a binary that takes --addr (skillpass, skillpass-load) against d.
func (d *daemon) run(ctx context.Context, bin string, args ...string) result {
	d.t.Helper()
	cmd := exec.CommandContext(ctx, bin, append([]string{"--addr", d.addr}, args...)...)
	cmd.Env = cleanEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		d.t.Fatalf("run %s %q: %v", filepath.Base(bin), args, err)
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// must runs the CLI and fails the test unless it exits 0.
func (d *daemon) must(ctx context.Context, args ...string) string {
	d.t.Helper()
	r := d.cli(ctx, args...)
	if r.code != 0 {
		d.t.Fatalf("skillpass %q: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}
