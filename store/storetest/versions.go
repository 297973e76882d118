package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

var topicNames = [store.NumTopics]string{
	store.TopicRegistry: "registry",
	store.TopicKeys:     "keys",
	store.TopicStatus:   "status",
}

type topicVersions [store.NumTopics]uint64

func versionsOf(s store.Reader) topicVersions {
	var v topicVersions
	for t := range store.NumTopics {
		v[t] = s.Version(t)
	}
	return v
}

// checkBumped fails unless exactly the topics in want grew from before to
// after, and no counter went backwards.
func checkBumped(t *testing.T, before, after topicVersions, want ...store.Topic) {
	t.Helper()
	for topic := range store.NumTopics {
		wantBump := false
		for _, w := range want {
			wantBump = wantBump || w == topic
		}
		switch grew := after[topic] > before[topic]; {
		case after[topic] < before[topic]:
			t.Errorf("%s version went back from %d to %d", topicNames[topic], before[topic], after[topic])
		case grew != wantBump:
			t.Errorf("%s version %d -> %d; want bumped: %t", topicNames[topic], before[topic], after[topic], wantBump)
		}
	}
}

// writeFn is how a transaction is run: through Update or through Batch.
type writeFn func(s store.Store, ctx context.Context, fn func(store.Tx) error) error

var writeModes = []struct {
	name string
	run  writeFn
}{
	{"update", func(s store.Store, ctx context.Context, fn func(store.Tx) error) error { return s.Update(ctx, fn) }},
	{"batch", func(s store.Store, ctx context.Context, fn func(store.Tx) error) error { return s.Batch(ctx, fn) }},
}

// testVersions: which writes bump which topic. Issuance and request
// records must bump nothing (issuing must not empty the verifier's
// caches); a failed transaction bumps nothing; a bump is never visible
// before the commit.
func testVersions(t *testing.T, open Opener) {
	seed := func(tx store.Tx) error {
		for _, write := range []func() error{
			func() error { return tx.CreateSector(sector("s1")) },
			func() error { return tx.CreateAccreditation(accreditation("i1", "a1", "s1", "p")) },
			func() error { return tx.CreateCredential(credential("i1", "c1", 0, 1)) },
			func() error { return tx.CreatePrincipal(principal("alice")) },
		} {
			if err := write(); err != nil {
				return err
			}
		}
		return nil
	}
	set := keySet(t, "i1")
	cases := []struct {
		name    string
		fn      func(tx store.Tx) error
		wantErr error
		want    []store.Topic
	}{
		{name: "ok/sector created", fn: func(tx store.Tx) error { return tx.CreateSector(sector("s2")) }, want: []store.Topic{store.TopicRegistry}},
		{name: "ok/sector updated", fn: func(tx store.Tx) error { return tx.UpdateSector(sector("s1")) }, want: []store.Topic{store.TopicRegistry}},
		{name: "ok/profile version", fn: func(tx store.Tx) error { return tx.CreateProfileVersion(profile("s1", "p", 1)) }, want: []store.Topic{store.TopicRegistry}},
		{name: "ok/issuer", fn: func(tx store.Tx) error { return tx.CreateIssuer(issuer("i2")) }, want: []store.Topic{store.TopicRegistry}},
		{name: "ok/accreditation", fn: func(tx store.Tx) error { return tx.CreateAccreditation(accreditation("i1", "a2", "s1", "p")) }, want: []store.Topic{store.TopicRegistry}},
		{name: "ok/accreditation event", fn: func(tx store.Tx) error {
			_, err := tx.AppendAccreditationEvent("i1", "a1", event(model.AccreditationSuspended, 3))
			return err
		}, want: []store.Topic{store.TopicRegistry}},
		{name: "ok/key set", fn: func(tx store.Tx) error { return tx.PutIssuerKeys("i1", set) }, want: []store.Topic{store.TopicKeys}},
		{name: "ok/status list", fn: func(tx store.Tx) error { return tx.PutStatusList(statusList("i1", model.PurposeRevocation, 0)) }, want: []store.Topic{store.TopicStatus}},
		{name: "ok/credential issued bumps nothing", fn: func(tx store.Tx) error { return tx.CreateCredential(credential("i1", "c2", 0, 2)) }},
		{name: "ok/credential updated bumps nothing", fn: func(tx store.Tx) error { return tx.UpdateCredential(with(credential("i1", "c1", 0, 1), suspended)) }},
		{name: "ok/request record bumps nothing", fn: func(tx store.Tx) error { return tx.PutRequest(requestKeys[0], request("r1")) }},
		{name: "ok/secret bumps nothing", fn: func(tx store.Tx) error { return tx.PutSecret("deployment", []byte("sealed")) }},
		{name: "ok/principal and token bump nothing", fn: func(tx store.Tx) error { return tx.CreateToken(token("alice", "t1")) }},
		{name: "ok/reads bump nothing", fn: func(tx store.Tx) error { _, err := tx.GetSector("s1"); return err }},
		{name: "ok/every topic in one transaction", fn: func(tx store.Tx) error {
			return errors.Join(tx.CreateIssuer(issuer("i2")), tx.PutIssuerKeys("i1", set), tx.PutStatusList(statusList("i1", model.PurposeSuspension, 0)))
		}, want: []store.Topic{store.TopicRegistry, store.TopicKeys, store.TopicStatus}},
		{name: "error/failed transaction bumps nothing", fn: func(tx store.Tx) error {
			if err := errors.Join(tx.CreateIssuer(issuer("i2")), tx.PutIssuerKeys("i1", set), tx.PutStatusList(statusList("i1", model.PurposeSuspension, 0))); err != nil {
				return err
			}
			return errAbort
		}, wantErr: errAbort},
	}
	for _, mode := range writeModes {
		for _, tc := range cases {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
				s := open(t)
				update(t, s, seed)
				before := versionsOf(s)
				err := mode.run(s, context.Background(), func(tx store.Tx) error {
					err := tc.fn(tx)
					// Nothing is committed yet, so nothing may be bumped.
					if v := versionsOf(s); v != before {
						return fmt.Errorf("versions moved before the commit: %v -> %v", before, v)
					}
					return err
				})
				if !checkErr(t, "write", err, tc.wantErr) {
					return
				}
				checkBumped(t, before, versionsOf(s), tc.want...)
			})
		}
	}
}

// testRestoreVersions: a restore may change any record, so it bumps every
// topic; a refused restore changes nothing and bumps nothing.
func testRestoreVersions(t *testing.T, open Opener) {
	cases := []struct {
		name     string
		snapshot func(t *testing.T, s store.Store) []byte
		wantErr  error
		want     []store.Topic
	}{
		{
			name: "ok/restore bumps every topic",
			snapshot: func(t *testing.T, s store.Store) []byte {
				var buf bytes.Buffer
				if _, err := s.Backup(context.Background(), &buf); err != nil {
					t.Fatalf("Backup: %v", err)
				}
				return buf.Bytes()
			},
			want: []store.Topic{store.TopicRegistry, store.TopicKeys, store.TopicStatus},
		},
		{
			name:     "error/refused restore bumps nothing",
			snapshot: func(*testing.T, store.Store) []byte { return []byte("not a database") },
			wantErr:  model.ErrBackupInvalid,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			update(t, s, seedAll)
			snapshot := tc.snapshot(t, s)
			before := versionsOf(s)
			_, err := s.Restore(context.Background(), bytes.NewReader(snapshot))
			if checkErr(t, "Restore", err, tc.wantErr) {
				checkBumped(t, before, versionsOf(s), tc.want...)
			}
		})
	}
}
