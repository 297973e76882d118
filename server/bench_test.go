package server

import (
	"context"
	"testing"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/model"
)

// BenchmarkRegistryReads measures the verification hot path's registry
// reads — a profile version, and "was the issuer accredited at T" — over
// gRPC on loopback TCP (real interceptors, real bbolt), against direct
// in-process domain calls measured in the same run as the baseline.
//
//	go test -run '^$' -bench BenchmarkRegistryReads ./server
func BenchmarkRegistryReads(b *testing.B) {
	w := newWorld(b, envOptions{tcp: true})
	ctx := context.Background() // anonymous, as verifiers are
	getReq := &pb.GetProfileVersionRequest{Name: publishedVersion}
	checkReq := &pb.CheckAccreditationRequest{Issuer: ownIssuer, ProfileVersion: publishedVersion}

	grpcCalls := []struct {
		name string
		call func() error
	}{
		{"GetProfileVersion", func() error { _, err := w.reg.GetProfileVersion(ctx, getReq); return err }},
		{"CheckAccreditation", func() error { _, err := w.reg.CheckAccreditation(ctx, checkReq); return err }},
	}
	for _, c := range grpcCalls {
		b.Run("grpc/"+c.name+"/serial", func(b *testing.B) {
			for b.Loop() {
				if err := c.call(); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b)
		})
		b.Run("grpc/"+c.name+"/parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.call(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			reportRate(b)
		})
	}

	direct := []struct {
		name string
		call func() error
	}{
		{"GetProfileVersion", func() error {
			_, err := w.registry.GetProfileVersion(ctx, model.Anonymous, "bouw", "metselaar", 1)
			return err
		}},
		{"CheckAccreditation", func() error {
			_, err := w.registry.CheckAccreditation(ctx, model.Anonymous, "acme", "bouw", "metselaar", 1, w.clock.Now())
			return err
		}},
	}
	for _, c := range direct {
		b.Run("direct/"+c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.call(); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b)
		})
	}
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
