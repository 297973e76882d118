package verifier

import (
	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/model"
)

// content makes a parsed credential readable with names from the
// registry. It is filled for every parsed credential, valid or not, so a
// reader sees what a refused credential claimed; the verdict says whether
// to believe it. Where the registry does not know what the token names,
// the token's own (English) text stands in.
func (r *run) content() (*Content, error) {
	c := r.c
	out := &Content{
		CredentialID:   c.ID,
		IssuerURL:      c.Issuer.ID,
		IssuerName:     c.Issuer.Name,
		HolderID:       c.HolderID(),
		HolderKeyBound: c.Cnf != nil,
		IssuedAt:       c.IssuedAt(),
		ValidFrom:      c.ValidFromTime(),
		ValidUntil:     c.ValidUntilTime(),
	}
	// ALGORITHM, which runs for every parsed token, has read issuer.id.
	if id := r.issuerID; id != "" {
		out.IssuerID = id
		iss, err := r.issuer(id)
		if err != nil {
			return nil, err
		}
		if iss != nil {
			out.IssuerName = iss.LegalName
		}
	}
	if err := r.profileRef(); err != nil {
		return nil, err
	}
	if r.refErr == nil {
		out.SectorID, out.ProfileID, out.ProfileVersion, out.ProfileDigest = r.ref.SectorID, r.ref.ProfileID, r.ref.Version, r.ref.Digest
	}
	if r.prof != nil {
		out.SectorName, out.ProfileName = r.prof.sector.Name, r.prof.pv.Name
	} else {
		out.ProfileName = model.Text{EN: c.Name}
	}
	s := &c.CredentialSubject
	out.Competencies = make([]Competency, len(s.Achievement))
	for i := range s.Achievement {
		out.Competencies[i] = r.competency(&s.Achievement[i], &s.Result[i])
	}
	return out, nil
}

// competency describes one awarded achievement.
func (r *run) competency(a *credential.Achievement, res *credential.Result) Competency {
	out := Competency{ID: a.ID, Name: model.Text{EN: a.Name}, LevelID: res.Value, Method: res.AssessmentMethod}
	var comp *model.Competency
	if r.prof != nil {
		comp = r.prof.byAchievementID[a.ID]
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
