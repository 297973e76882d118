package verifier

import (
	"errors"
	"slices"
	"strings"
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
	const someoneElse = "did:example:someone-else"
	otherHolder := w.mint(func(in *mintInput) { in.HolderID = someoneElse })
	// The same credential signed twice: ES256 signatures differ, so the
	// tokens do too.
	sameID := newUUID(t)
	signedOnce := w.mint(func(in *mintInput) { in.CredentialID = sameID })
	signedTwice := w.mint(func(in *mintInput) { in.CredentialID = sameID })
	// Forgeries, written into a genuine token after signing: someone
	// else's holder id, or a longer validity under the genuine id.
	forgedHolder := tamper(t, level1, func(p string) string { return strings.Replace(p, holder, someoneElse, 1) })
	forgedCopy := tamper(t, level1, longerValidity)

	type summary map[string][2]any // competency id -> level id and number of credentials
	for _, tc := range []struct {
		name             string
		tokens           []string
		valid, invalid   int
		holderConsistent bool
		holderID         string
		holder           [2]string // outcome and reason of PASSPORT_HOLDER
		dupOf            []int
		summary          summary
	}{
		{"ok/highest level wins", []string{level1, level2}, 2, 0, true, holder, [2]string{"PASS", ReasonOK}, []int{-1, -1},
			summary{"warmtepomp-installeren": {"2", 2}, "koudemiddelen": {"basis", 1}}},
		{"ok/revoked credential proves nothing", []string{level1, revoked}, 1, 1, true, holder, [2]string{"PASS", ReasonOK}, []int{-1, -1},
			summary{"warmtepomp-installeren": {"1", 1}}},
		{"ok/garbage counts as invalid", []string{"garbage", level1}, 1, 1, true, holder, [2]string{"PASS", ReasonOK}, []int{-1, -1},
			summary{"warmtepomp-installeren": {"1", 1}}},
		{"ok/same token twice counts once", []string{level2, level2}, 1, 0, true, holder, [2]string{"PASS", ReasonOK}, []int{-1, 0},
			summary{"warmtepomp-installeren": {"2", 1}, "koudemiddelen": {"basis", 1}}},
		{"ok/same credential signed twice counts once", []string{signedOnce, level1, signedTwice}, 2, 0, true, holder, [2]string{"PASS", ReasonOK}, []int{-1, -1, 0},
			summary{"warmtepomp-installeren": {"2", 2}}},
		{"ok/same garbage twice counts once", []string{"garbage", "garbage"}, 0, 1, true, "", [2]string{"SKIPPED", ReasonNoValidCredential}, []int{-1, 0},
			summary{}},
		{"ok/forged copy of a credential is not hidden by its id", []string{level1, forgedCopy}, 1, 1, true, holder, [2]string{"PASS", ReasonOK}, []int{-1, -1},
			summary{"warmtepomp-installeren": {"1", 1}}},
		{"ok/invalid credential of another holder does not count", []string{forgedHolder, level2}, 1, 1, false, holder, [2]string{"PASS", ReasonOtherHolderInInvalid}, []int{-1, -1},
			summary{"warmtepomp-installeren": {"2", 1}, "koudemiddelen": {"basis", 1}}},
		{"error/valid credentials of two holders", []string{level1, otherHolder}, 2, 0, false, "", [2]string{"FAIL", ReasonHoldersDiffer}, []int{-1, -1},
			summary{}},
		{"error/no valid credential", []string{revoked, forgedHolder}, 0, 2, false, "", [2]string{"SKIPPED", ReasonNoValidCredential}, []int{-1, -1},
			summary{}},
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
			if pv.HolderID != tc.holderID || !slices.Equal(pv.DuplicateOf, tc.dupOf) {
				t.Errorf("holder %q, duplicates %v; want %q, %v", pv.HolderID, pv.DuplicateOf, tc.holderID, tc.dupOf)
			}
			checkPassportItems(t, pv, tc.holder)
			// Each entry keeps its own verdict, a repeat a copy of the first.
			for i, v := range pv.Credentials {
				checkWellFormed(t, v)
				if j := pv.DuplicateOf[i]; j >= 0 && (v == pv.Credentials[j] || v.Verdict != pv.Credentials[j].Verdict) {
					t.Errorf("entry %d: verdict %p %s, want a copy of entry %d's", i, v, v.Verdict, j)
				}
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
			if !slices.IsSortedFunc(pv.Summary, func(a, b SummaryItem) int { return strings.Compare(a.Competency.ID, b.Competency.ID) }) {
				t.Error("summary is not sorted")
			}
		})
	}
}

// checkPassportItems asserts the passport's own items: in order, with
// sentences that never name a holder, the holder item as wanted and the
// duplicates item INFO exactly when there are repeats.
func checkPassportItems(t *testing.T, pv *PassportVerdict, holderItem [2]string) {
	t.Helper()
	names := []CheckName{CheckPassportHolder, CheckPassportDuplicates}
	if len(pv.Checks) != len(names) {
		t.Fatalf("passport items %+v, want %v", pv.Checks, names)
	}
	for i, c := range pv.Checks {
		if c.Name != names[i] || c.Reason == "" || c.Message.NL == "" || c.Message.EN == "" {
			t.Errorf("item %d %+v, want %s with a reason and both sentences", i, c, names[i])
		}
		for _, s := range []string{c.Message.NL, c.Message.EN} {
			if strings.Contains(s, "did:") || strings.ContainsAny(s, "{}") {
				t.Errorf("%s: sentence %q names a holder or has an unfilled placeholder", c.Name, s)
			}
		}
	}
	if h := pv.Checks[0]; string(h.Outcome) != holderItem[0] || h.Reason != holderItem[1] {
		t.Errorf("holder item %s %s, want %s %s", h.Outcome, h.Reason, holderItem[0], holderItem[1])
	}
	repeats := 0
	for _, j := range pv.DuplicateOf {
		if j >= 0 {
			repeats++
		}
	}
	d := pv.Checks[1]
	if want := map[bool]Outcome{true: Info, false: Pass}[repeats > 0]; d.Outcome != want {
		t.Errorf("duplicates item %s with %d repeats, want %s", d.Outcome, repeats, want)
	}
}

// TestVerifyPassportInput: the count and the total size are refused
// before any token is read. Refusals are asked with a cancelled context,
// which any verification would report instead.
func TestVerifyPassportInput(t *testing.T) {
	w := newWorld(t)
	tok := w.mint()
	big := strings.Repeat("A", credential.MaxTokenBytes)
	perLimit := MaxPassportBytes / credential.MaxTokenBytes
	for _, tc := range []struct {
		name   string
		tokens []string
		ok     bool
	}{
		{"error/empty", nil, false},
		{"ok/at the count limit", slices.Repeat([]string{tok}, MaxPassportCredentials), true},
		{"error/too many", slices.Repeat([]string{tok}, MaxPassportCredentials+1), false},
		{"ok/at the size limit", slices.Repeat([]string{big}, perLimit), true},
		{"error/one byte over the size limit", append(slices.Repeat([]string{big}, perLimit), "A"), false},
		{"error/largest tokens at the count limit", slices.Repeat([]string{big}, MaxPassportCredentials), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ctx
			if !tc.ok {
				cancelled, cancel := contextWithCancel()
				cancel()
				c = cancelled
			}
			_, err := w.svc.VerifyPassport(c, tc.tokens)
			if tc.ok != (err == nil) {
				t.Fatalf("err %v, want ok %v", err, tc.ok)
			}
			if err != nil {
				var ve *model.ValidationError
				if !errors.As(err, &ve) || ve.Violations[0].Field != "tokens" {
					t.Fatalf("err %v, want a validation error on tokens", err)
				}
			}
		})
	}
}
