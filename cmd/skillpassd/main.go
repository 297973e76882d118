// Command skillpassd is the Skillpass daemon: the trust registry and its
// admin API over gRPC, on an embedded bbolt database. main only parses the
// configuration and runs it; see package daemon.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/skillpass-nl/skillpass/cmd/skillpassd/internal/daemon"
)

func main() {
	cfg, err := daemon.ParseConfig(os.Args[1:], os.Getenv, os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "skillpassd: %v\nRun skillpassd --help for the flags.\n", err)
		os.Exit(2)
	}
	// SIGTERM (service managers) and SIGINT (a terminal) both stop the
	// daemon gracefully.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = daemon.Run(ctx, cfg, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "skillpassd: %v\n", err)
		os.Exit(1)
	}
}
