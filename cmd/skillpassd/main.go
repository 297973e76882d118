// Command skillpassd is the Skillpass daemon: the trust registry, issuance,
// verification and the admin API over gRPC, on an embedded bbolt database.
// main only parses the configuration and runs it; see package daemon.
//
// "skillpassd rewrap-kek ..." re-seals the issuer keys under a new
// key-encryption key while the daemon is stopped.
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
	// SIGTERM (service managers) and SIGINT (a terminal) both stop the
	// daemon gracefully.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// run returns the exit code: 0 done, 1 failed, 2 bad configuration.
func run(ctx context.Context, args []string) int {
	if len(args) > 0 && args[0] == daemon.RewrapCommand {
		cfg, err := daemon.ParseRewrapConfig(args[1:], os.Getenv, os.Stdout)
		if code, done := configOutcome(err, "skillpassd "+daemon.RewrapCommand+" --help"); done {
			return code
		}
		return outcome(daemon.Rewrap(ctx, cfg, os.Stdout))
	}
	cfg, err := daemon.ParseConfig(args, os.Getenv, os.Stdout)
	if code, done := configOutcome(err, "skillpassd --help"); done {
		return code
	}
	return outcome(daemon.Run(ctx, cfg, os.Stderr))
}

// configOutcome reports whether parsing ended the run (help or an error),
// and with which code; help is the command that lists the flags.
func configOutcome(err error, help string) (code int, done bool) {
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	}
	fmt.Fprintf(os.Stderr, "skillpassd: %v\nRun %s for the flags.\n", err, help)
	return 2, true
}

func outcome(err error) int {
	if err != nil {
		fmt.Fprintf(os.Stderr, "skillpassd: %v\n", err)
		return 1
	}
	return 0
}
