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
	"runtime/debug"
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
	tuneGC(os.Getenv)
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

// defaultGCPercent is the daemon's GOGC unless the environment sets one.
// The live heap is small (caches of key sets, registry snapshots and
// verdicts, tens of MB) and verification allocates per call, so with Go's
// default of 100 the collector took 8% of the CPU per verification in
// skillpass-load and its assists lengthened the slowest calls; at 400 it
// took 3%, for a heap that may grow to five times the live data.
// GOGC=100 (or GOMEMLIMIT for a hard ceiling) restores the usual trade.
const defaultGCPercent = 400

// tuneGC sets defaultGCPercent when neither GOGC nor GOMEMLIMIT is set:
// an operator who set either has chosen the trade already.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}

func outcome(err error) int {
	if err != nil {
		fmt.Fprintf(os.Stderr, "skillpassd: %v\n", err)
		return 1
	}
	return 0
}
