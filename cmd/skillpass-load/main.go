// Command skillpass-load measures a running skillpassd the way the issue's
// performance goals are stated, so anyone can reproduce the figures:
// durable issuance with many concurrent clients (credentials per second and
// latency), then verification of distinct credentials at a paced rate
// (half the measured maximum unless --verify-rate says otherwise), with
// latency measured from each request's scheduled send time.
//
// It sets up what it needs with the root token (a sector, a published
// profile, an issuer with a signing key, an accreditation and an issuer
// client token), or reuses them when they exist, so it can run again and
// again against the same daemon.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// The load generator shares the machine with the daemon; its own
	// garbage collection would stall calls in flight and be counted as
	// server latency. Unless GOGC is set, collect less often.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
