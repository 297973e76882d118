//go:build !unix

package main

// selfCPUSeconds is not measured off Unix; the client's CPU column then
// reads 0.
func selfCPUSeconds() float64 { return 0 }
