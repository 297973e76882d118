package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// lister is one list method under test. seed creates n records in the
// listed scope plus records just outside it (ids sharing a prefix), and
// returns the scoped records' names in the order the list must return them;
// list returns one page as names in the same form.
type lister struct {
	name string
	seed func(tx store.Tx, n int) ([]string, error)
	list func(tx store.ReadTx, cursor string, limit int) ([]string, string, error)
}

// names maps a page of records to comparable names.
func names[T any](items []T, next string, err error, name func(T) string) ([]string, string, error) {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = name(it)
	}
	return out, next, err
}

// createAll runs create for each of n generated ids and for the extra ones.
func createAll(n int, format string, extra []string, create func(id string) error) ([]string, error) {
	var want []string
	for i := range n {
		id := fmt.Sprintf(format, i)
		if err := create(id); err != nil {
			return nil, err
		}
		want = append(want, id)
	}
	for _, id := range extra {
		if err := create(id); err != nil {
			return nil, err
		}
	}
	return want, nil
}

var listers = []lister{
	{
		name: "sectors",
		seed: func(tx store.Tx, n int) ([]string, error) {
			return createAll(n, "s%02d", nil, func(id string) error { return tx.CreateSector(sector(id)) })
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListSectors(c, l)
			return names(items, next, err, func(s *model.Sector) string { return s.ID })
		},
	},
	{
		name: "issuers",
		seed: func(tx store.Tx, n int) ([]string, error) {
			return createAll(n, "i%02d", nil, func(id string) error { return tx.CreateIssuer(issuer(id)) })
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListIssuers(c, l)
			return names(items, next, err, func(i *model.Issuer) string { return i.ID })
		},
	},
	{
		name: "principals",
		seed: func(tx store.Tx, n int) ([]string, error) {
			return createAll(n, "u%02d", nil, func(id string) error { return tx.CreatePrincipal(principal(id)) })
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListPrincipals(c, l)
			return names(items, next, err, func(p *model.Principal) string { return p.ID })
		},
	},
	{
		name: "versions of one profile",
		seed: func(tx store.Tx, n int) ([]string, error) {
			for _, p := range []*model.ProfileVersion{profile("s1", "p2", 1), profile("s10", "p", 1), profile("s1", "o", 1)} {
				if err := tx.CreateProfileVersion(p); err != nil {
					return nil, err
				}
			}
			var want []string
			for v := int32(1); v <= int32(n); v++ {
				if err := tx.CreateProfileVersion(profile("s1", "p", v)); err != nil {
					return nil, err
				}
				want = append(want, fmt.Sprintf("s1/p/%d", v))
			}
			return want, nil
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListProfileVersions("s1", "p", c, l)
			return names(items, next, err, profileName)
		},
	},
	{
		name: "versions of a whole sector",
		seed: func(tx store.Tx, n int) ([]string, error) {
			for _, p := range []*model.ProfileVersion{profile("s10", "p", 1), profile("s", "1", 1)} {
				if err := tx.CreateProfileVersion(p); err != nil {
					return nil, err
				}
			}
			// Two profiles whose versions interleave in creation order but
			// must come out grouped by profile.
			var a, b []string
			for i := range n {
				pid, v := "a", int32(i/2+1)
				if i%2 == 1 {
					pid = "b"
				}
				if err := tx.CreateProfileVersion(profile("s1", pid, v)); err != nil {
					return nil, err
				}
				if pid == "a" {
					a = append(a, fmt.Sprintf("s1/a/%d", v))
				} else {
					b = append(b, fmt.Sprintf("s1/b/%d", v))
				}
			}
			return append(a, b...), nil
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListProfileVersions("s1", "", c, l)
			return names(items, next, err, profileName)
		},
	},
	{
		name: "accreditations of one issuer",
		seed: func(tx store.Tx, n int) ([]string, error) {
			return createAll(n, "a%02d", []string{"i10/x", "i/y"}, func(id string) error {
				issuerID, accID := splitScoped("i1", id)
				return tx.CreateAccreditation(accreditation(issuerID, accID, "s1", "p"))
			})
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListAccreditations("i1", c, l)
			return names(items, next, err, func(a *model.Accreditation) string { return scopedName("i1", a.IssuerID, a.ID) })
		},
	},
	{
		name: "tokens of one principal",
		seed: func(tx store.Tx, n int) ([]string, error) {
			return createAll(n, "t%02d", []string{"alice2/x", "ali/y"}, func(id string) error {
				return tx.CreateToken(token(splitScoped("alice", id)))
			})
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListTokens("alice", c, l)
			return names(items, next, err, func(tok *model.Token) string { return scopedName("alice", tok.PrincipalID, tok.ID) })
		},
	},
	{
		name: "credentials of one issuer",
		seed: func(tx store.Tx, n int) ([]string, error) {
			index := int32(0)
			return createAll(n, "c%02d", []string{"i10/x", "i/y"}, func(id string) error {
				issuerID, credID := splitScoped("i1", id)
				index++
				return tx.CreateCredential(credential(issuerID, credID, 0, index))
			})
		},
		list: func(tx store.ReadTx, c string, l int) ([]string, string, error) {
			items, next, err := tx.ListCredentials("i1", c, l)
			return names(items, next, err, func(c *model.CredentialRecord) string { return scopedName("i1", c.IssuerID, c.ID) })
		},
	},
}

// splitScoped reads a seed id: "owner/id" names a record of another owner
// (just outside the listed scope), a plain id one of owner.
func splitScoped(owner, id string) (string, string) {
	if before, after, ok := strings.Cut(id, "/"); ok {
		return before, after
	}
	return owner, id
}

// scopedName is the inverse of splitScoped for a listed record.
func scopedName(scope, owner, id string) string {
	if owner != scope {
		return owner + "/" + id
	}
	return id
}

func profileName(p *model.ProfileVersion) string {
	return fmt.Sprintf("%s/%s/%d", p.SectorID, p.ProfileID, p.Version)
}

// collect pages through a whole list and checks the shape of every page.
func collect(t *testing.T, tx store.ReadTx, l lister, limit, total int) []string {
	t.Helper()
	var (
		all    []string
		cursor string
	)
	for page := 1; ; page++ {
		items, next, err := l.list(tx, cursor, limit)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		all = append(all, items...)
		if next == "" {
			if len(items) == 0 && total > 0 {
				t.Errorf("page %d is empty: the page before it should have had no next cursor", page)
			}
			return all
		}
		if len(items) != limit {
			t.Errorf("page %d has %d items and a next cursor, want a full page of %d", page, len(items), limit)
		}
		if page > total+1 {
			t.Fatalf("list does not end after %d pages", page)
		}
		cursor = next
	}
}

func testPagination(t *testing.T, open Opener) {
	const total = 12 // versions reach 10, so numeric order is visible
	cases := []struct {
		name  string
		limit int
	}{
		{"ok/page size 1", 1},
		{"ok/last page partly full", 5},
		{"ok/last page exactly full", 6},
		{"ok/one exactly full page", total},
		{"ok/one page with room to spare", total + 1},
	}
	for _, l := range listers {
		t.Run(l.name, func(t *testing.T) {
			s := open(t)
			var want []string
			update(t, s, func(tx store.Tx) (err error) { want, err = l.seed(tx, total); return err })
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					view(t, s, func(tx store.ReadTx) error {
						if got := collect(t, tx, l, tc.limit, total); !slices.Equal(got, want) {
							t.Errorf("listed %v, want %v", got, want)
						}
						return nil
					})
				})
			}
			t.Run("error/bad arguments", func(t *testing.T) {
				view(t, s, func(tx store.ReadTx) error {
					for _, bad := range []struct {
						name   string
						cursor string
						limit  int
					}{
						{"zero limit", "", 0},
						{"negative limit", "", -1},
						{"garbage cursor", "!!not a cursor!!", 3},
					} {
						if items, _, err := l.list(tx, bad.cursor, bad.limit); err == nil {
							t.Errorf("%s: listed %v, want an error", bad.name, items)
						}
					}
					return nil
				})
			})
		})
	}
	t.Run("error/cursor of another scope", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error {
			for _, tok := range []*model.Token{token("alice", "t1"), token("alice", "t2"), token("bob", "t1"), token("bob", "t2")} {
				if err := tx.CreateToken(tok); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.ReadTx) error {
			_, next, err := tx.ListTokens("alice", "", 1)
			if err != nil || next == "" {
				t.Fatalf("first page: next %q, %v", next, err)
			}
			// Either refused, or still only bob's tokens: never alice's.
			items, _, err := tx.ListTokens("bob", next, 10)
			for _, tok := range items {
				if err == nil && tok.PrincipalID != "bob" {
					t.Errorf("a cursor from alice's tokens listed %s/%s under bob", tok.PrincipalID, tok.ID)
				}
			}
			return nil
		})
	})
}
