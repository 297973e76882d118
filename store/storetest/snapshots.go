package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// contents is everything a store holds that the tests wrote, read through
// the public interface, for comparing whole states.
type contents struct {
	Sectors        []*model.Sector
	Profiles       []*model.ProfileVersion
	Issuers        []*model.Issuer
	Accreditations []*model.Accreditation
	Principals     []*model.Principal
	Tokens         []*model.Token
	Requests       map[string]*model.RequestRecord
	Secrets        map[string][]byte
	KeySets        map[string]keys.Set // by issuer id
	Credentials    []*model.CredentialRecord
	StatusIndexes  map[string][]int // by "issuer/list"
	StatusLists    []*model.StatusList
}

// readAll pages through every list; pagination itself is tested elsewhere.
func readAll[T any](list func(cursor string, limit int) ([]T, string, error)) ([]T, error) {
	var all []T
	for cursor := ""; ; {
		page, next, err := list(cursor, 100)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if cursor = next; next == "" {
			return all, nil
		}
	}
}

var requestKeys = []string{"alice\x00op\x00r1", "alice\x00op\x00r2"}

// secretNames are the secrets the snapshot states hold.
var secretNames = []string{"deployment", "later"}

func readContents(t *testing.T, s store.Store) contents {
	t.Helper()
	var c contents
	view(t, s, func(tx store.ReadTx) (err error) {
		if c.Sectors, err = readAll(tx.ListSectors); err != nil {
			return err
		}
		for _, sec := range c.Sectors {
			ps, err := readAll(func(cur string, l int) ([]*model.ProfileVersion, string, error) {
				return tx.ListProfileVersions(sec.ID, "", cur, l)
			})
			if err != nil {
				return err
			}
			c.Profiles = append(c.Profiles, ps...)
		}
		if c.Issuers, err = readAll(tx.ListIssuers); err != nil {
			return err
		}
		for _, is := range c.Issuers {
			as, err := readAll(func(cur string, l int) ([]*model.Accreditation, string, error) {
				return tx.ListAccreditations(is.ID, cur, l)
			})
			if err != nil {
				return err
			}
			c.Accreditations = append(c.Accreditations, as...)
		}
		if c.Principals, err = readAll(tx.ListPrincipals); err != nil {
			return err
		}
		for _, p := range c.Principals {
			ts, err := readAll(func(cur string, l int) ([]*model.Token, string, error) { return tx.ListTokens(p.ID, cur, l) })
			if err != nil {
				return err
			}
			c.Tokens = append(c.Tokens, ts...)
		}
		// Indexes must be restored with their records.
		for _, tok := range c.Tokens {
			if _, err := tx.TokenBySecretHash(tok.SecretHash); err != nil {
				return fmt.Errorf("token %s/%s not found by its hash: %w", tok.PrincipalID, tok.ID, err)
			}
		}
		if err := readIssuance(tx, &c); err != nil {
			return err
		}
		if c.Secrets, err = readKnown(secretNames, tx.GetSecret); err != nil {
			return err
		}
		c.Requests, err = readKnown(requestKeys, tx.GetRequest)
		return err
	})
	return c
}

// readKnown reads the records stored under the given keys into a map,
// leaving out the keys that hold none.
func readKnown[T any](keys []string, get func(string) (T, error)) (map[string]T, error) {
	out := map[string]T{}
	for _, k := range keys {
		v, err := get(k)
		if errors.Is(err, model.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// readIssuance adds every issuer's key set, credential records, status
// slots and status lists to c.
func readIssuance(tx store.ReadTx, c *contents) error {
	c.KeySets, c.StatusIndexes = map[string]keys.Set{}, map[string][]int{}
	for _, is := range c.Issuers {
		set, err := tx.IssuerKeys(is.ID)
		if err != nil {
			return err
		}
		c.KeySets[is.ID] = set
		cs, err := readAll(func(cur string, l int) ([]*model.CredentialRecord, string, error) {
			return tx.ListCredentials(is.ID, cur, l)
		})
		if err != nil {
			return err
		}
		c.Credentials = append(c.Credentials, cs...)
		lists, err := tx.StatusListCount(is.ID)
		if err != nil {
			return err
		}
		for list := range lists {
			if c.StatusIndexes[fmt.Sprintf("%s/%d", is.ID, list)], err = tx.StatusIndexes(is.ID, list); err != nil {
				return err
			}
			for _, purpose := range []string{model.PurposeRevocation, model.PurposeSuspension} {
				l, err := tx.GetStatusList(is.ID, purpose, list)
				if errors.Is(err, model.ErrNotFound) {
					continue
				}
				if err != nil {
					return err
				}
				c.StatusLists = append(c.StatusLists, l)
			}
		}
	}
	return nil
}

// seedAll writes one of every record kind.
func seedAll(tx store.Tx) error {
	set, err := keySetFor("i1")
	if err != nil {
		return err
	}
	for _, write := range []func() error{
		func() error { return tx.PutIssuerKeys("i1", set) },
		func() error { return tx.CreateCredential(credential("i1", "c1", 0, 7)) },
		func() error { return tx.PutStatusList(statusList("i1", model.PurposeRevocation, 0)) },
		func() error { return tx.CreateSector(sector("s1")) },
		func() error { return tx.CreateProfileVersion(profile("s1", "p", 1)) },
		func() error { return tx.CreateIssuer(issuer("i1")) },
		func() error { return tx.CreateAccreditation(accreditation("i1", "a1", "s1", "p")) },
		func() error { return tx.CreatePrincipal(principal("alice")) },
		func() error { return tx.CreateToken(token("alice", "t1")) },
		func() error { return tx.PutRequest(requestKeys[0], request("r1")) },
		func() error { return tx.PutSecret(secretNames[0], []byte("sealed-1")) },
	} {
		if err := write(); err != nil {
			return err
		}
	}
	return nil
}

// changeAll changes every record kind after a backup was taken.
func changeAll(tx store.Tx) error {
	set, err := keySetFor("i1")
	if err != nil {
		return err
	}
	for _, write := range []func() error{
		func() error { return tx.PutIssuerKeys("i1", set) },
		func() error { return tx.UpdateCredential(with(credential("i1", "c1", 0, 7), suspended)) },
		func() error { return tx.CreateCredential(credential("i1", "c2", 1, 7)) },
		func() error { return tx.PutStatusList(statusList("i1", model.PurposeSuspension, 0)) },
		func() error {
			return tx.UpdateSector(with(sector("s1"), func(s *model.Sector) { s.Authority = "changed" }))
		},
		func() error { return tx.CreateSector(sector("s2")) },
		func() error { return tx.CreateProfileVersion(profile("s1", "p", 2)) },
		func() error {
			return tx.UpdateIssuer(with(issuer("i1"), func(i *model.Issuer) { i.LegalName = "changed" }))
		},
		func() error {
			_, err := tx.AppendAccreditationEvent("i1", "a1", event(model.AccreditationWithdrawn, 3))
			return err
		},
		func() error { return tx.CreateAccreditation(accreditation("i1", "a2", "s1", "p")) },
		func() error { return tx.CreatePrincipal(principal("bob")) },
		func() error { return tx.CreateToken(token("alice", "t2")) },
		func() error {
			return tx.UpdateToken(with(token("alice", "t1"), func(t *model.Token) { t.RevokeTime = at(4) }))
		},
		func() error { return tx.PutRequest(requestKeys[1], request("r2")) },
		func() error { return tx.PutSecret(secretNames[0], []byte("sealed-2")) },
		func() error { return tx.PutSecret(secretNames[1], []byte("sealed-3")) },
	} {
		if err := write(); err != nil {
			return err
		}
	}
	return nil
}

func testBackupRestore(t *testing.T, open Opener) {
	cases := []struct {
		name string
		// target returns the store to restore into, given the source.
		target func(t *testing.T, source store.Store) store.Store
	}{
		{"ok/into the same store", func(_ *testing.T, source store.Store) store.Store { return source }},
		{"ok/into another store", func(t *testing.T, _ store.Store) store.Store { return open(t) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			source := open(t)
			update(t, source, seedAll)
			want := readContents(t, source)
			var buf bytes.Buffer
			n, err := source.Backup(context.Background(), &buf)
			if err != nil {
				t.Fatalf("Backup: %v", err)
			}
			if n != int64(buf.Len()) {
				t.Errorf("Backup reported %d bytes, wrote %d", n, buf.Len())
			}
			update(t, source, changeAll)
			target := tc.target(t, source)
			if target != source {
				// Whatever the target held before is replaced, not merged.
				update(t, target, func(tx store.Tx) error { return tx.CreateSector(sector("only-in-target")) })
			}
			restored, err := target.Restore(context.Background(), bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("Restore: %v", err)
			}
			if restored != n {
				t.Errorf("Restore reported %d bytes, the backup has %d", restored, n)
			}
			assertEqual(t, readContents(t, target), want)
			// The restored store takes writes, and its indexes are the
			// backup's: t2 was created after the backup, so its id and
			// hash are free again.
			update(t, target, changeAll)
		})
	}
}

func testRestoreInvalid(t *testing.T, open Opener) {
	valid := func(t *testing.T) []byte {
		s := open(t)
		update(t, s, seedAll)
		var buf bytes.Buffer
		if _, err := s.Backup(context.Background(), &buf); err != nil {
			t.Fatalf("Backup: %v", err)
		}
		return buf.Bytes()
	}
	cases := []struct {
		name     string
		snapshot func(t *testing.T) []byte
	}{
		{"error/empty", func(*testing.T) []byte { return nil }},
		{"error/text", func(*testing.T) []byte { return []byte("this is not a database\n") }},
		{"error/garbage", func(*testing.T) []byte { return bytes.Repeat([]byte{0xA5, 0x00, 0x5A, 0xFF}, 64<<10) }},
		{"error/truncated backup", func(t *testing.T) []byte { b := valid(t); return b[:len(b)/2] }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snapshot := tc.snapshot(t)
			s := open(t)
			update(t, s, func(tx store.Tx) error {
				if err := seedAll(tx); err != nil {
					return err
				}
				return changeAll(tx)
			})
			want := readContents(t, s)
			_, err := s.Restore(context.Background(), bytes.NewReader(snapshot))
			if !errors.Is(err, model.ErrBackupInvalid) {
				t.Fatalf("Restore: %v, want ErrBackupInvalid", err)
			}
			assertEqual(t, readContents(t, s), want)
			update(t, s, func(tx store.Tx) error { return tx.CreateSector(sector("after")) })
		})
	}
}

// Backups and reads taken while a writer commits must each show one
// committed state: the writer adds sector w-N and sets the counter sector's
// authority to N in the same transaction, so in any consistent state the
// number of w- sectors equals the counter.
func testBackupWhileWriting(t *testing.T, open Opener) {
	const writes = 40
	s := open(t)
	update(t, s, func(tx store.Tx) error {
		return tx.CreateSector(with(sector("counter"), func(c *model.Sector) { c.Authority = "0" }))
	})
	done := make(chan error, 1)
	go func() {
		for i := 1; i <= writes; i++ {
			err := s.Update(context.Background(), func(tx store.Tx) error {
				if err := tx.CreateSector(sector(fmt.Sprintf("w-%02d", i))); err != nil {
					return err
				}
				return tx.UpdateSector(with(sector("counter"), func(c *model.Sector) { c.Authority = strconv.Itoa(i) }))
			})
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	var backups [][]byte
	for finished := false; !finished || len(backups) < 3; {
		var buf bytes.Buffer
		if _, err := s.Backup(context.Background(), &buf); err != nil {
			t.Fatalf("Backup: %v", err)
		}
		backups = append(backups, buf.Bytes())
		checkCounter(t, s)
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("writer: %v", err)
			}
			finished = true
		default:
		}
	}
	if n := checkCounter(t, s); n != writes {
		t.Errorf("after the writer finished the counter is %d, want %d", n, writes)
	}
	// Restore a spread of the snapshots and check each is consistent.
	for _, i := range []int{0, len(backups) / 2, len(backups) - 1} {
		r := open(t)
		if _, err := r.Restore(context.Background(), bytes.NewReader(backups[i])); err != nil {
			t.Fatalf("Restore of backup %d: %v", i, err)
		}
		checkCounter(t, r)
	}
}

// checkCounter verifies the writer's invariant and returns the counter.
func checkCounter(t *testing.T, s store.Store) int {
	t.Helper()
	var n int
	view(t, s, func(tx store.ReadTx) error {
		all, err := readAll(tx.ListSectors)
		if err != nil {
			return err
		}
		var ws int
		for _, sec := range all {
			if strings.HasPrefix(sec.ID, "w-") {
				ws++
			}
		}
		c, err := tx.GetSector("counter")
		if err != nil {
			return err
		}
		if n, err = strconv.Atoi(c.Authority); err != nil || n != ws {
			t.Errorf("inconsistent state: counter %q, %d w- sectors", c.Authority, ws)
		}
		return nil
	})
	return n
}

// Readers running during a Restore see the old state or the new one and
// never an error: Restore waits for them and they wait for it.
func testRestoreWhileReading(t *testing.T, open Opener) {
	s := open(t)
	marker := func(state string) func(tx store.Tx) error {
		return func(tx store.Tx) error {
			m := with(sector("marker"), func(m *model.Sector) { m.Authority = state })
			if state == "before" {
				return tx.CreateSector(m)
			}
			return tx.UpdateSector(m)
		}
	}
	update(t, s, marker("before"))
	var buf bytes.Buffer
	if _, err := s.Backup(context.Background(), &buf); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	update(t, s, marker("after"))

	var (
		stop atomic.Bool
		wg   sync.WaitGroup
	)
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				err := s.View(context.Background(), func(tx store.ReadTx) error {
					m, err := tx.GetSector("marker")
					if err == nil && m.Authority != "before" && m.Authority != "after" {
						err = fmt.Errorf("marker reads %q", m.Authority)
					}
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	_, restoreErr := s.Restore(context.Background(), bytes.NewReader(buf.Bytes()))
	stop.Store(true)
	wg.Wait()
	close(errs)
	if restoreErr != nil {
		t.Fatalf("Restore: %v", restoreErr)
	}
	for err := range errs {
		t.Errorf("read during restore: %v", err)
	}
	view(t, s, func(tx store.ReadTx) error {
		if m, err := tx.GetSector("marker"); err != nil || m.Authority != "before" {
			t.Errorf("after restore the marker is %+v, %v; want the backed-up state", m, err)
		}
		return nil
	})
}
