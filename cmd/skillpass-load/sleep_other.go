//go:build !linux

package main

import (
	"context"
	"time"
)

// preciseSleeper falls back to Go's timers off Linux; the pacer's
// lateness, reported with the results, shows what that costs.
type preciseSleeper struct{}

func (preciseSleeper) start() {}
func (preciseSleeper) stop()  {}

func (preciseSleeper) until(ctx context.Context, t time.Time) {
	if d := time.Until(t); d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
		}
	}
}
