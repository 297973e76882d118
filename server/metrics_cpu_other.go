//go:build !unix

package server

// processCPUSeconds is not measured off Unix; the metric is left out
// rather than reported as zero.
func processCPUSeconds() (float64, bool) { return 0, false }
