package daemon

import (
	"context"
	"log/slog"
	"time"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/store"
)

// sweepInterval is how often request records past their retention are
// deleted.
const sweepInterval = time.Hour

// startRequestSweep deletes request records older than retention now and
// then every sweepInterval until ctx ends; the returned channel closes when
// it has stopped. Retention 0 keeps records forever.
func startRequestSweep(ctx context.Context, st store.Store, retention time.Duration, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if retention <= 0 {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		t := time.NewTicker(sweepInterval)
		defer t.Stop()
		for {
			sweepOnce(ctx, st, time.Now(), retention, log)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return done
}

// sweepOnce deletes the records created before now minus retention. A
// failure is logged and retried at the next interval: it loses nothing.
func sweepOnce(ctx context.Context, st store.Store, now time.Time, retention time.Duration, log *slog.Logger) int {
	n, err := requests.Sweep(ctx, st, now.Add(-retention))
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("request record sweep failed; retrying at the next interval", "error", err, "deleted", n)
	case n > 0:
		log.Info("request records past retention deleted", "deleted", n, "retention", retention)
	}
	return n
}
