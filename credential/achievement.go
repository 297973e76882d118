package credential

import (
	"fmt"
	"slices"

	"github.com/skillpass-nl/skillpass/model"
)

// Fixed vocabulary of the OB3 shapes Skillpass emits.
const (
	typeAchievement       = "Achievement"
	typeProfile           = "Profile"
	typeAlignment         = "Alignment"
	typeResultDescription = "ResultDescription"
	typeRubricLevel       = "RubricCriterionLevel"
	typeResult            = "Result"
	typeEvidence          = "Evidence"
	typeSubject           = "AchievementSubject"
	achievementCompetency = "Competency"
	targetTypeCompetency  = "ceasn:Competency"
	resultTypeRubricLevel = "RubricCriterionLevel"
)

// AchievementFor is the exact OB3 Achievement that stands for competency c
// of profile version p of sector in every credential: a pure function of
// registry content, so the verifier rebuilds it from the registry and
// compares it (Achievement.Equal) with what a token carries. Any difference
// means the token misstates the profile. Texts are the English ones, the
// Dutch where a text has no English version (Dutch is the registry's
// required language).
func AchievementFor(base string, sector *model.Sector, p *model.ProfileVersion, c *model.Competency) Achievement {
	profileURL := ProfileURL(base, p.SectorID, p.ProfileID, p.Version)
	id := AchievementID(profileURL, c.ID)
	name := english(c.Name)

	aligns := make([]Alignment, len(c.Alignments))
	for i, a := range c.Alignments {
		targetName := a.TargetName
		if targetName == "" {
			// OB3 requires targetName; the competency's own name is what
			// the framework entry stands for here.
			targetName = name
		}
		aligns[i] = Alignment{
			Type:             []string{typeAlignment},
			TargetName:       targetName,
			TargetURL:        a.TargetURL,
			TargetFramework:  string(a.Framework),
			FrameworkVersion: a.FrameworkVersion,
			TargetCode:       a.TargetCode,
			TargetType:       targetTypeCompetency,
		}
	}

	levels := make([]RubricCriterionLevel, len(c.Levels))
	allowed := make([]string, len(c.Levels))
	for i, l := range c.Levels {
		levels[i] = RubricCriterionLevel{
			ID:          LevelID(id, l.ID),
			Type:        []string{typeRubricLevel},
			Name:        english(l.Name),
			Description: english(l.Description),
			Level:       l.ID,
		}
		allowed[i] = l.ID
	}

	return Achievement{
		ID:              id,
		Type:            []string{typeAchievement},
		AchievementType: achievementCompetency,
		Name:            name,
		Description:     english(c.Description),
		Criteria: Criteria{
			ID: profileURL,
			// Only what a published version fixes: a sector may be renamed
			// later, and that must not change what verifiers rebuild.
			Narrative: fmt.Sprintf("Shown at a level of this competency's scale, assessed by an issuer accredited by the sector for the competency profile %s, version %d.",
				english(p.Name), p.Version),
		},
		Creator:   Creator{ID: SectorURL(base, sector.ID), Type: []string{typeProfile}, Name: english(sector.Name)},
		Alignment: aligns,
		ResultDescription: []ResultDescription{{
			ID:                   ResultDescriptionID(id),
			Type:                 []string{typeResultDescription},
			Name:                 "Level reached: " + name,
			ResultType:           resultTypeRubricLevel,
			AllowedValue:         allowed,
			RubricCriterionLevel: levels,
		}},
	}
}

// AchievementID is the id of a competency's achievement:
// "<profile version URL>#<competency id>".
func AchievementID(profileURL, competencyID string) string { return profileURL + "#" + competencyID }

// ResultDescriptionID is the id of an achievement's level scale.
func ResultDescriptionID(achievementID string) string { return achievementID + "-levels" }

// LevelID is the id of one level of an achievement's scale.
func LevelID(achievementID, levelID string) string { return achievementID + "-level-" + levelID }

func english(t model.Text) string {
	if t.EN != "" {
		return t.EN
	}
	return t.NL
}

// Equal reports whether a and o say exactly the same, treating a nil and
// an empty list alike (JSON decoding cannot tell them apart).
func (a *Achievement) Equal(o *Achievement) bool {
	return a.ID == o.ID && slices.Equal(a.Type, o.Type) && a.AchievementType == o.AchievementType &&
		a.Name == o.Name && a.Description == o.Description && a.Criteria == o.Criteria &&
		a.Creator.ID == o.Creator.ID && slices.Equal(a.Creator.Type, o.Creator.Type) && a.Creator.Name == o.Creator.Name &&
		slices.EqualFunc(a.Alignment, o.Alignment, Alignment.equal) &&
		slices.EqualFunc(a.ResultDescription, o.ResultDescription, ResultDescription.equal)
}

func (a Alignment) equal(o Alignment) bool {
	return slices.Equal(a.Type, o.Type) && a.TargetName == o.TargetName && a.TargetURL == o.TargetURL &&
		a.TargetFramework == o.TargetFramework && a.FrameworkVersion == o.FrameworkVersion &&
		a.TargetCode == o.TargetCode && a.TargetType == o.TargetType
}

func (r ResultDescription) equal(o ResultDescription) bool {
	return r.ID == o.ID && slices.Equal(r.Type, o.Type) && r.Name == o.Name && r.ResultType == o.ResultType &&
		slices.Equal(r.AllowedValue, o.AllowedValue) &&
		slices.EqualFunc(r.RubricCriterionLevel, o.RubricCriterionLevel, RubricCriterionLevel.equal)
}

func (l RubricCriterionLevel) equal(o RubricCriterionLevel) bool {
	return l.ID == o.ID && slices.Equal(l.Type, o.Type) && l.Name == o.Name && l.Description == o.Description && l.Level == o.Level
}
