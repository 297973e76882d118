package verifier

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"

	"github.com/skillpass-nl/skillpass/model"
)

func (s *Service) verifyPassport(ctx context.Context, tokens []string) (*PassportVerdict, error) {
	switch n := len(tokens); {
	case n == 0:
		return nil, model.Invalid("tokens", "needs at least one credential")
	case n > MaxPassportCredentials:
		return nil, model.Invalid("tokens", "has %d credentials, at most %d are allowed per passport", n, MaxPassportCredentials)
	}
	verdicts, err := s.verifyAll(ctx, tokens)
	if err != nil {
		return nil, err
	}
	out := &PassportVerdict{Credentials: verdicts, HolderConsistent: true}
	holder := ""
	for _, v := range verdicts {
		if v.Verdict == Valid {
			out.Valid++
		} else {
			out.Invalid++
		}
		if v.Content == nil {
			continue
		}
		if holder == "" {
			holder = v.Content.HolderID
		} else if v.Content.HolderID != holder {
			out.HolderConsistent = false
		}
	}
	out.Summary = summarise(verdicts)
	return out, nil
}

// verifyAll verifies the tokens on as many goroutines as there are CPUs:
// a passport is many independent signature checks.
func (s *Service) verifyAll(ctx context.Context, tokens []string) ([]*Verdict, error) {
	out := make([]*Verdict, len(tokens))
	errs := make([]error, len(tokens))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(tokens)) {
		wg.Go(func() {
			for i := range work {
				out[i], errs[i] = s.Verify(ctx, tokens[i])
			}
		})
	}
	for i := range tokens {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

type summaryKey struct{ sectorID, profileID, competencyID string }

// summarise lists every competency that a VALID credential proves, at the
// highest level shown, with every credential that proves it. Versions of
// a profile may have scales of different lengths, so levels are compared
// by their place on the scale (rank/count); a tie goes to the newer
// version.
func summarise(verdicts []*Verdict) []SummaryItem {
	items := make(map[summaryKey]*SummaryItem)
	for _, v := range verdicts {
		if v.Verdict != Valid || v.Content == nil {
			continue
		}
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
