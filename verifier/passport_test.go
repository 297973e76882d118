package verifier

import (
	"slices"
	"testing"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

func TestVerifyPassport(t *testing.T) {
	w := newWorld(t)
	level1 := w.mint(func(in *mintInput) { in.Skills[0].LevelID = "1" })
	level2 := w.mint(func(in *mintInput) {
		in.Skills = append(in.Skills, credential.Skill{CompetencyID: "koudemiddelen", LevelID: "basis", Method: "EXAM"})
	})
	revoked := w.mint(func(in *mintInput) {
		in.Skills = []credential.Skill{{CompetencyID: "koudemiddelen", LevelID: "basis", Method: "EXAM"}}
	})
	w.setStatus(statuslist.PurposeRevocation, w.next, true)
	otherHolder := w.mint(func(in *mintInput) { in.HolderID = "did:example:someone-else" })

	for _, tc := range []struct {
		name             string
		tokens           []string
		valid, invalid   int
		holderConsistent bool
		// summary: competency id -> level id and number of credentials
		summary map[string][2]any
	}{
		{"ok/highest level wins", []string{level1, level2}, 2, 0, true,
			map[string][2]any{"warmtepomp-installeren": {"2", 2}, "koudemiddelen": {"basis", 1}}},
		{"ok/revoked credential proves nothing", []string{level1, revoked}, 1, 1, true,
			map[string][2]any{"warmtepomp-installeren": {"1", 1}}},
		{"ok/garbage counts as invalid", []string{"garbage", level1}, 1, 1, true,
			map[string][2]any{"warmtepomp-installeren": {"1", 1}}},
		{"ok/same credential twice", []string{level2, level2}, 2, 0, true,
			map[string][2]any{"warmtepomp-installeren": {"2", 1}, "koudemiddelen": {"basis", 1}}},
		{"ok/two holders", []string{level1, otherHolder}, 2, 0, false,
			map[string][2]any{"warmtepomp-installeren": {"2", 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pv, err := w.svc.VerifyPassport(ctx, tc.tokens)
			if err != nil {
				t.Fatal(err)
			}
			if len(pv.Credentials) != len(tc.tokens) || pv.Valid != tc.valid || pv.Invalid != tc.invalid || pv.HolderConsistent != tc.holderConsistent {
				t.Fatalf("%d verdicts, %d valid, %d invalid, consistent %v; want %d, %d, %d, %v",
					len(pv.Credentials), pv.Valid, pv.Invalid, pv.HolderConsistent, len(tc.tokens), tc.valid, tc.invalid, tc.holderConsistent)
			}
			if len(pv.Summary) != len(tc.summary) {
				t.Fatalf("summary %+v, want %v", pv.Summary, tc.summary)
			}
			for _, it := range pv.Summary {
				want, ok := tc.summary[it.Competency.ID]
				if !ok || it.Competency.LevelID != want[0] || len(it.CredentialIDs) != want[1] ||
					it.SectorID != sectorID || it.ProfileID != profileID || it.ProfileVersion != 1 {
					t.Errorf("summary item %+v, want level %v in %v credentials", it, want[0], want[1])
				}
			}
			if !slices.IsSortedFunc(pv.Summary, func(a, b SummaryItem) int { return compareIDs(a.Competency.ID, b.Competency.ID) }) {
				t.Error("summary is not sorted")
			}
		})
	}
}

func compareIDs(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestVerifyPassportInput(t *testing.T) {
	w := newWorld(t)
	tok := w.mint()
	for _, tc := range []struct {
		name string
		n    int
		ok   bool
	}{
		{"error/empty", 0, false},
		{"ok/at the limit", MaxPassportCredentials, true},
		{"error/too many", MaxPassportCredentials + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.VerifyPassport(ctx, slices.Repeat([]string{tok}, tc.n))
			if tc.ok != (err == nil) {
				t.Fatalf("err %v, want ok %v", err, tc.ok)
			}
			if err != nil {
				ve, isVE := err.(*model.ValidationError)
				if !isVE || ve.Violations[0].Field != "tokens" {
					t.Fatalf("err %v, want a validation error on tokens", err)
				}
			}
		})
	}
}
