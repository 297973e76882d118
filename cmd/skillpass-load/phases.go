package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/internal/uuid7"
)

// closedLoop runs clients workers, each calling op back to back until d
// has passed, and returns the phase's elapsed time and the recorders.
// Worker i is passed to op to pick its connection. op returns the error
// kind ("" for success) and a message. Calls in flight at the end are let
// finish and counted: cutting them off would turn their work into errors
// (a server-side deadline can fire before the client's own).
func closedLoop(ctx context.Context, clients int, d time.Duration, op func(ctx context.Context, worker int) (kind, msg string)) (time.Duration, []*recorder) {
	recs := make([]*recorder, clients)
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	for i := range clients {
		recs[i] = newRecorder()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(end) {
				t0 := time.Now()
				kind, msg := op(ctx, i)
				switch {
				case kind == "":
					recs[i].ok(time.Since(t0))
				case ctx.Err() == nil: // an interrupted run's last calls are no errors
					recs[i].fail(kind, msg)
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), recs
}

// issuer issues credentials for phase 1 and keeps their tokens for phase 2.
type issuer struct {
	clients []pb.IssuanceServiceClient // one per connection
	tg      *target
	form    string // of the request ids: requestIDsUUID7 or requestIDsCounter
	run     string // distinguishes this run's counter ids from earlier runs'
	seq     atomic.Int64

	mu        sync.Mutex
	tokens    []string
	maxTokens int
}

func newIssuer(conns []*grpc.ClientConn, tg *target, maxTokens int, form string) *issuer {
	is := &issuer{tg: tg, form: form, run: randomHex(6), maxTokens: maxTokens}
	for _, cc := range conns {
		is.clients = append(is.clients, pb.NewIssuanceServiceClient(cc))
	}
	return is
}

// requestID returns the next request id in the issuer's form.
func (is *issuer) requestID() (string, error) {
	if is.form == requestIDsCounter {
		return fmt.Sprintf("load-%s-%d", is.run, is.seq.Add(1)), nil
	}
	return uuid7.New(time.Now())
}

func (is *issuer) issue(ctx context.Context, worker int) (string, string) {
	requestID, err := is.requestID()
	if err != nil {
		return "request id", err.Error()
	}
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+is.tg.clientToken)
	resp, err := is.clients[worker%len(is.clients)].IssueCredential(ctx, &pb.IssueCredentialRequest{
		Parent:    is.tg.issuer,
		RequestId: requestID,
		Credential: &pb.CredentialContent{
			ProfileVersion: is.tg.profileVersion,
			// A distinct pseudonymous holder per credential, as in real use.
			HolderId: "urn:uuid:" + randomUUID(),
			Skills: []*pb.AwardedSkill{{
				CompetencyId: is.tg.competency, LevelId: is.tg.level, AssessmentMethod: pb.AssessmentMethod_ASSESSMENT_METHOD_EXAM,
			}},
		},
	})
	if err != nil {
		return status.Code(err).String(), err.Error()
	}
	is.mu.Lock()
	if len(is.tokens) < is.maxTokens {
		is.tokens = append(is.tokens, resp.GetJws())
	}
	is.mu.Unlock()
	return "", ""
}

// verifier verifies the tokens of phase 1 in order, each once until they
// run out; then it starts over and counts the reuse, because a reused
// token may be answered from the verdict cache.
type verifier struct {
	clients []pb.VerificationServiceClient
	tokens  []string
	next    atomic.Int64
}

func newVerifier(conns []*grpc.ClientConn, tokens []string) *verifier {
	v := &verifier{tokens: tokens}
	for _, cc := range conns {
		v.clients = append(v.clients, pb.NewVerificationServiceClient(cc))
	}
	return v
}

// reused tells how many verifications repeated a token.
func (v *verifier) reused() int64 { return max(0, v.next.Load()-int64(len(v.tokens))) }

func (v *verifier) verify(ctx context.Context, worker int) (string, string) {
	n := v.next.Add(1) - 1
	resp, err := v.clients[worker%len(v.clients)].VerifyCredential(ctx, &pb.VerifyCredentialRequest{Jws: v.tokens[n%int64(len(v.tokens))]})
	if err != nil {
		return status.Code(err).String(), err.Error()
	}
	// A fresh credential that does not verify means the measurement is of
	// the wrong thing; count it as an error, with the failing check.
	if resp.GetVerdict() != pb.Verdict_VERDICT_VALID {
		for _, c := range resp.GetChecks() {
			if c.GetOutcome() == pb.CheckOutcome_CHECK_OUTCOME_FAIL {
				return "INVALID", fmt.Sprintf("verdict INVALID: %s %s", c.GetCheck(), c.GetReason())
			}
		}
		return "INVALID", "verdict " + resp.GetVerdict().String()
	}
	return "", ""
}

// noop makes the cheapest call the server has, the gRPC health check: the
// baseline that shows what the transport, the interceptors and the
// machine cost a call, apart from any verification.
type noop struct {
	clients []healthpb.HealthClient
}

func newNoop(conns []*grpc.ClientConn) *noop {
	n := &noop{}
	for _, cc := range conns {
		n.clients = append(n.clients, healthpb.NewHealthClient(cc))
	}
	return n
}

func (n *noop) call(ctx context.Context, worker int) (string, string) {
	resp, err := n.clients[worker%len(n.clients)].Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return status.Code(err).String(), err.Error()
	}
	if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return "NOT_SERVING", "health: " + resp.GetStatus().String()
	}
	return "", ""
}

// maxInFlight bounds the paced phase's concurrent calls: it is the number
// of worker goroutines that make them. If the server falls this far
// behind, the pacer waits; the latency of every later call still counts
// from its scheduled time, so the wait shows in the figures.
const maxInFlight = 4096

// paced calls op at rate per second for d on an open-loop schedule: call
// i is due at start + i/rate whether or not earlier calls have returned,
// and its latency counts from that due time, not from when it was sent.
// It also returns how late the pacer itself sent each call, which is part
// of every latency and is the client's doing, not the server's.
//
// Calls are made by long-lived workers, started as the load needs them,
// rather than by a goroutine per call: a fresh goroutine grows its stack
// through the gRPC client on every call, CPU the load generator would take
// from the server it shares the machine with.
func paced(ctx context.Context, rate float64, d time.Duration, op func(ctx context.Context, worker int) (kind, msg string)) (time.Duration, []*recorder, []time.Duration) {
	interval := time.Duration(float64(time.Second) / rate)
	total := int(d.Seconds() * rate)
	jobs := make(chan time.Time) // due times; unbuffered: a send finds an idle worker
	var recs []*recorder         // one per worker: a worker's recorder needs no lock
	var wg sync.WaitGroup
	startWorker := func() {
		id := len(recs)
		rec := newRecorder()
		recs = append(recs, rec)
		wg.Go(func() {
			for due := range jobs {
				kind, msg := op(ctx, id)
				if kind == "" {
					rec.ok(time.Since(due))
				} else {
					rec.fail(kind, msg)
				}
			}
		})
	}
	late := make([]time.Duration, 0, total)
	var sleep preciseSleeper
	sleep.start()
	defer sleep.stop()
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		sleep.until(ctx, due)
		if ctx.Err() != nil {
			break
		}
		select {
		case jobs <- due:
		default:
			// Every worker is busy: add one, up to maxInFlight, then wait.
			if len(recs) < maxInFlight {
				startWorker()
			}
			jobs <- due
		}
		late = append(late, time.Since(due))
	}
	close(jobs)
	wg.Wait()
	return time.Since(start), recs, late
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return fmt.Sprintf("%x", b)
}

func randomUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
