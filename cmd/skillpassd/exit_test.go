package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestExitCodes checks the exit codes service managers and scripts rely
// on: 0 for help, 2 for a configuration that cannot run, 1 for a failure
// after the configuration was accepted.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{name: "ok/help", args: []string{"--help"}, want: 0},
		{name: "ok/rewrap help", args: []string{"rewrap-kek", "--help"}, want: 0},
		{name: "error/unknown flag", args: []string{"--no-such-flag"}, want: 2},
		{name: "error/bad listen address", args: []string{"--listen", "nope"}, want: 2},
		{name: "error/rewrap without its files", args: []string{"rewrap-kek"}, want: 2},
		// Accepted configuration, but the data dir cannot be created.
		{name: "error/data dir is a file", args: []string{"--data-dir", filepath.Join(notADir, "data"), "--listen", "127.0.0.1:0"}, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if got := run(ctx, tt.args); got != tt.want {
				t.Errorf("run(%q) = %d, want %d", tt.args, got, tt.want)
			}
		})
	}
}
