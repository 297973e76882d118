package issuer

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

// benchClients is the number of concurrent callers in the parallel
// benchmarks, as in the issue's load goal (64 clients).
const benchClients = 64

// BenchmarkSignES256 is the baseline: one raw P-256 signature over a
// SHA-256 digest per operation, with the same parallelism as
// BenchmarkIssue. Issuance cannot be faster than this; the ratio of the
// two is what the rest of the pipeline (checks, JSON, bbolt commit)
// costs.
func BenchmarkSignES256(b *testing.B) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("skillpass credential payload"))
	b.SetParallelism(parallelism())
	b.ResetTimer()
	cpu := startCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ecdsa.SignASN1(rand.Reader, priv, digest[:]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signatures/s")
	cpu.report(b)
}

// BenchmarkIssue issues credentials durably from 64 concurrent callers
// into a real bbolt file: every operation returns only after its record
// (and request record) is committed and fsynced by the group commit.
func BenchmarkIssue(b *testing.B) {
	w := newWorld(b)
	var seq atomic.Int64
	b.SetParallelism(parallelism())
	b.ResetTimer()
	cpu := startCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := request()
			req.RequestID = fmt.Sprintf("bench-%d", seq.Add(1))
			if _, err := w.svc.Issue(ctx, rocClient, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
	cpu.report(b)
}

// parallelism makes RunParallel start benchClients goroutines (it starts
// GOMAXPROCS times the parallelism).
func parallelism() int { return max(1, benchClients/runtime.GOMAXPROCS(0)) }

// cpuMeter measures the process's CPU time (user + system, all threads)
// over a benchmark, so that the cost per operation can be compared on a
// machine whose other load changes the wall-clock rates.
type cpuMeter struct{ start time.Duration }

func startCPU(b *testing.B) cpuMeter { return cpuMeter{start: processCPU(b)} }

func (m cpuMeter) report(b *testing.B) {
	b.ReportMetric(float64((processCPU(b)-m.start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPrivacyOverhead is what the privacy findings add per
// credential: on issuance the keyed holder hash and sealing the credential
// into its request record; on a replay opening it again (and checking it
// against the record's token hash). Compare with BenchmarkSignES256 and
// BenchmarkIssue in the same run.
func BenchmarkPrivacyOverhead(b *testing.B) {
	w := newWorld(b)
	out := w.issue(nil)
	sec, err := w.svc.secrets(ctx)
	if err != nil {
		b.Fatal(err)
	}
	const key, name = "roc-client\x00IssueCredential\x00bench", "issuers/roc/credentials/x"
	fp := sha256.Sum256([]byte("content"))
	sealed, err := sec.sealResult(key, fp, name, out.JWS)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("issue", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = sec.holder.Hash("roc", holder)
			if _, err := sec.sealResult(key, fp, name, out.JWS); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("replay", func(b *testing.B) {
		b.ReportAllocs()
		r := &model.RequestRecord{Fingerprint: fp, ResultName: name, Result: sealed}
		for b.Loop() {
			if _, err := sec.openResult(key, r, out.Record); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(len(out.JWS)), "jws-bytes")
}
