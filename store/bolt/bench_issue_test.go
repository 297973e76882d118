package bolt

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

// benchWriters is the concurrency the issuance service is sized for.
const benchWriters = 64

// benchCredential is a realistic issuance record (about 200 bytes) for the
// i-th issuance. Its slot is placed as the issuer's allocator places it: a
// random index in a list of statuslist.DefaultBits slots, the next list when
// one is full. Here the index is i scrambled by an odd multiplier, a
// bijection on the 17 bits of a list, so it is spread like random
// allocation but never collides. (Spreading indexes over all 31 bits, as
// this did before schema version 4, put every slot in a chunk of its own,
// which no issuer does.)
func benchCredential(i uint32) *model.CredentialRecord {
	now := time.Now()
	id := fmt.Sprintf("0b6f3c2e-9d4a-4c1b-8e7f-%012x", i)
	return &model.CredentialRecord{
		IssuerID: "roc-midden", ID: id, SectorID: "installatie", ProfileID: "monteur-warmtepompen", ProfileVersion: 3,
		AccreditationID: "acc-2026-001", HolderHash: sha256.Sum256([]byte("holder-" + id)), Kid: "Gq8FTEpumPJpyX8tJPItL07oAp5_TWix2CW_k4UWnYE",
		StatusList: int32(i / statuslist.DefaultBits), StatusIndex: int32((i * 2654435761) % statuslist.DefaultBits), IssueTime: now, ValidFrom: now, ValidUntil: now.AddDate(5, 0, 0),
		TokenHash: model.HashSecret("jws-" + id), Status: model.CredentialActive,
		Events: []model.CredentialEvent{{Status: model.CredentialActive, Reason: "issued", Time: now, Actor: "client-roc-midden"}},
	}
}

// BenchmarkIssueConcurrent is durable issuance by 64 concurrent writers,
// each creating one credential record (and its status slot) per
// transaction: with Update every record pays its own fsync, with Batch the
// writers share them. Both run in the same invocation; compare their
// records/s.
func BenchmarkIssueConcurrent(b *testing.B) {
	modes := []struct {
		name  string
		write func(s *Store, ctx context.Context, fn func(store.Tx) error) error
	}{
		{"update", (*Store).Update},
		{"batch", (*Store).Batch},
	}
	for _, mode := range modes {
		b.Run(mode.name, func(b *testing.B) {
			s := openTemp(b)
			ctx := context.Background()
			var next atomic.Uint32
			// RunParallel starts parallelism × GOMAXPROCS goroutines.
			b.SetParallelism((benchWriters + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					rec := benchCredential(next.Add(1))
					if err := mode.write(s, ctx, func(tx store.Tx) error { return tx.CreateCredential(rec) }); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkIssueRequestRecord is what an idempotent issuance adds to its
// group commit: the credential record alone, then with its request record
// (an HMAC-like random key, the time index entry) holding a result of 200
// bytes, then of 2,600 bytes (a sealed one-skill credential, as
// skillpass-load issues). All run in one invocation, after a warm-up of
// 20,000 issuances so the trees are of realistic depth; compare records/s.
func BenchmarkIssueRequestRecord(b *testing.B) {
	modes := []struct {
		name   string
		result int // bytes of the sealed result; -1 for no request record
	}{
		{"credential only", -1},
		{"with request/200 B result", 200},
		{"with request/2600 B result", 2600},
	}
	for _, mode := range modes {
		b.Run(mode.name, func(b *testing.B) {
			s := openTemp(b)
			ctx := context.Background()
			var next atomic.Uint32
			write := func() error {
				i := next.Add(1)
				rec := benchCredential(i)
				return s.Batch(ctx, func(tx store.Tx) error {
					if err := tx.CreateCredential(rec); err != nil || mode.result < 0 {
						return err
					}
					key := model.HashSecret(fmt.Sprint("request-", i)) // as random as an HMAC
					return tx.PutRequest(string(key[:]), &model.RequestRecord{
						Fingerprint: key, ResultName: "issuers/roc-midden/credentials/" + rec.ID,
						Result: make([]byte, mode.result), CreateTime: rec.IssueTime,
					})
				})
			}
			warm(b, write, 20000)
			b.SetParallelism((benchWriters + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := write(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// warm runs write n times from benchWriters goroutines.
func warm(b *testing.B, write func() error, n int) {
	b.Helper()
	var wg sync.WaitGroup
	var left atomic.Int64
	left.Store(int64(n))
	for range benchWriters {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				if err := write(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
