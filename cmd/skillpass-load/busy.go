package main

import (
	"fmt"
	"net"
)

// pacedCostNote compares what a paced call cost the server with what a call
// of the closed-loop probe cost it, and, when the daemon runs on this
// machine, says how busy the server and this client kept its CPUs during
// the paced phase. Both explain a paced p99: calls that arrive one by one
// share no reads, writes or thread wake-ups, so each costs more than in a
// busy loop, and half the closed-loop maximum is then more than half of the
// machine. It returns "" without server CPU figures.
func pacedCostNote(what string, probe, paced summary, sameMachine bool, cpus int) string {
	if probe.ServerCPUMicros <= 0 || paced.ServerCPUMicros <= 0 {
		return ""
	}
	note := fmt.Sprintf("%s paced: the server spent %.1f us of CPU per call against %.1f us in the closed-loop probe (%.2fx: calls that arrive one by one share no reads, writes or wake-ups)",
		what, paced.ServerCPUMicros, probe.ServerCPUMicros, paced.ServerCPUMicros/probe.ServerCPUMicros)
	if sameMachine && cpus > 0 && paced.ClientCPUMicros > 0 {
		busy := (paced.ServerCPUMicros + paced.ClientCPUMicros) * paced.Rate / 1e6 // CPUs
		note += fmt.Sprintf("; with this client's %.1f us per call, the two kept %.0f%% of this machine's %d CPUs busy", paced.ClientCPUMicros, 100*busy/float64(cpus), cpus)
	}
	return note
}

// onThisMachine reports whether addr names a loopback address, where the
// daemon shares this machine's CPUs with the load.
func onThisMachine(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
