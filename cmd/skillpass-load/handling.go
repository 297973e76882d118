package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// handlingMetric is the daemon's histogram of handling time per method and
// status code (server.Metrics): from its metrics interceptor to the handler's
// return, so without the time a call waits in the transport or the client.
const handlingMetric = "skillpass_grpc_server_handling_seconds_bucket"

// handlingHist is one method's histogram of successful calls as scraped:
// the cumulative count at each upper bound, in seconds, ascending (+Inf
// last).
type handlingHist struct {
	bounds []float64
	cum    []uint64
}

// addHandlingLine adds one line of the exposition to hists (by method) if it
// is a bucket of a successful call; other lines are ignored. It relies on
// the daemon writing each series' buckets in ascending order.
func addHandlingLine(hists map[string]*handlingHist, line string) error {
	rest, ok := strings.CutPrefix(line, handlingMetric+"{")
	if !ok {
		return nil
	}
	labels, value, ok := strings.Cut(rest, "} ")
	if !ok {
		return fmt.Errorf("%s: no value in %q", handlingMetric, line)
	}
	var method, code, le string
	for _, l := range strings.Split(labels, ",") {
		k, v, _ := strings.Cut(l, "=")
		v, err := strconv.Unquote(v)
		if err != nil {
			return fmt.Errorf("%s: label %q in %q", handlingMetric, l, line)
		}
		switch k {
		case "method":
			method = v
		case "code":
			code = v
		case "le":
			le = v
		}
	}
	if code != "OK" {
		return nil
	}
	bound, err := strconv.ParseFloat(le, 64) // accepts "+Inf"
	if err != nil {
		return fmt.Errorf("%s: le %q: %w", handlingMetric, le, err)
	}
	n, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return fmt.Errorf("%s: count %q: %w", handlingMetric, value, err)
	}
	h := hists[method]
	if h == nil {
		h = &handlingHist{}
		hists[method] = h
	}
	if k := len(h.bounds); k > 0 && bound <= h.bounds[k-1] {
		return fmt.Errorf("%s: bounds of %s out of order at le %q", handlingMetric, method, le)
	}
	h.bounds, h.cum = append(h.bounds, bound), append(h.cum, n)
	return nil
}

// handlingP99 returns the upper bound, in milliseconds, of the bucket that
// holds the 99th percentile of the calls counted between before and after;
// over is true if that bucket is the one past the last finite bound (the
// bound returned is then that last finite one). ok is false if no call was
// counted, if the two scrapes do not have the same buckets, or if a count
// went down (the daemon restarted in between).
func handlingP99(before, after *handlingHist) (ms float64, over, ok bool) {
	if after == nil || len(after.cum) == 0 {
		return 0, false, false
	}
	if before == nil {
		before = &handlingHist{bounds: after.bounds, cum: make([]uint64, len(after.cum))}
	}
	if !slices.Equal(before.bounds, after.bounds) || len(before.cum) != len(after.cum) {
		return 0, false, false
	}
	for i := range after.cum {
		if after.cum[i] < before.cum[i] {
			return 0, false, false
		}
	}
	last := len(after.cum) - 1
	total := after.cum[last] - before.cum[last]
	if total == 0 {
		return 0, false, false
	}
	need := uint64(math.Ceil(0.99 * float64(total)))
	finite := 0.0
	for i, b := range after.bounds {
		if math.IsInf(b, 1) {
			break
		}
		finite = b
		if after.cum[i]-before.cum[i] >= need {
			return b * 1e3, false, true
		}
	}
	return finite * 1e3, true, true
}
