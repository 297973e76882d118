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

// keyedRequest is what Issue stores for req as roc's client: its pending
// form with keys and fingerprint keyed by the deployment secret.
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
	return sec.keyed(p), sec
}

// TestRequestKeyLayout: a version 7 request id is keyed with its time in
// front of the MAC (so records of one commit share pages) and remembers
// the plain-MAC key of older releases; any other id keeps the plain key.
func TestRequestKeyLayout(t *testing.T) {
	w := newWorld(t)
	v7, err := uuid7.New(w.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	prefix, _ := uuid7.TimePrefix(v7)
	tests := []struct {
		name, id   string
		wantPrefix string // of the MAC part of the key; "" for a plain MAC
	}{
		{name: "version 7 id", id: v7, wantPrefix: prefix + "."},
		{name: "version 7 id in upper case", id: strings.ToUpper(v7), wantPrefix: prefix + "."},
		{name: "version 4 id", id: "6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"},
		{name: "free-form id", id: "student-12345-2026"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := request()
			req.RequestID = tc.id
			k, _ := keyedRequest(t, w, req)
			scope := requests.Key(rocClient.ID, "IssueCredential", "")
			mac, ok := strings.CutPrefix(k.key, scope)
			if !ok {
				t.Fatalf("key %q is not scoped to the client and operation", k.key)
			}
			if strings.Contains(k.key, tc.id) {
				t.Errorf("key %q holds the request id in clear", k.key)
			}
			if tc.wantPrefix == "" {
				if len(mac) != 64 || k.legacyKey != "" {
					t.Errorf("key %q (legacy %q), want a plain MAC and no legacy key", k.key, k.legacyKey)
				}
				return
			}
			if !strings.HasPrefix(mac, tc.wantPrefix) || len(mac) != len(tc.wantPrefix)+64 {
				t.Errorf("key %q: MAC part %q, want %s followed by the MAC", k.key, mac, tc.wantPrefix)
			}
			if k.legacyKey != scope+mac[len(tc.wantPrefix):] {
				t.Errorf("legacy key %q, want the plain MAC %q", k.legacyKey, scope+mac[len(tc.wantPrefix):])
			}
		})
	}
}

// TestIssueIdempotentTimeOrderedIDs: a version 7 request id replays from
// its record whether that was written in the time-ordered layout or, by a
// release before it, under the plain MAC; other content is refused either
// way, and each record is where its layout says.
func TestIssueIdempotentTimeOrderedIDs(t *testing.T) {
	w := newWorld(t)
	newID := func() string {
		id, err := uuid7.New(w.clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		return id
	}

	// Written now: under the time-ordered key.
	current := request()
	current.RequestID = newID()
	first := w.issue(func(r *IssueRequest) { *r = current })

	// Written as older releases did: the same commit path with the
	// plain-MAC key and no fallback.
	legacy := request()
	legacy.RequestID = newID()
	k, sec := keyedRequest(t, w, legacy)
	old := *k
	old.key, old.legacyKey = k.legacyKey, ""
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
			{"current record under the plain key", kc.legacyKey, model.ErrNotFound},
			{"legacy record under the plain key", k.legacyKey, nil},
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
	for _, reopened := range []bool{false, true} {
		if reopened {
			w.reopen()
		}
		for _, tc := range tests {
			name := tc.name
			if reopened {
				name += " after reopen"
			}
			t.Run(name, func(t *testing.T) {
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
