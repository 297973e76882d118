package issuer

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/internal/uuid7"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// keyedRequest is what Issue stores for req as roc's client at the world's
// current time: its pending form with keys and fingerprint keyed by the
// deployment secret.
func keyedRequest(t *testing.T, w *world, req IssueRequest) (*pending, *secrets) {
	t.Helper()
	p, err := w.svc.prepare(rocClient, req)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := w.svc.secrets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sec.keyed(p, w.clk.Now()), sec
}

func newUUID7(t *testing.T, at time.Time) string {
	t.Helper()
	id, err := uuid7.New(at)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRequestKeyLayout: a version 7 request id made within a day of the
// server's clock is keyed with its time in front of the MAC (so records of
// one commit share pages); any other id, including one of that shape whose
// leading digits are no current time, keeps the plain MAC, so nothing but a
// current time is ever in a key in clear. Either way an id of that shape
// knows its other possible key.
func TestRequestKeyLayout(t *testing.T) {
	w := newWorld(t)
	now := w.clk.Now()
	fresh := newUUID7(t, now)
	tests := []struct {
		name, id string
		ordered  bool // keyed in time order
		shaped   bool // has a time-ordered form at all
	}{
		{name: "version 7 id of now", id: fresh, ordered: true, shaped: true},
		{name: "version 7 id in upper case", id: strings.ToUpper(fresh), ordered: true, shaped: true},
		{name: "version 7 id of 23 hours ago", id: newUUID7(t, now.Add(-23*time.Hour)), ordered: true, shaped: true},
		{name: "version 7 id of 23 hours ahead", id: newUUID7(t, now.Add(23*time.Hour)), ordered: true, shaped: true},
		{name: "version 7 id of 25 hours ago", id: newUUID7(t, now.Add(-25*time.Hour)), shaped: true},
		{name: "version 7 id of 25 hours ahead", id: newUUID7(t, now.Add(25*time.Hour)), shaped: true},
		{name: "student number in version 7 shape", id: "00bc614e-0000-7000-8000-000000000000", shaped: true},
		{name: "version 4 id", id: "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"},
		{name: "free-form id", id: "student-12345-2026"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := request()
			req.RequestID = tc.id
			k, _ := keyedRequest(t, w, req)
			scope := requests.Key(rocClient.ID, "IssueCredential", "")
			part, ok := strings.CutPrefix(k.key, scope)
			if !ok {
				t.Fatalf("key %q is not scoped to the client and operation", k.key)
			}
			alt, _ := strings.CutPrefix(k.altKey, scope)
			if strings.Contains(k.key, tc.id) || strings.Contains(k.altKey, tc.id) {
				t.Errorf("key %q or %q holds the request id in clear", k.key, k.altKey)
			}
			prefix, _ := uuid7.TimePrefix(tc.id)
			switch {
			case tc.ordered:
				if len(part) != 12+1+64 || part[:13] != prefix+"." || alt != part[13:] {
					t.Errorf("key %q, other %q: want %s. and the MAC, the plain MAC as the other", part, alt, prefix)
				}
			case tc.shaped:
				if len(part) != 64 || alt != prefix+"."+part {
					t.Errorf("key %q, other %q: want the plain MAC, the ordered form as the other", part, alt)
				}
			default:
				if len(part) != 64 || k.altKey != "" {
					t.Errorf("key %q, other %q: want a plain MAC and no other key", part, k.altKey)
				}
			}
		})
	}
}

// TestIssueIdempotentTimeOrderedIDs: a version 7 request id replays from
// its record whichever of its two keys holds it: the time-ordered one, or
// the plain MAC (as releases before the ordered layout wrote it, and as
// this one writes an id outside the window), also when a retry comes after
// the window has passed; other content is refused either way.
func TestIssueIdempotentTimeOrderedIDs(t *testing.T) {
	w := newWorld(t)

	// Written now: under the time-ordered key.
	current := request()
	current.RequestID = newUUID7(t, w.clk.Now())
	first := w.issue(func(r *IssueRequest) { *r = current })

	// Written as older releases did: the same commit path with the
	// plain-MAC key and no other key to try.
	legacy := request()
	legacy.RequestID = newUUID7(t, w.clk.Now())
	k, sec := keyedRequest(t, w, legacy)
	old := *k
	old.key, old.altKey = k.altKey, ""
	pl, _, err := w.svc.plan(ctx, &old, sec)
	if err != nil {
		t.Fatal(err)
	}
	firstLegacy, err := w.svc.signAndCommit(ctx, &old, pl, sec)
	if err != nil {
		t.Fatal(err)
	}

	kc, _ := keyedRequest(t, w, current)
	if err := w.st.View(ctx, func(tx store.ReadTx) error {
		for _, c := range []struct {
			what, key string
			want      error
		}{
			{"current record under the time-ordered key", kc.key, nil},
			{"current record under the plain key", kc.altKey, model.ErrNotFound},
			{"legacy record under the plain key", k.altKey, nil},
			{"legacy record under the time-ordered key", k.key, model.ErrNotFound},
		} {
			if _, err := tx.GetRequest(c.key); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.what, err, c.want)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	otherHolder := func(r IssueRequest) IssueRequest { r.HolderID = "did:example:other"; return r }
	tests := []struct {
		name string
		req  IssueRequest
		want *Issued // nil: refused as reused
	}{
		// Refusals first: a wrongly fresh issuance would otherwise leave
		// a record the later cases find.
		{name: "error/time-ordered record, other content", req: otherHolder(current)},
		{name: "error/legacy record, other content", req: otherHolder(legacy)},
		{name: "ok/time-ordered record replays", req: current, want: first},
		{name: "ok/legacy record replays", req: legacy, want: firstLegacy},
	}
	for _, stage := range []string{"", " after reopen", " two days later"} {
		switch stage {
		case " after reopen":
			w.reopen()
		case " two days later":
			// Now the ids are outside the window: they are keyed by the
			// plain MAC, and the ordered record is found as the other key.
			w.clk.Advance(48 * time.Hour)
		}
		for _, tc := range tests {
			t.Run(tc.name+stage, func(t *testing.T) {
				w.clk.Advance(10 * time.Second)
				out, err := w.svc.Issue(ctx, rocClient, tc.req)
				if tc.want == nil {
					checkErr(t, err, model.ErrRequestIDReused)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if out.JWS != tc.want.JWS || out.Record.ID != tc.want.Record.ID {
					t.Fatalf("replayed %s, want the first credential %s", out.Record.ID, tc.want.Record.ID)
				}
			})
		}
	}
}
