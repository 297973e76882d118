package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
	"github.com/skillpass-nl/skillpass/store"
)

func testIssuerKeys(t *testing.T, open Opener) {
	set, other := keySet(t, "i1"), keySet(t, "i2")
	get := func(issuerID string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.IssuerKeys(issuerID) }
	}
	put := func(issuerID string, s keys.Set) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.PutIssuerKeys(issuerID, s) }
	}
	runCRUD(t, open, put("i1", set), []crudCase{
		{name: "ok/round trip of every field", read: get("i1"), want: set},
		{name: "ok/issuer without keys has an empty set", read: get("i2"), want: keys.Set{}},
		{name: "ok/put replaces the whole set", write: put("i1", set[1:]), read: get("i1"), want: set[1:]},
		{name: "ok/empty set removes the keys", write: put("i1", nil), read: get("i1"), want: keys.Set{}},
		{name: "ok/issuers sharing a prefix stay apart", write: put("i10", nil), read: get("i1"), want: set},
		{name: "ok/another issuer's set", write: put("i2", other), read: get("i2"), want: other},
		{
			name: "error/duplicate kid", write: put("i1", keys.Set{set[1], set[1]}),
			writeErr: errInvalid, read: get("i1"), want: set,
		},
		{
			name: "error/key sealed for another issuer", write: put("i1", other),
			writeErr: errInvalid, read: get("i1"), want: set,
		},
		{name: "error/empty issuer id", write: put("", set), writeErr: errInvalid, read: get("i1"), want: set},
		{name: "error/read with empty issuer id", read: get(""), readErr: errInvalid},
	})
}

func testCredentials(t *testing.T, open Opener) {
	get := func(issuerID, id string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetCredential(issuerID, id) }
	}
	create := func(c *model.CredentialRecord) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.CreateCredential(c) }
	}
	slotsOfList0 := func(tx store.ReadTx) (any, error) { return tx.StatusIndexes("i1", 0) }
	// slotsWithout reads list 0 of i1 after checking that id was not written.
	slotsWithout := func(id string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) {
			if c, err := tx.GetCredential("i1", id); !errors.Is(err, model.ErrNotFound) {
				return nil, fmt.Errorf("refused credential %s was stored: %+v, %v", id, c, err)
			}
			return slotsOfList0(tx)
		}
	}
	c1 := credential("i1", "c1", 0, 7)
	runCRUD(t, open, create(c1), []crudCase{
		{name: "ok/get", read: get("i1", "c1"), want: c1},
		{name: "ok/create in another slot", write: create(credential("i1", "c2", 0, 8)), read: get("i1", "c2"), want: credential("i1", "c2", 0, 8)},
		{name: "ok/same slot of another issuer", write: create(credential("i2", "c1", 0, 7)), read: get("i2", "c1"), want: credential("i2", "c1", 0, 7)},
		{name: "ok/same index in another list", write: create(credential("i1", "c3", 1, 7)), read: get("i1", "c3"), want: credential("i1", "c3", 1, 7)},
		{name: "ok/update status", write: func(tx store.Tx) error { return tx.UpdateCredential(with(credential("i1", "c1", 0, 7), suspended)) }, read: get("i1", "c1"), want: with(credential("i1", "c1", 0, 7), suspended)},
		{
			name: "error/id taken", write: create(credential("i1", "c1", 0, 9)),
			writeErr: model.ErrAlreadyExists, read: get("i1", "c1"), want: c1,
		},
		{
			name: "error/id taken claims no slot", write: create(credential("i1", "c1", 0, 9)),
			writeErr: model.ErrAlreadyExists, read: slotsOfList0, want: []int{7},
		},
		{
			name: "ok/id taken, transaction committed anyway",
			write: func(tx store.Tx) error {
				if err := tx.CreateCredential(credential("i1", "c1", 0, 9)); !errors.Is(err, model.ErrAlreadyExists) {
					return fmt.Errorf("id collision: %v, want ErrAlreadyExists", err)
				}
				return nil
			},
			read: slotsOfList0, want: []int{7},
		},
		{
			name: "error/slot taken", write: create(credential("i1", "c9", 0, 7)),
			writeErr: model.ErrAlreadyExists, read: slotsWithout("c9"), want: []int{7},
		},
		{
			// The caller ignores the refusal and commits: the refused
			// record must still have left nothing behind.
			name: "ok/slot taken, transaction committed anyway",
			write: func(tx store.Tx) error {
				if err := tx.CreateCredential(credential("i1", "c9", 0, 7)); !errors.Is(err, model.ErrAlreadyExists) {
					return fmt.Errorf("slot collision: %v, want ErrAlreadyExists", err)
				}
				return nil
			},
			read: slotsWithout("c9"), want: []int{7},
		},
		{
			name: "error/update moves the slot", write: func(tx store.Tx) error { return tx.UpdateCredential(credential("i1", "c1", 0, 8)) },
			writeErr: errInvalid, read: slotsWithout("c8"), want: []int{7},
		},
		{
			name: "error/update missing", write: func(tx store.Tx) error { return tx.UpdateCredential(credential("i1", "c5", 0, 5)) },
			writeErr: model.ErrNotFound, read: get("i1", "c5"), readErr: model.ErrNotFound,
		},
		{name: "error/negative index", write: create(credential("i1", "c6", 0, -1)), writeErr: errInvalid, read: get("i1", "c6"), readErr: model.ErrNotFound},
		{name: "error/nil record", write: create(nil), writeErr: errInvalid, read: get("i1", "c1"), want: c1},
		{name: "error/get missing", read: get("i1", "c404"), readErr: model.ErrNotFound},
	})
}

// testStatusIndexes seeds issuers whose ids share a prefix ("i", "i\x01",
// "i1", "i10"), so a scan that overruns its issuer shows.
func testStatusIndexes(t *testing.T, open Opener) {
	seed := func(tx store.Tx) error {
		slots := []struct {
			issuer      string
			list, index int32
		}{
			{"i1", 0, 131071}, {"i1", 0, 5}, {"i1", 0, 70000}, {"i1", 0, 0},
			{"i1", 2, 9}, {"i1", 2, 3}, {"i1", 256, 1},
			{"i", 7, 1}, {"i10", 5, 1},
			// Ids may hold any byte but NUL; one that sorts right after
			// "i"'s keys must not be counted as "i"'s.
			{"i\x01", 3, 1},
		}
		for n, s := range slots {
			if err := tx.CreateCredential(credential(s.issuer, fmt.Sprintf("c%02d", n), s.list, s.index)); err != nil {
				return err
			}
		}
		return nil
	}
	indexes := func(issuerID string, list int32) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.StatusIndexes(issuerID, list) }
	}
	count := func(issuerID string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.StatusListCount(issuerID) }
	}
	runCRUD(t, open, seed, []crudCase{
		{name: "ok/indexes ascending", read: indexes("i1", 0), want: []int{0, 5, 70000, 131071}},
		{name: "ok/another list", read: indexes("i1", 2), want: []int{3, 9}},
		{name: "ok/unused list", read: indexes("i1", 1), want: []int(nil)},
		{name: "ok/issuer without credentials", read: indexes("i2", 0), want: []int(nil)},
		{name: "ok/count is the highest list plus one", read: count("i1"), want: int32(257)},
		{name: "ok/count of a shorter id sharing the prefix", read: count("i"), want: int32(8)},
		{name: "ok/count of the last issuer", read: count("i10"), want: int32(6)},
		{name: "ok/count without credentials", read: count("i2"), want: int32(0)},
		{
			name: "ok/new slot shows in the index", write: func(tx store.Tx) error { return tx.CreateCredential(credential("i1", "new", 0, 6)) },
			read: indexes("i1", 0), want: []int{0, 5, 6, 70000, 131071},
		},
		{name: "error/negative list", read: indexes("i1", -1), readErr: errInvalid},
	})
}

func testStatusLists(t *testing.T, open Opener) {
	const rev, susp = model.PurposeRevocation, model.PurposeSuspension
	get := func(issuerID, purpose string, list int32) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetStatusList(issuerID, purpose, list) }
	}
	put := func(l *model.StatusList) func(store.Tx) error {
		return func(tx store.Tx) error { return tx.PutStatusList(l) }
	}
	changed := with(statusList("i1", rev, 0), func(l *model.StatusList) { l.Bits[42], l.UpdateTime = 0xFF, at(4) })
	larger := with(statusList("i1", rev, 0), func(l *model.StatusList) { l.Bits = append(l.Bits, l.Bits...) })
	short := with(statusList("i1", rev, 0), func(l *model.StatusList) { l.Bits = l.Bits[:statuslist.MinBytes-1] })
	runCRUD(t, open, put(statusList("i1", rev, 0)), []crudCase{
		{name: "ok/get", read: get("i1", rev, 0), want: statusList("i1", rev, 0)},
		{name: "ok/put replaces", write: put(changed), read: get("i1", rev, 0), want: changed},
		{name: "ok/larger than the minimum", write: put(larger), read: get("i1", rev, 0), want: larger},
		{name: "ok/another list", write: put(statusList("i1", rev, 1)), read: get("i1", rev, 1), want: statusList("i1", rev, 1)},
		{name: "ok/suspension list", write: put(statusList("i1", susp, 0)), read: get("i1", susp, 0), want: statusList("i1", susp, 0)},
		{name: "error/other purpose not written", read: get("i1", susp, 0), readErr: model.ErrNotFound},
		{name: "error/other issuer not written", read: get("i10", rev, 0), readErr: model.ErrNotFound},
		{name: "error/shorter than 131072 bits", write: put(short), writeErr: errInvalid, read: get("i1", rev, 0), want: statusList("i1", rev, 0)},
		{
			name: "error/unknown purpose", write: put(with(statusList("i1", rev, 0), func(l *model.StatusList) { l.Purpose = "refresh" })),
			writeErr: errInvalid, read: get("i1", rev, 0), want: statusList("i1", rev, 0),
		},
		{
			name: "error/negative list", write: put(statusList("i1", rev, -1)),
			writeErr: errInvalid, read: get("i1", rev, 0), want: statusList("i1", rev, 0),
		},
		{name: "error/nil list", write: put(nil), writeErr: errInvalid, read: get("i1", rev, 0), want: statusList("i1", rev, 0)},
		{name: "error/read unknown purpose", read: get("i1", "refresh", 0), readErr: errInvalid},
	})
}
