package main

import (
	"strings"
	"testing"
)

func TestPacedCostNote(t *testing.T) {
	probe := summary{ServerCPUMicros: 80, ClientCPUMicros: 50}
	paced := summary{ServerCPUMicros: 120, ClientCPUMicros: 80, Rate: 5000}
	tests := []struct {
		name        string
		probe       summary
		paced       summary
		sameMachine bool
		cpus        int
		want        []string // substrings, in order; nil: no note
		notWant     string
	}{
		{"ok/same machine", probe, paced, true, 2, []string{"verify paced: the server spent 120.0 us", "against 80.0 us", "(1.50x", "this client's 80.0 us per call", "kept 50% of this machine's 2 CPUs"}, ""},
		{"ok/other machine has no busy share", probe, paced, false, 2, []string{"(1.50x"}, "busy"},
		{"ok/no client CPU figure", probe, summary{ServerCPUMicros: 120, Rate: 5000}, true, 2, []string{"(1.50x"}, "busy"},
		{"none/no server CPU in the probe", summary{}, paced, true, 2, nil, ""},
		{"none/no server CPU in the paced phase", probe, summary{Rate: 5000}, true, 2, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pacedCostNote("verify", tt.probe, tt.paced, tt.sameMachine, tt.cpus)
			if tt.want == nil {
				if got != "" {
					t.Fatalf("note = %q, want none", got)
				}
				return
			}
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("note %q lacks %q (in order)", got, w)
				}
				rest = rest[i+len(w):]
			}
			if tt.notWant != "" && strings.Contains(got, tt.notWant) {
				t.Fatalf("note %q contains %q", got, tt.notWant)
			}
		})
	}
}

func TestOnThisMachine(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:7700", true},
		{"localhost:7700", true},
		{"[::1]:7700", true},
		{"127.0.0.2:1", true},
		{"10.0.0.5:7700", false},
		{"skillpass.example:443", false},
		{"not an address", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := onThisMachine(tt.addr); got != tt.want {
				t.Fatalf("onThisMachine(%q) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}
