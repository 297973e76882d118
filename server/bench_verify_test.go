package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"sync/atomic"
	"testing"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/verifier"
)

// BenchmarkVerifyCredential measures VerifyCredential end to end over
// loopback gRPC (real interceptors, real bbolt) for distinct ES256 tokens
// (every call misses the verdict cache) and for one repeated token (served
// from the cache), next to the raw P-256 signature check measured in the
// same run as the baseline: x_raw_p256 is the time of one call as a
// multiple of one raw check.
//
//	go test -run '^$' -bench BenchmarkVerifyCredential -benchtime 3s ./server
func BenchmarkVerifyCredential(b *testing.B) {
	// A one-entry cache: cycling through the pool always misses it, so
	// "distinct" measures the full verification.
	w := newWorld(b, envOptions{tcp: true, verdictCache: 1})
	pool := issuePool(b, w, 2000)
	ctx := context.Background() // anonymous, as verifiers are
	// raw holds the baseline's rate per mode (serial, parallel).
	raw := map[string]float64{}
	rate := func(b *testing.B) float64 {
		r := float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(r, "calls/s")
		return r
	}
	record := func(b *testing.B, mode string) { raw[mode] = rate(b) }
	compare := func(b *testing.B, mode string) {
		if r := rate(b); r > 0 && raw[mode] > 0 {
			b.ReportMetric(raw[mode]/r, "x_raw_p256")
		}
	}
	verify := func(jws string) error {
		v, err := w.ver.VerifyCredential(ctx, &pb.VerifyCredentialRequest{Jws: jws})
		if err == nil && v.GetVerdict() != pb.Verdict_VERDICT_VALID {
			b.Fatalf("verdict %v: %v", v.GetVerdict(), v.GetChecks())
		}
		return err
	}

	// Baseline first: one P-256 ECDSA verification of a SHA-256 digest,
	// the signature check every distinct credential needs. Each gRPC case
	// then reports its cost per call as a multiple of it (x_raw_p256).
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	digest := sha256.Sum256([]byte("skillpass"))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		b.Fatal(err)
	}
	rawCheck := func() bool { return ecdsa.VerifyASN1(&key.PublicKey, digest[:], sig) }
	b.Run("raw/ecdsa-p256/serial", func(b *testing.B) {
		for b.Loop() {
			if !rawCheck() {
				b.Fatal("signature does not verify")
			}
		}
		record(b, "serial")
	})
	b.Run("raw/ecdsa-p256/parallel", func(b *testing.B) {
		b.RunParallel(func(p *testing.PB) {
			for p.Next() {
				if !rawCheck() {
					b.Error("signature does not verify")
					return
				}
			}
		})
		record(b, "parallel")
	})

	var next atomic.Uint64
	distinct := func() string { return pool[next.Add(1)%uint64(len(pool))] }
	repeated := func() string { return pool[0] }
	for _, c := range []struct {
		name  string
		token func() string
	}{{"distinct", distinct}, {"repeated", repeated}} {
		// The domain alone, in process: what the transport adds is the
		// difference to grpc/.../serial.
		b.Run("direct/"+c.name+"/serial", func(b *testing.B) {
			for b.Loop() {
				v, err := w.verifier.Verify(ctx, c.token())
				if err != nil || v.Verdict != verifier.Valid {
					b.Fatalf("verify: %v %v", v, err)
				}
			}
			compare(b, "serial")
		})
		b.Run("grpc/"+c.name+"/serial", func(b *testing.B) {
			for b.Loop() {
				if err := verify(c.token()); err != nil {
					b.Fatal(err)
				}
			}
			compare(b, "serial")
		})
		b.Run("grpc/"+c.name+"/parallel", func(b *testing.B) {
			b.RunParallel(func(p *testing.PB) {
				for p.Next() {
					if err := verify(c.token()); err != nil {
						b.Error(err)
						return
					}
				}
			})
			compare(b, "parallel")
		})
	}
}

// issuePool issues n distinct credentials of acme in batches.
func issuePool(b *testing.B, w *world, n int) []string {
	b.Helper()
	var pool []string
	for len(pool) < n {
		reqs := make([]*pb.IssueCredentialRequest, min(issuer.MaxBatch, n-len(pool)))
		for i := range reqs {
			reqs[i] = &pb.IssueCredentialRequest{Credential: credentialContent(w.unique("bench"))}
		}
		resp, err := w.iss.BatchIssueCredentials(w.client(), &pb.BatchIssueCredentialsRequest{Parent: ownIssuer, Requests: reqs})
		if err != nil {
			b.Fatalf("issue pool: %v", err)
		}
		for _, r := range resp.GetResults() {
			if r.GetError() != nil {
				b.Fatalf("issue pool: %v", r.GetError())
			}
			pool = append(pool, r.GetCredential().GetJws())
		}
	}
	return pool
}
