// Command skillpass is the command-line client of the Skillpass registry
// service (skillpassd). It speaks the public gRPC API only, so everything it
// does can be done by any other client too.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Interrupting a command cancels its RPC instead of leaving it running.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
