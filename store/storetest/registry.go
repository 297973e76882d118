package storetest

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

func testSectors(t *testing.T, open Opener) {
	get := func(id string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetSector(id) }
	}
	renamed := func(s *model.Sector) { s.Name.EN, s.Authority, s.UpdateTime = "Renamed", "other-authority", at(7) }
	runCRUD(t, open, func(tx store.Tx) error { return tx.CreateSector(sector("s1")) }, []crudCase{
		{name: "ok/get", read: get("s1"), want: sector("s1")},
		{name: "ok/create", write: func(tx store.Tx) error { return tx.CreateSector(sector("s2")) }, read: get("s2"), want: sector("s2")},
		{
			name:  "ok/create minimal",
			write: func(tx store.Tx) error { return tx.CreateSector(&model.Sector{ID: "bare"}) },
			read:  get("bare"), want: &model.Sector{ID: "bare"},
		},
		{name: "ok/update", write: func(tx store.Tx) error { return tx.UpdateSector(with(sector("s1"), renamed)) }, read: get("s1"), want: with(sector("s1"), renamed)},
		{
			name:  "error/create existing",
			write: func(tx store.Tx) error { return tx.CreateSector(with(sector("s1"), renamed)) }, writeErr: model.ErrAlreadyExists,
			read: get("s1"), want: sector("s1"),
		},
		{name: "error/update missing", write: func(tx store.Tx) error { return tx.UpdateSector(sector("s9")) }, writeErr: model.ErrNotFound, read: get("s9"), readErr: model.ErrNotFound},
		{name: "error/get missing", read: get("nope"), readErr: model.ErrNotFound},
	})
}

func testProfiles(t *testing.T, open Opener) {
	get := func(s, p string, v int32) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetProfileVersion(s, p, v) }
	}
	retired := func(p *model.ProfileVersion) {
		p.State, p.Competencies, p.UpdateTime = model.ProfileRetired, p.Competencies[:1], at(9)
	}
	runCRUD(t, open, func(tx store.Tx) error { return tx.CreateProfileVersion(profile("s1", "p", 1)) }, []crudCase{
		{name: "ok/get", read: get("s1", "p", 1), want: profile("s1", "p", 1)},
		{name: "ok/create next version", write: func(tx store.Tx) error { return tx.CreateProfileVersion(profile("s1", "p", 2)) }, read: get("s1", "p", 2), want: profile("s1", "p", 2)},
		{
			name: "ok/create minimal",
			write: func(tx store.Tx) error {
				return tx.CreateProfileVersion(&model.ProfileVersion{SectorID: "s1", ProfileID: "q", Version: 1})
			},
			read: get("s1", "q", 1), want: &model.ProfileVersion{SectorID: "s1", ProfileID: "q", Version: 1},
		},
		{name: "ok/update", write: func(tx store.Tx) error { return tx.UpdateProfileVersion(with(profile("s1", "p", 1), retired)) }, read: get("s1", "p", 1), want: with(profile("s1", "p", 1), retired)},
		{
			name:  "error/create existing version",
			write: func(tx store.Tx) error { return tx.CreateProfileVersion(with(profile("s1", "p", 1), retired)) }, writeErr: model.ErrAlreadyExists,
			read: get("s1", "p", 1), want: profile("s1", "p", 1),
		},
		{name: "error/update missing version", write: func(tx store.Tx) error { return tx.UpdateProfileVersion(profile("s1", "p", 3)) }, writeErr: model.ErrNotFound, read: get("s1", "p", 3), readErr: model.ErrNotFound},
		{name: "error/get other sector", read: get("s2", "p", 1), readErr: model.ErrNotFound},
		{name: "error/get other profile", read: get("s1", "q", 1), readErr: model.ErrNotFound},
	})
}

// testProfileVersions checks numeric version order and the scoping of
// profile and sector listings, with ids chosen so that a plain string
// prefix would leak ("p" vs "p2", "s1" vs "s10").
func testProfileVersions(t *testing.T, open Opener) {
	s := open(t)
	update(t, s, func(tx store.Tx) error {
		for _, p := range []*model.ProfileVersion{
			profile("s1", "p", 10), profile("s1", "p", 2), profile("s1", "p", 1),
			profile("s1", "p2", 1), profile("s1", "a", 3), profile("s10", "p", 7), profile("s", "1", 5),
		} {
			if err := tx.CreateProfileVersion(p); err != nil {
				return err
			}
		}
		return nil
	})
	type ref struct {
		profile string
		version int32
	}
	list := []struct {
		name    string
		sector  string
		profile string
		want    []ref
	}{
		{"ok/one profile in numeric order", "s1", "p", []ref{{"p", 1}, {"p", 2}, {"p", 10}}},
		{"ok/whole sector by profile then version", "s1", "", []ref{{"a", 3}, {"p", 1}, {"p", 2}, {"p", 10}, {"p2", 1}}},
		{"ok/sector with a longer name", "s10", "", []ref{{"p", 7}}},
		{"ok/profile without versions", "s1", "zz", nil},
		{"ok/sector without profiles", "empty", "", nil},
	}
	for _, tc := range list {
		t.Run(tc.name, func(t *testing.T) {
			view(t, s, func(tx store.ReadTx) error {
				got, next, err := tx.ListProfileVersions(tc.sector, tc.profile, "", 100)
				if err != nil {
					t.Fatalf("ListProfileVersions: %v", err)
				}
				var refs []ref
				for _, p := range got {
					if p.SectorID != tc.sector {
						t.Errorf("listed %s/%s/%d from another sector", p.SectorID, p.ProfileID, p.Version)
					}
					refs = append(refs, ref{p.ProfileID, p.Version})
				}
				if !slices.Equal(refs, tc.want) || next != "" {
					t.Errorf("got %v next %q, want %v next \"\"", refs, next, tc.want)
				}
				return nil
			})
		})
	}
	latest := []struct {
		name, sector, profile string
		want                  int32
	}{
		{"ok/highest number not last written", "s1", "p", 10},
		{"ok/not confused by longer profile id", "s1", "p2", 1},
		{"ok/not confused by longer sector id", "s10", "p", 7},
		{"ok/none", "s1", "zz", 0},
		{"ok/none in empty sector", "empty", "p", 0},
	}
	for _, tc := range latest {
		t.Run("latest/"+tc.name, func(t *testing.T) {
			view(t, s, func(tx store.ReadTx) error {
				got, err := tx.LatestProfileVersion(tc.sector, tc.profile)
				if err != nil || got != tc.want {
					t.Errorf("LatestProfileVersion(%q, %q) = %d, %v; want %d", tc.sector, tc.profile, got, err, tc.want)
				}
				return nil
			})
		})
	}
}

func testIssuers(t *testing.T, open Opener) {
	get := func(id string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetIssuer(id) }
	}
	moved := func(i *model.Issuer) {
		i.LegalName, i.Contact, i.UpdateTime = "Nieuwe Naam B.V.", model.Contact{Email: "new@example.nl"}, at(4)
	}
	runCRUD(t, open, func(tx store.Tx) error { return tx.CreateIssuer(issuer("i1")) }, []crudCase{
		{name: "ok/get", read: get("i1"), want: issuer("i1")},
		{name: "ok/create", write: func(tx store.Tx) error { return tx.CreateIssuer(issuer("i2")) }, read: get("i2"), want: issuer("i2")},
		{name: "ok/create minimal", write: func(tx store.Tx) error { return tx.CreateIssuer(&model.Issuer{ID: "bare"}) }, read: get("bare"), want: &model.Issuer{ID: "bare"}},
		{name: "ok/update", write: func(tx store.Tx) error { return tx.UpdateIssuer(with(issuer("i1"), moved)) }, read: get("i1"), want: with(issuer("i1"), moved)},
		{name: "error/create existing", write: func(tx store.Tx) error { return tx.CreateIssuer(with(issuer("i1"), moved)) }, writeErr: model.ErrAlreadyExists, read: get("i1"), want: issuer("i1")},
		{name: "error/update missing", write: func(tx store.Tx) error { return tx.UpdateIssuer(issuer("i9")) }, writeErr: model.ErrNotFound, read: get("i9"), readErr: model.ErrNotFound},
		{name: "error/get missing", read: get("nope"), readErr: model.ErrNotFound},
	})
}

func testAccreditations(t *testing.T, open Opener) {
	get := func(issuerID, id string) func(store.ReadTx) (any, error) {
		return func(tx store.ReadTx) (any, error) { return tx.GetAccreditation(issuerID, id) }
	}
	openEnded := func(a *model.Accreditation) { a.MaxVersion, a.ValidUntil = 0, time.Time{} }
	runCRUD(t, open, func(tx store.Tx) error { return tx.CreateAccreditation(accreditation("i1", "a1", "s1", "p")) }, []crudCase{
		{name: "ok/get", read: get("i1", "a1"), want: accreditation("i1", "a1", "s1", "p")},
		{
			name: "ok/create open-ended",
			write: func(tx store.Tx) error {
				return tx.CreateAccreditation(with(accreditation("i1", "a2", "s1", "p"), openEnded))
			},
			read: get("i1", "a2"), want: with(accreditation("i1", "a2", "s1", "p"), openEnded),
		},
		{
			name:  "ok/same id under another issuer",
			write: func(tx store.Tx) error { return tx.CreateAccreditation(accreditation("i2", "a1", "s2", "q")) },
			read:  get("i2", "a1"), want: accreditation("i2", "a1", "s2", "q"),
		},
		{
			name:  "error/create existing",
			write: func(tx store.Tx) error { return tx.CreateAccreditation(accreditation("i1", "a1", "s2", "q")) }, writeErr: model.ErrAlreadyExists,
			read: get("i1", "a1"), want: accreditation("i1", "a1", "s1", "p"),
		},
		{name: "error/get under another issuer", read: get("i2", "a1"), readErr: model.ErrNotFound},
	})
}

func testAccreditationHistory(t *testing.T, open Opener) {
	cases := []struct {
		name    string
		issuer  string
		id      string
		events  []model.AccreditationEvent
		wantErr error
	}{
		{name: "ok/one event", issuer: "i1", id: "a1", events: []model.AccreditationEvent{event(model.AccreditationSuspended, 10)}},
		{name: "ok/several events in order", issuer: "i1", id: "a1", events: []model.AccreditationEvent{
			event(model.AccreditationSuspended, 10), event(model.AccreditationActive, 20), event(model.AccreditationWithdrawn, 30),
		}},
		{name: "error/unknown accreditation", issuer: "i1", id: "a9", events: []model.AccreditationEvent{event(model.AccreditationSuspended, 10)}, wantErr: model.ErrNotFound},
		{name: "error/other issuer", issuer: "i2", id: "a1", events: []model.AccreditationEvent{event(model.AccreditationSuspended, 10)}, wantErr: model.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			update(t, s, func(tx store.Tx) error { return tx.CreateAccreditation(accreditation("i1", "a1", "s1", "p")) })
			want := accreditation("i1", "a1", "s1", "p")
			// One Update per event: history must survive separate commits.
			for _, ev := range tc.events {
				var got *model.Accreditation
				err := s.Update(context.Background(), func(tx store.Tx) (err error) {
					got, err = tx.AppendAccreditationEvent(tc.issuer, tc.id, ev)
					return err
				})
				if !checkErr(t, "AppendAccreditationEvent", err, tc.wantErr) || tc.wantErr != nil {
					break
				}
				want.Events = append(want.Events, ev)
				assertEqual(t, got, want)
			}
			view(t, s, func(tx store.ReadTx) error {
				got, err := tx.GetAccreditation("i1", "a1")
				if err != nil {
					t.Fatalf("GetAccreditation: %v", err)
				}
				assertEqual(t, got, want)
				return nil
			})
		})
	}
}

func testAccreditationsFor(t *testing.T, open Opener) {
	s := open(t)
	update(t, s, func(tx store.Tx) error {
		for _, a := range []*model.Accreditation{
			accreditation("i1", "a2", "s1", "p"), accreditation("i1", "a1", "s1", "p"),
			accreditation("i1", "a3", "s1", "p2"), accreditation("i1", "a4", "s2", "p"),
			accreditation("i2", "a5", "s1", "p"), accreditation("i10", "a6", "s1", "p"),
		} {
			if err := tx.CreateAccreditation(a); err != nil {
				return err
			}
		}
		return nil
	})
	// Appended events must show through the index too.
	update(t, s, func(tx store.Tx) error {
		_, err := tx.AppendAccreditationEvent("i1", "a1", event(model.AccreditationSuspended, 5))
		return err
	})
	a1 := accreditation("i1", "a1", "s1", "p")
	a1.Events = append(a1.Events, event(model.AccreditationSuspended, 5))
	cases := []struct {
		name                      string
		issuer, sector, profileID string
		want                      []*model.Accreditation
	}{
		{"ok/two for the profile", "i1", "s1", "p", []*model.Accreditation{a1, accreditation("i1", "a2", "s1", "p")}},
		{"ok/longer profile id is another profile", "i1", "s1", "p2", []*model.Accreditation{accreditation("i1", "a3", "s1", "p2")}},
		{"ok/same profile id in another sector", "i1", "s2", "p", []*model.Accreditation{accreditation("i1", "a4", "s2", "p")}},
		{"ok/longer issuer id is another issuer", "i10", "s1", "p", []*model.Accreditation{accreditation("i10", "a6", "s1", "p")}},
		{"ok/none", "i2", "s2", "p", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			view(t, s, func(tx store.ReadTx) error {
				got, err := tx.AccreditationsFor(tc.issuer, tc.sector, tc.profileID)
				if err != nil {
					t.Fatalf("AccreditationsFor: %v", err)
				}
				// The contract does not fix an order.
				slices.SortFunc(got, func(a, b *model.Accreditation) int { return cmp.Compare(a.ID, b.ID) })
				assertEqual(t, got, tc.want)
				return nil
			})
		})
	}
}
