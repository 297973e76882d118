package requests

import (
	"context"
	"time"

	"github.com/skillpass-nl/skillpass/store"
)

// sweepBatch bounds the records one transaction deletes, so a first sweep
// of a large backlog never holds the writer for long.
const sweepBatch = 1000

// Sweep deletes the request records created before cutoff and returns how
// many it deleted. A retry of such a request is no longer recognised: it
// runs again as a new request. Callers choose cutoff from their retention
// window, which must be far longer than any client retries.
func Sweep(ctx context.Context, st store.Store, cutoff time.Time) (int, error) {
	total := 0
	for {
		var n int
		err := st.Update(ctx, func(tx store.Tx) (err error) {
			n, err = tx.DeleteRequestsBefore(cutoff, sweepBatch)
			return err
		})
		total += n
		if err != nil || n < sweepBatch {
			return total, err
		}
	}
}
