package verifier

import (
	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/model"
)

// content makes a parsed credential readable. It is filled for every
// parsed credential, valid or not, so a reader sees what a refused
// credential claimed; the verdict says whether to believe it.
//
// Names are taken from the registry only when the content is the issuer's
// word (verifiedContent). Otherwise anyone can write any issuer id into a
// token, and a forged token would read as "issued by <real organisation>"
// under that organisation's registered name; so it shows only its own
// claims, marked unverified, and the registry is not even read for it.
// Where the registry does not know what a verified token names, the
// token's own (English) text stands in.
func (r *run) content() (*Content, error) {
	c := r.c
	out := &Content{
		CredentialID:   c.ID,
		IssuerID:       r.issuerID, // read from issuer.id by ALGORITHM: the token's claim
		IssuerURL:      c.Issuer.ID,
		IssuerName:     c.Issuer.Name,
		HolderID:       c.HolderID(),
		HolderKeyBound: c.Cnf != nil,
		IssuedAt:       c.IssuedAt(),
		ValidFrom:      c.ValidFromTime(),
		ValidUntil:     c.ValidUntilTime(),
		ProfileName:    model.Text{EN: c.Name},
		Verified:       r.verifiedContent(),
	}
	var prof *profileEntry
	if out.Verified {
		iss, err := r.issuer(r.issuerID)
		if err != nil {
			return nil, err
		}
		if iss != nil {
			out.IssuerName = iss.LegalName
		}
		if err := r.profileRef(); err != nil {
			return nil, err
		}
		if prof = r.prof; prof != nil {
			out.SectorName, out.ProfileName = prof.sector.Name, prof.pv.Name
		}
	} else if !r.refDone {
		// The reference is the token's claim too; reading it needs no
		// registry.
		r.ref, r.refErr = c.Profile(r.base)
	}
	if r.refErr == nil {
		out.SectorID, out.ProfileID, out.ProfileVersion, out.ProfileDigest = r.ref.SectorID, r.ref.ProfileID, r.ref.Version, r.ref.Digest
	}
	s := &c.CredentialSubject
	out.Competencies = make([]Competency, len(s.Achievement))
	for i := range s.Achievement {
		out.Competencies[i] = competency(prof, &s.Achievement[i], &s.Result[i])
	}
	return out, nil
}

// verifiedContent reports whether the credential's content is the word of
// the issuer it names: SIGNATURE passed with a key from that issuer's own
// set (never a key found by kid alone), and KEY_STATE passed, since a
// compromised key or one used outside its active period may be in other
// hands (trust rule 3) and so vouches for nothing a forger could write.
func (r *run) verifiedContent() bool {
	return r.checks[r.pos(CheckSignature)].Outcome == Pass && r.checks[r.pos(CheckKey)].Outcome == Pass
}

// competency describes one awarded achievement, with the registry's names
// from prof if it is not nil.
func competency(prof *profileEntry, a *credential.Achievement, res *credential.Result) Competency {
	out := Competency{ID: a.ID, Name: model.Text{EN: a.Name}, LevelID: res.Value, Method: res.AssessmentMethod}
	var comp *model.Competency
	if prof != nil {
		comp = prof.byAchievementID[a.ID]
	}
	if comp == nil {
		return out
	}
	out.ID, out.Name, out.Alignments, out.LevelCount = comp.ID, comp.Name, comp.Alignments, len(comp.Levels)
	if i := comp.LevelIndex(res.Value); i >= 0 {
		out.LevelName, out.LevelRank = comp.Levels[i].Name, i+1
	}
	return out
}
