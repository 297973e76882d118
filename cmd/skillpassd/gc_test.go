package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want int
	}{
		{name: "ok/unset: the daemon's default", env: nil, want: defaultGCPercent},
		{name: "ok/GOGC set: the operator's choice stands", env: map[string]string{"GOGC": "100"}, want: 57},
		{name: "ok/GOMEMLIMIT set: the operator's choice stands", env: map[string]string{"GOMEMLIMIT": "1GiB"}, want: 57},
	}
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 57 stands for whatever the runtime took from GOGC: tuneGC
			// must leave it alone.
			debug.SetGCPercent(57)
			tuneGC(func(k string) string { return tt.env[k] })
			if got := debug.SetGCPercent(57); got != tt.want {
				t.Errorf("GC percent %d, want %d", got, tt.want)
			}
		})
	}
}
