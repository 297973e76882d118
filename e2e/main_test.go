// Package e2e drives the real skillpassd and skillpass binaries the way the
// README tells a newcomer to, over a loopback port, with a fresh data
// directory per test. It has only tests.
package e2e

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Paths of the binaries built once by TestMain.
var (
	daemonBin string
	cliBin    string
	loadBin   string
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		// Each test skips itself; no binaries needed.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "skillpass-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		daemonBin = filepath.Join(dir, "skillpassd")
		cliBin = filepath.Join(dir, "skillpass")
		loadBin = filepath.Join(dir, "skillpass-load")
		for bin, pkg := range map[string]string{daemonBin: "../cmd/skillpassd", cliBin: "../cmd/skillpass", loadBin: "../cmd/skillpass-load"} {
			cmd := exec.Command("go", "build", "-o", bin, pkg)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Run(); err != nil {
				fmt.Fprintf(os.Stderr, "e2e: build %s: %v\n", pkg, err)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}
