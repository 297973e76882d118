package verifier

import (
	"context"
	"runtime"
	"strconv"
	"sync"

	"github.com/skillpass-nl/skillpass/model"
)

func (s *Service) verifyPassport(ctx context.Context, tokens []string) (*PassportVerdict, error) {
	if err := checkPassportSize(tokens); err != nil {
		return nil, err
	}
	// A token given twice is verified once: the repeat gets a copy.
	dupOf, distinct := repeatedTokens(tokens)
	verdicts, err := s.verifyAll(ctx, distinct)
	if err != nil {
		return nil, err
	}
	out := &PassportVerdict{Credentials: make([]*Verdict, len(tokens)), DuplicateOf: dupOf}
	next := 0
	for i, j := range dupOf {
		if j < 0 {
			out.Credentials[i] = verdicts[next]
			next++
		} else {
			out.Credentials[i] = out.Credentials[j].clone()
		}
	}
	markSameCredential(out.Credentials, dupOf)
	duplicates := 0
	for i, v := range out.Credentials {
		switch {
		case dupOf[i] >= 0:
			duplicates++
		case v.Verdict == Valid:
			out.Valid++
		default:
			out.Invalid++
		}
	}
	out.HolderConsistent = holdersAgree(out.Credentials)
	holderCheck := out.judgeHolder()
	dupCheck := Check{Name: CheckPassportDuplicates, Outcome: Pass, Reason: ReasonOK, Message: msg(CheckPassportDuplicates, ReasonOK)}
	if duplicates > 0 {
		dupCheck = Check{Name: CheckPassportDuplicates, Outcome: Info, Reason: ReasonDuplicateCredentials,
			Message: msg(CheckPassportDuplicates, ReasonDuplicateCredentials, "count", strconv.Itoa(duplicates))}
	}
	out.Checks = []Check{holderCheck, dupCheck}
	return out, nil
}

// checkPassportSize bounds the work one call can ask for before any token
// is read: the count, then the bytes altogether.
func checkPassportSize(tokens []string) error {
	n := len(tokens)
	switch {
	case n == 0:
		return model.Invalid("tokens", "needs at least one credential")
	case n > MaxPassportCredentials:
		return model.Invalid("tokens", "has %d credentials, at most %d are allowed per passport", n, MaxPassportCredentials)
	}
	size := 0
	for _, t := range tokens {
		size += len(t)
	}
	if size > MaxPassportBytes {
		return model.Invalid("tokens", "are %d bytes together, at most %d are allowed per passport", size, MaxPassportBytes)
	}
	return nil
}

// repeatedTokens returns, per token, the index of the first identical
// token before it or -1, and the tokens that are not repeats, in order.
func repeatedTokens(tokens []string) ([]int, []string) {
	dupOf := make([]int, len(tokens))
	first := make(map[string]int, len(tokens))
	distinct := make([]string, 0, len(tokens))
	for i, t := range tokens {
		if j, ok := first[t]; ok {
			dupOf[i] = j
			continue
		}
		first[t], dupOf[i] = i, -1
		distinct = append(distinct, t)
	}
	return dupOf, distinct
}

// markSameCredential marks as a repeat every VALID credential whose issuer
// and id an earlier VALID one already has: two tokens of one credential
// (signed twice) prove nothing twice. Only VALID credentials are compared,
// since an invalid token's id is the forger's word: a refused copy must
// not hide behind, or be hidden by, a genuine credential's id.
func markSameCredential(verdicts []*Verdict, dupOf []int) {
	type id struct{ issuer, credential string }
	first := make(map[id]int)
	for i, v := range verdicts {
		if dupOf[i] >= 0 || v.Verdict != Valid || v.Content == nil {
			continue
		}
		k := id{v.Content.IssuerID, v.Content.CredentialID}
		if j, ok := first[k]; ok {
			dupOf[i] = j
			continue
		}
		first[k] = i
	}
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
