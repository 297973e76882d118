//go:build unix

package main

import "syscall"

// selfCPUSeconds is this process's user plus system CPU time: the load
// generator shares the machine with the daemon, so its own cost per call
// is reported next to the server's.
func selfCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
