package issuer

import (
	"fmt"
	"sync"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
)

func TestIssueBatchMixed(t *testing.T) {
	w := newWorld(t)
	good := request()
	badLevel := request()
	badLevel.Skills[0].LevelID = "9"
	draft := request()
	draft.Version = 3
	email := request()
	email.HolderID = "jan@example.nl"
	replayed := request()
	replayed.RequestID = "batch-dup"
	reused := request()
	reused.RequestID = "batch-dup"
	reused.HolderID = "did:example:someone-else"

	reqs := []IssueRequest{good, badLevel, good, draft, email, replayed}
	wants := []error{nil, ErrLevelOffScale, nil, model.ErrProfileNotPublished, ErrHolderIDNotPseudonymous, nil}
	res, err := w.svc.IssueBatch(ctx, rocClient, reqs)
	if err != nil {
		t.Fatalf("IssueBatch: %v", err)
	}
	first := res
	if len(res) != len(reqs) {
		t.Fatalf("%d results for %d items", len(res), len(reqs))
	}
	ids := map[string]bool{}
	for i, r := range res {
		t.Run(fmt.Sprintf("item %d", i), func(t *testing.T) {
			if (r.Issued == nil) == (r.Err == nil) {
				t.Fatalf("want exactly one of Issued and Err, got %v and %v", r.Issued, r.Err)
			}
			checkErr(t, r.Err, wants[i])
			if r.Issued != nil {
				checkIssued(t, w, reqs[i], r.Issued)
				ids[r.Issued.Record.ID] = true
			}
		})
	}
	if len(ids) != 3 {
		t.Fatalf("%d distinct credentials, want 3", len(ids))
	}

	// A second batch replays by request id and refuses reuse, item by item.
	res, err = w.svc.IssueBatch(ctx, rocClient, []IssueRequest{replayed, reused})
	if err != nil {
		t.Fatal(err)
	}
	if mustResult(t, res, 0).JWS != mustResult(t, first, 5).JWS {
		t.Fatalf("replay in a batch returned another credential")
	}
	checkErr(t, res[1].Err, model.ErrRequestIDReused)
}

func mustResult(t *testing.T, res []BatchResult, i int) *Issued {
	t.Helper()
	if res[i].Err != nil {
		t.Fatalf("item %d: %v", i, res[i].Err)
	}
	return res[i].Issued
}

func TestIssueBatchLimits(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name  string
		actor model.Principal
		n     int
		want  error
	}{
		{name: "ok/one item", n: 1},
		{name: "error/empty", n: 0, want: errValidation},
		{name: "error/too many items", n: MaxBatch + 1, want: ErrBatchTooLarge},
		{name: "error/anonymous items are refused one by one", actor: anonymous, n: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			actor := tc.actor
			if actor.Kind == "" {
				actor = rocClient
			}
			reqs := make([]IssueRequest, tc.n)
			for i := range reqs {
				reqs[i] = request()
			}
			res, err := w.svc.IssueBatch(ctx, actor, reqs)
			checkErr(t, err, tc.want)
			var wantItem error
			if !actor.Authenticated() {
				wantItem = model.ErrUnauthenticated
			}
			for _, r := range res {
				checkErr(t, r.Err, wantItem)
			}
		})
	}
}

// TestIssueConcurrent issues from 64 goroutines at once: every credential
// must be durably recorded with its own status index, before and after a
// restart.
func TestIssueConcurrent(t *testing.T) {
	w := newWorld(t)
	const clients, each = 64, 4
	var (
		mu     sync.Mutex
		issued []*Issued
		wg     sync.WaitGroup
		errs   = make(chan error, clients*each)
	)
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				req := request()
				req.RequestID = fmt.Sprintf("client-%d-%d", c, i)
				out, err := w.svc.Issue(ctx, rocClient, req)
				if err != nil {
					errs <- err
					continue
				}
				mu.Lock()
				issued = append(issued, out)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Issue: %v", err)
	}
	check := func(when string) {
		t.Helper()
		slots := map[[2]int32]string{}
		for _, out := range issued {
			rec, err := w.svc.GetCredential(ctx, rocClient, "roc", out.Record.ID)
			if err != nil {
				t.Fatalf("%s: record %s: %v", when, out.Record.ID, err)
			}
			slot := [2]int32{rec.StatusList, rec.StatusIndex}
			if other, dup := slots[slot]; dup {
				t.Fatalf("%s: credentials %s and %s share status slot %v", when, other, rec.ID, slot)
			}
			slots[slot] = rec.ID
		}
		if len(slots) != clients*each {
			t.Fatalf("%s: %d distinct slots, want %d", when, len(slots), clients*each)
		}
	}
	check("before restart")
	w.reopen()
	check("after restart")
	// The allocator rebuilt after the restart must avoid every used index.
	more := w.issue(nil)
	for _, out := range issued {
		if out.Record.StatusList == more.Record.StatusList && out.Record.StatusIndex == more.Record.StatusIndex {
			t.Fatalf("index %d reused after restart", more.Record.StatusIndex)
		}
	}
}
