package verifier

import (
	"errors"
	"time"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

// checkOrder is the order of a verdict's items (trust rule 4).
var checkOrder = [...]CheckName{
	CheckFormat, CheckAlgorithm, CheckSignature, CheckKey, CheckIssuer, CheckAccreditation,
	CheckProfile, CheckCompetencies, CheckValidity, CheckStatus, CheckCurrentStanding,
}

// step is one check with the checks it depends on: it runs only if every
// one of them passed; otherwise it is SKIPPED, never silently passed.
type step struct {
	name  CheckName
	needs []CheckName
	run   func(*run) error
}

// steps run in checkOrder. Everything after KEY_STATE reads the
// credential's content, which is the issuer's word only if the signature
// and the key held; the registry items also need the issuer or profile
// they are about.
var steps = [...]step{
	{CheckFormat, nil, nil}, // run by verify itself: it has the token
	{CheckAlgorithm, []CheckName{CheckFormat}, (*run).algorithm},
	{CheckSignature, []CheckName{CheckAlgorithm}, (*run).signature},
	{CheckKey, []CheckName{CheckSignature}, (*run).keyState},
	{CheckIssuer, []CheckName{CheckKey}, (*run).issuerRegistered},
	{CheckAccreditation, []CheckName{CheckIssuer}, (*run).accreditationAtIssuance},
	{CheckProfile, []CheckName{CheckKey}, (*run).profileCheck},
	{CheckCompetencies, []CheckName{CheckProfile}, (*run).competencies},
	{CheckValidity, []CheckName{CheckKey}, (*run).validity},
	{CheckStatus, []CheckName{CheckKey}, (*run).status},
	{CheckCurrentStanding, []CheckName{CheckIssuer}, (*run).currentStanding},
}

// clockSkew is how far in the future a signing time may lie before the
// credential is refused: issuers' clocks are not perfect, but a credential
// dated well ahead was not signed when it says.
const clockSkew = 5 * time.Minute

// run is one verification in progress.
type run struct {
	*reads
	now    time.Time
	checks [len(checkOrder)]Check
	// blockers names, for a skipped check, the failed check at the root.
	blockers [len(checkOrder)]CheckName
	// expiry is the next time at which a time-dependent item could change.
	expiry time.Time

	p        *credential.Parsed
	c        *credential.Credential
	issuerID string    // from issuer.id, "" if it names no Skillpass issuer
	key      *keys.Key // the named issuer's key with the token's kid

	refDone bool
	ref     credential.ProfileRef
	refErr  error
	prof    *profileEntry // nil: unknown profile version
}

func (r *run) pos(name CheckName) int {
	for i, n := range checkOrder {
		if n == name {
			return i
		}
	}
	panic("verifier: unknown check " + string(name)) // a programming error caught by every test
}

func (r *run) done(name CheckName) bool { return r.checks[r.pos(name)].Outcome != "" }

func (r *run) set(name CheckName, o Outcome, reason string, m model.Text) {
	r.checks[r.pos(name)] = Check{Name: name, Outcome: o, Reason: reason, Message: m}
}

func (r *run) pass(name CheckName, reason string, args ...any) {
	r.set(name, Pass, reason, msg(name, reason, args...))
}

// passMsg passes with the sentence of another message key.
func (r *run) passMsg(name CheckName, key string, args ...any) {
	r.set(name, Pass, ReasonOK, msg(name, key, args...))
}

func (r *run) fail(name CheckName, reason string, args ...any) {
	r.set(name, Fail, reason, msg(name, reason, args...))
}

func (r *run) info(name CheckName, reason string, args ...any) {
	r.set(name, Info, reason, msg(name, reason, args...))
}

// skip marks name as not checked because of blocker (or of whatever
// blocked blocker).
func (r *run) skip(name, blocker CheckName) {
	if b := r.blockers[r.pos(blocker)]; b != "" {
		blocker = b
	}
	r.blockers[r.pos(name)] = blocker
	r.set(name, Skipped, ReasonNotChecked, msg(name, ReasonNotChecked, "blocker", checkLabels[blocker]))
}

// until lowers the expiry to t if t is a future boundary.
func (r *run) until(t time.Time) {
	if t.After(r.now) && t.Before(r.expiry) {
		r.expiry = t
	}
}

// runSteps runs every step after FORMAT in order.
func (r *run) runSteps() error {
	for _, s := range steps[1:] {
		if r.done(s.name) {
			continue
		}
		blocked := false
		for _, need := range s.needs {
			if r.checks[r.pos(need)].Outcome != Pass {
				r.skip(s.name, need)
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		if err := s.run(r); err != nil {
			return err
		}
	}
	return nil
}

// verdict assembles the answer: VALID only if no item failed.
func (r *run) verdict() *Verdict {
	v := &Verdict{Verdict: Valid, Checks: r.checks[:]}
	for _, c := range r.checks {
		if c.Outcome == Fail {
			v.Verdict = Invalid
		}
	}
	return v
}

// format parses the token (FORMAT). A refused algorithm is found while the
// header is read, before the rest of the token: FORMAT is then not judged
// and ALGORITHM fails.
func (r *run) format(token credential.Digested) {
	p, err := token.Parse()
	if err == nil {
		r.p, r.c = p, p.Credential
		r.pass(CheckFormat, ReasonOK)
		return
	}
	reason := credential.ErrNotCredential.Reason
	var me *model.Error
	if errors.As(err, &me) {
		if _, ok := messages[msgKey{CheckFormat, me.Reason}]; ok {
			reason = me.Reason
		}
	}
	if errors.Is(err, credential.ErrUnsupportedAlg) {
		r.fail(CheckAlgorithm, credential.ErrUnsupportedAlg.Reason)
		r.skip(CheckFormat, CheckAlgorithm)
		return
	}
	r.fail(CheckFormat, reason)
}
