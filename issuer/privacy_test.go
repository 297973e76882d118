package issuer

import (
	"bytes"
	"crypto/sha256"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/internal/requests"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
	"github.com/skillpass-nl/skillpass/store/bolt"
)

// holderHash is what w's deployment records for holderID at issuerID.
func (w *world) holderHash(issuerID, holderID string) [32]byte {
	w.t.Helper()
	sec, err := w.svc.secrets(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return sec.holder.Hash(issuerID, holderID)
}

// issueAs issues request() for issuerID (monteur v1) as client.
func (w *world) issueAs(t *testing.T, client model.Principal, issuerID, requestID string) *Issued {
	t.Helper()
	req := request()
	req.IssuerID, req.RequestID = issuerID, requestID
	out, err := w.svc.Issue(ctx, client, req)
	if err != nil {
		t.Fatalf("issue for %s: %v", issuerID, err)
	}
	return out
}

// TestHolderHashUnlinkable: the recorded holder hash is keyed per
// deployment and scoped per issuer, so the database alone neither links one
// holder's credentials across issuers nor confirms a guessed holder id.
func TestHolderHashUnlinkable(t *testing.T) {
	w := newWorld(t)
	if _, err := w.svc.RotateKey(ctx, root, "", "nokeys", "", nil); err != nil {
		t.Fatal(err)
	}
	roc1 := w.issueAs(t, rocClient, "roc", "").Record.HolderHash
	roc2 := w.issueAs(t, rocClient, "roc", "").Record.HolderHash
	atOther := w.issueAs(t, nokeysClient, "nokeys", "").Record.HolderHash
	elsewhere := newWorld(t).issue(nil).Record.HolderHash // another deployment
	guess := sha256.Sum256([]byte(holder))
	tests := []struct {
		name      string
		a, b      [32]byte
		wantEqual bool
	}{
		{name: "ok/same holder, same issuer", a: roc1, b: roc2, wantEqual: true},
		{name: "error/same holder at another issuer", a: roc1, b: atOther},
		{name: "error/same holder, same issuer, other deployment", a: roc1, b: elsewhere},
		{name: "error/plain SHA-256 of a guessed holder id", a: roc1, b: guess},
		{name: "error/old unkeyed holder hash", a: roc1, b: sha256.Sum256([]byte("skillpass holder v1\x00" + holder))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if (tc.a == tc.b) != tc.wantEqual {
				t.Fatalf("hashes equal = %v, want %v", tc.a == tc.b, tc.wantEqual)
			}
		})
	}
}

// TestRequestResultSealed: the credential kept for replay is not in the
// database file in any readable form, and replay still returns it.
func TestRequestResultSealed(t *testing.T) {
	w := newWorld(t)
	const requestID = "req-sealed-student-0123456"
	first := w.issueAs(t, rocClient, "roc", requestID)
	payload := strings.Split(first.JWS, ".")[1]
	w.reopen()
	again := w.issueAs(t, rocClient, "roc", requestID)
	if again.JWS != first.JWS {
		t.Fatal("replay after reopen returned another credential")
	}
	if err := w.st.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	// The request id and the plain fingerprint would let a database thief
	// confirm guesses; both are stored keyed.
	p, err := w.svc.prepare(rocClient, withRequestID(request(), requestID))
	if err != nil {
		t.Fatal(err)
	}
	for what, s := range map[string]string{"the credential": first.JWS, "its payload": payload, "the holder id": holder,
		"the request id": requestID, "the plain fingerprint": string(p.fp[:])} {
		if bytes.Contains(db, []byte(s)) {
			t.Errorf("database file contains %s in plain text", what)
		}
	}
}

// TestRequestResultBoundToRecord: a sealed result moved onto another
// request record, or a record edited to name another credential, does
// not open.
func TestRequestResultBoundToRecord(t *testing.T) {
	tests := []struct {
		name string
		edit func(a, b *model.RequestRecord)
		want error
	}{
		{name: "ok/untouched", edit: func(a, b *model.RequestRecord) {}},
		{name: "error/results swapped", edit: func(a, b *model.RequestRecord) { a.Result, b.Result = b.Result, a.Result }, want: keys.ErrUnsealFailed},
		{name: "error/names swapped", edit: func(a, b *model.RequestRecord) { a.ResultName, b.ResultName = b.ResultName, a.ResultName }, want: keys.ErrUnsealFailed},
		{name: "error/plain credential planted", edit: func(a, b *model.RequestRecord) { a.Result = []byte("eyJhbGciOiJFUzI1NiJ9.e30.c2ln") }, want: keys.ErrSealedMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.issueAs(t, rocClient, "roc", "req-a")
			w.issueAs(t, rocClient, "roc", "req-b")
			ka, kb := storedRequestKey(t, w, "req-a"), storedRequestKey(t, w, "req-b")
			err := w.st.Update(ctx, func(tx store.Tx) error {
				a, err := tx.GetRequest(ka)
				if err != nil {
					return err
				}
				b, err := tx.GetRequest(kb)
				if err != nil {
					return err
				}
				tc.edit(a, b)
				if err := tx.PutRequest(ka, a); err != nil {
					return err
				}
				return tx.PutRequest(kb, b)
			})
			if err != nil {
				t.Fatal(err)
			}
			req := request()
			req.RequestID = "req-a"
			_, err = w.svc.Issue(ctx, rocClient, req)
			checkErr(t, err, tc.want)
		})
	}
}

// TestReplayAfterRewrapAndRestore: the deployment secret moves with a KEK
// rewrap and with a backup, so replays and holder hashes stay as they were.
func TestReplayAfterRewrapAndRestore(t *testing.T) {
	newKEK, err := keys.GenerateKEK()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		after func(t *testing.T, w *world) *Service // the service that replays
	}{
		{name: "ok/same service", after: func(_ *testing.T, w *world) *Service { return w.svc }},
		{name: "ok/after KEK rewrap", after: func(t *testing.T, w *world) *Service {
			if _, err := RewrapKeys(ctx, w.st, w.kek, newKEK); err != nil {
				t.Fatal(err)
			}
			// The old KEK opens nothing any more, the deployment secret
			// included.
			_, err := w.serviceWith(t, w.kek).Issue(ctx, rocClient, request())
			checkErr(t, err, keys.ErrWrongKEK)
			return w.serviceWith(t, newKEK)
		}},
		{name: "ok/restored from a backup into a new database", after: func(t *testing.T, w *world) *Service {
			var buf bytes.Buffer
			if _, err := w.st.Backup(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			st, err := bolt.Open(t.TempDir()+"/restored.db", bolt.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = st.Close() })
			if _, err := st.Restore(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			s, err := New(Config{Store: st, KEK: w.kek, BaseURL: base, Now: w.clk.Now})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			first := w.issueAs(t, rocClient, "roc", "req-1")
			w.clk.Advance(time.Minute)
			svc := tc.after(t, w)
			req := request()
			req.RequestID = "req-1"
			again, err := svc.Issue(ctx, rocClient, req)
			if err != nil || again.JWS != first.JWS {
				t.Fatalf("replay: %v (same credential %v)", err, err == nil && again.JWS == first.JWS)
			}
			req.RequestID = ""
			fresh, err := svc.Issue(ctx, rocClient, req)
			if err != nil || fresh.Record.HolderHash != first.Record.HolderHash {
				t.Fatalf("new issuance: %v; same holder hash as before %v", err, err == nil && fresh.Record.HolderHash == first.Record.HolderHash)
			}
		})
	}
}

// TestSecretReplacedUnderRunningService: a restore of a backup taken
// before the deployment secret existed replaces the database under a
// service that has the secret cached; issuance notices in its commit and
// goes on with a secret the database holds.
func TestSecretReplacedUnderRunningService(t *testing.T) {
	w := newWorld(t)
	var before bytes.Buffer
	if _, err := w.st.Backup(ctx, &before); err != nil {
		t.Fatal(err)
	}
	w.issue(nil) // creates and caches the secret
	if _, err := w.st.Restore(ctx, &before); err != nil {
		t.Fatal(err)
	}
	first := w.issueAs(t, rocClient, "roc", "req-1")
	w.reopen()
	again := w.issueAs(t, rocClient, "roc", "req-1")
	if again.JWS != first.JWS {
		t.Fatal("replay after the restore and a restart returned another credential")
	}
	if again.Record.HolderHash != w.holderHash("roc", holder) {
		t.Fatal("record's holder hash was made under a secret the database does not hold")
	}
}

// storedRequestKey is the key under which rocClient's request requestID is
// stored: keyed by the deployment secret.
func storedRequestKey(t *testing.T, w *world, requestID string) string {
	t.Helper()
	sec, err := w.svc.secrets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := &pending{actorID: rocClient.ID, key: requests.Key(rocClient.ID, "IssueCredential", requestID), req: IssueRequest{RequestID: requestID}}
	return sec.keyed(p, w.clk.Now()).key
}

func withRequestID(r IssueRequest, id string) IssueRequest {
	r.RequestID = id
	return r
}
