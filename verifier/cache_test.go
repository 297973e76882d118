package verifier

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

// TestVerifyCache: a repeated token is served from the cache until
// something it depends on changes: a status bit, a registry record, a key,
// or a time boundary; then the next Verify recomputes.
func TestVerifyCache(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mint   func(*credential.BuildInput) // nil: the default credential
		change func(w *world)
		// after the change: the verdict, and the item and reason that show it
		verdict string
		check   CheckName
		reason  string
	}{
		{"ok/nothing changed", nil, func(*world) {}, Valid, CheckStatus, ReasonOK},
		{"ok/revoked", nil, func(w *world) { w.setStatus(statuslist.PurposeRevocation, w.next, true) }, Invalid, CheckStatus, ReasonRevoked},
		{"ok/suspended and reinstated", nil, func(w *world) {
			w.setStatus(statuslist.PurposeSuspension, w.next, true)
			if v := w.verify(w.tok); v.Cached || item(w.t, v, CheckStatus).Reason != ReasonSuspended {
				w.t.Fatalf("after suspension: cached %v, status %s", v.Cached, item(w.t, v, CheckStatus).Reason)
			}
			w.setStatus(statuslist.PurposeSuspension, w.next, false)
		}, Valid, CheckStatus, ReasonOK},
		{"ok/issuer renamed", nil, func(w *world) {
			w.update(func(tx store.Tx) error {
				i, err := tx.GetIssuer(rocID)
				if err != nil {
					return err
				}
				i.LegalName = "ROC Nieuwe Naam"
				return tx.UpdateIssuer(i)
			})
		}, Valid, CheckIssuer, ReasonIssuerNameChanged},
		{"ok/accreditation suspended after issuance", nil, func(w *world) {
			w.changeAccreditation(model.AccreditationSuspended, w.clk.Now().Add(time.Second))
			w.clk.Advance(time.Second)
		},
			Valid, CheckCurrentStanding, ReasonStandingSuspended},
		{"ok/scheduled suspension takes effect", nil, func(w *world) {
			w.changeAccreditation(model.AccreditationSuspended, w.clk.Now().Add(10*time.Second))
			if v := w.verify(w.tok); v.Cached || item(w.t, v, CheckCurrentStanding).Reason != ReasonStandingAccredited {
				w.t.Fatalf("before the suspension: cached %v, standing %s", v.Cached, item(w.t, v, CheckCurrentStanding).Reason)
			}
			w.clk.Advance(10 * time.Second)
		}, Valid, CheckCurrentStanding, ReasonStandingSuspended},
		{"ok/key compromised", nil, func(w *world) {
			k := w.signingKey(rocID, w.clk.Now())
			set, err := keys.Compromise(w.keySet(rocID), k.Kid, w.clk.Now(), "HSM breach")
			if err != nil {
				w.t.Fatal(err)
			}
			w.update(func(tx store.Tx) error { return tx.PutIssuerKeys(rocID, set) })
		}, Invalid, CheckKey, ReasonKeyCompromised},
		{"ok/expires", func(i *credential.BuildInput) { i.ValidUntil = i.ValidFrom.Add(30 * time.Second) }, func(w *world) { w.clk.Advance(31 * time.Second) },
			Invalid, CheckValidity, ReasonExpired},
		{"ok/becomes valid", func(i *credential.BuildInput) { i.ValidFrom = i.ValidFrom.Add(20 * time.Second) }, func(w *world) {
			if v := w.verify(w.tok); !v.Cached || v.Verdict != Invalid {
				w.t.Fatalf("before validFrom: cached %v verdict %s, want a cached INVALID", v.Cached, v.Verdict)
			}
			w.clk.Advance(20 * time.Second)
		}, Valid, CheckValidity, ReasonOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			if tc.mint != nil {
				w.tok = w.mint(func(m *mintInput) { tc.mint(&m.BuildInput) })
			} else {
				w.tok = w.mint()
			}
			first := w.verify(w.tok)
			if first.Cached {
				t.Fatal("first verdict is marked cached")
			}
			if again := w.verify(w.tok); !again.Cached || again.Verdict != first.Verdict {
				t.Fatalf("repeat: cached %v verdict %s, want the cached %s", again.Cached, again.Verdict, first.Verdict)
			}
			tc.change(w)
			v := w.verify(w.tok)
			checkWellFormed(t, v)
			changed := tc.name != "ok/nothing changed"
			if v.Cached == changed {
				t.Errorf("after the change: cached %v, want %v", v.Cached, !changed)
			}
			if c := item(t, v, tc.check); v.Verdict != tc.verdict || c.Reason != tc.reason {
				t.Errorf("after the change: %s with %s %s, want %s with %s", v.Verdict, tc.check, c.Reason, tc.verdict, tc.reason)
			}
			if again := w.verify(w.tok); !again.Cached || again.Verdict != v.Verdict {
				t.Errorf("repeat after the change: cached %v verdict %s", again.Cached, again.Verdict)
			}
		})
	}
}

func TestVerifyCacheLifetime(t *testing.T) {
	w := newWorld(t)
	tok := w.mint()
	w.verify(tok)
	w.clk.Advance(maxCacheLifetime - time.Second)
	if !w.verify(tok).Cached {
		t.Error("verdict not cached within its lifetime")
	}
	w.clk.Advance(time.Second)
	if w.verify(tok).Cached {
		t.Errorf("verdict served from the cache after %s", maxCacheLifetime)
	}
}

func TestVerifyCacheBounded(t *testing.T) {
	w := newWorldWith(t, Config{CacheEntries: 2})
	a, b, c := w.mint(), w.mint(), w.mint()
	for _, tok := range []string{a, b, a, c} { // c evicts b, the least recently used
		w.verify(tok)
	}
	for _, tc := range []struct {
		name   string
		tok    string
		cached bool
	}{{"a kept (used recently)", a, true}, {"c kept", c, true}, {"b evicted", b, false}} { // in this order: each Verify changes the LRU
		if got := w.verify(tc.tok).Cached; got != tc.cached {
			t.Errorf("%s: cached %v, want %v", tc.name, got, tc.cached)
		}
	}
}

// TestVerifyCacheIsolated: changing a returned verdict must not change
// what the cache serves next.
func TestVerifyCacheIsolated(t *testing.T) {
	w := newWorld(t)
	tok := w.mint()
	v := w.verify(tok)
	v.Checks[0].Reason = "TAMPERED"
	v.Content.Competencies[0].Name.EN = "tampered"
	again := w.verify(tok)
	if again.Checks[0].Reason != ReasonOK || again.Content.Competencies[0].Name.EN == "tampered" {
		t.Fatal("a caller's change to a verdict reached the cache")
	}
}

// TestVerifyConcurrent verifies from many goroutines while the status of
// one credential changes; run with -race. Once the revocation is written,
// every later Verify must see it.
func TestVerifyConcurrent(t *testing.T) {
	w := newWorld(t)
	toks := []string{w.mint(), w.mint(), w.mint()}
	revokedIndex := w.next
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				v, err := w.svc.Verify(ctx, toks[(g+i)%len(toks)])
				if err != nil {
					t.Error(err)
					return
				}
				if len(v.Checks) != len(checkOrder) {
					t.Errorf("verdict with %d items", len(v.Checks))
				}
			}
		})
	}
	w.setStatus(statuslist.PurposeRevocation, revokedIndex, true)
	wg.Wait()
	if v := w.verify(toks[2]); item(t, v, CheckStatus).Reason != ReasonRevoked {
		t.Fatalf("after revocation: status %s", item(t, v, CheckStatus).Reason)
	}
	if v := w.verify(toks[0]); v.Verdict != Valid {
		t.Fatalf("an unrevoked credential is %s", v.Verdict)
	}
}

// countingReader counts read transactions.
type countingReader struct {
	store.Reader
	views atomic.Int64
}

func (c *countingReader) View(ctx context.Context, fn func(store.ReadTx) error) error {
	c.views.Add(1)
	return c.Reader.View(ctx, fn)
}

// TestVerifySnapshots: once what verification needs is in memory, a
// distinct credential is verified without touching the store; a status
// change reloads only the status lists, not the registry or the keys.
func TestVerifySnapshots(t *testing.T) {
	w := newWorld(t)
	cr := &countingReader{Reader: w.st}
	svc, err := New(Config{Store: cr, BaseURL: base, Now: w.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	verify := func(tok string) *Verdict {
		t.Helper()
		v, err := svc.Verify(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first, second, third := w.mint(), w.mint(), w.mint()
	if v := verify(first); v.Verdict != Valid {
		t.Fatalf("first: %s", v.Verdict)
	}
	for _, tc := range []struct {
		name   string
		change func()
		tok    string
		views  int64
	}{
		{"ok/warm: no store access", func() {}, second, 0},
		{"ok/status change: both lists reloaded, nothing else", func() { w.setStatus(statuslist.PurposeSuspension, 1, true) }, third, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			before := cr.views.Load()
			if v := verify(tc.tok); v.Verdict != Valid || v.Cached {
				t.Fatalf("verdict %s cached %v, want a fresh VALID", v.Verdict, v.Cached)
			}
			if got := cr.views.Load() - before; got != tc.views {
				t.Errorf("%d read transactions, want %d", got, tc.views)
			}
		})
	}
}
