// Package mutation makes random near-misses of valid strings for tests
// that hold a hand-written matcher to the rule it replaces (a regular
// expression, net/url): most bugs of such matchers sit one edit away from
// a valid input.
package mutation

import "math/rand/v2"

// Edit applies fewer than n random edits to seed, each replacing,
// inserting or deleting one byte drawn from chars.
func Edit(r *rand.Rand, seed, chars string, n int) string {
	b := []byte(seed)
	for range r.IntN(n) {
		switch i := r.IntN(len(b) + 1); r.IntN(3) {
		case 0:
			if i < len(b) {
				b[i] = chars[r.IntN(len(chars))]
			}
		case 1:
			b = append(b[:i], append([]byte{chars[r.IntN(len(chars))]}, b[i:]...)...)
		default:
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		}
	}
	return string(b)
}
