package verifier

import (
	"cmp"
	"slices"
	"strconv"
)

// judgeHolder decides whose passport this is and summarises what that
// holder has proven. Only VALID credentials decide: an invalid token's
// holder is whatever its author wrote. If they name one holder, the
// summary is that holder's; if they name several, nobody can tell which
// of them the passport belongs to, and an employer must not read one
// person's skills as another's, so there is no summary at all.
func (p *PassportVerdict) judgeHolder() Check {
	holders := make(map[string]struct{})
	var valid []*Verdict
	for i, v := range p.Credentials {
		if p.DuplicateOf[i] >= 0 || v.Verdict != Valid || v.Content == nil {
			continue
		}
		holders[v.Content.HolderID] = struct{}{}
		valid = append(valid, v)
	}
	check := func(o Outcome, reason string, args ...any) Check {
		return Check{Name: CheckPassportHolder, Outcome: o, Reason: reason, Message: msg(CheckPassportHolder, reason, args...)}
	}
	switch len(holders) {
	case 0:
		return check(Skipped, ReasonNoValidCredential)
	case 1:
	default:
		return check(Fail, ReasonHoldersDiffer, "count", strconv.Itoa(len(holders)))
	}
	p.HolderID = valid[0].Content.HolderID
	p.Summary = summarise(valid)
	if !p.HolderConsistent {
		// The valid ones agree, so an invalid one names someone else.
		return check(Pass, ReasonOtherHolderInInvalid)
	}
	return check(Pass, ReasonOK)
}

// holdersAgree reports whether every parsed credential names the same
// holder.
func holdersAgree(verdicts []*Verdict) bool {
	holder, seen := "", false
	for _, v := range verdicts {
		switch {
		case v.Content == nil:
		case !seen:
			holder, seen = v.Content.HolderID, true
		case v.Content.HolderID != holder:
			return false
		}
	}
	return true
}

type summaryKey struct{ sectorID, profileID, competencyID string }

// summarise lists every competency that the VALID credentials given
// prove, at the highest level shown, with every credential that proves
// it. Versions of a profile may have scales of different lengths, so
// levels are compared by their place on the scale (rank/count); a tie goes
// to the newer version.
func summarise(valid []*Verdict) []SummaryItem {
	items := make(map[summaryKey]*SummaryItem)
	for _, v := range valid {
		c := v.Content
		for _, comp := range c.Competencies {
			k := summaryKey{c.SectorID, c.ProfileID, comp.ID}
			it, ok := items[k]
			if !ok {
				it = &SummaryItem{SectorID: c.SectorID, ProfileID: c.ProfileID, ProfileVersion: c.ProfileVersion, Competency: comp}
				items[k] = it
			} else if higher(comp, c.ProfileVersion, it.Competency, it.ProfileVersion) {
				it.Competency, it.ProfileVersion = comp, c.ProfileVersion
			}
			if !slices.Contains(it.CredentialIDs, c.CredentialID) {
				it.CredentialIDs = append(it.CredentialIDs, c.CredentialID)
			}
		}
	}
	out := make([]SummaryItem, 0, len(items))
	for _, it := range items {
		out = append(out, *it)
	}
	slices.SortFunc(out, func(a, b SummaryItem) int {
		return cmp.Or(cmp.Compare(a.SectorID, b.SectorID), cmp.Compare(a.ProfileID, b.ProfileID), cmp.Compare(a.Competency.ID, b.Competency.ID))
	})
	return out
}

// higher reports whether level a (of version va) is above level b.
func higher(a Competency, va int32, b Competency, vb int32) bool {
	// rank/count compared without division: a.rank*b.count vs b.rank*a.count.
	x, y := a.LevelRank*max(b.LevelCount, 1), b.LevelRank*max(a.LevelCount, 1)
	return x > y || x == y && va > vb
}
