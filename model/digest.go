package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// DigestPrefix starts every profile digest; it names the hash so that a
// later algorithm can coexist with this one.
const DigestPrefix = "sha256:"

// ProfileDigest returns "sha256:<hex>" over the RFC 8785 canonical JSON of
// the profile version's content. Credentials quote this value, so the JSON
// shape below is frozen: renaming or adding a key changes every digest and
// needs a new prefix. State and times are left out on purpose: publishing
// or retiring a version does not change what it says.
func ProfileDigest(p *ProfileVersion) (string, error) {
	b, err := CanonicalJSON(profileContent(p))
	if err != nil {
		return "", fmt.Errorf("profile digest: %w", err)
	}
	sum := sha256.Sum256(b)
	return DigestPrefix + hex.EncodeToString(sum[:]), nil
}

// profileContent is the value tree the digest hashes. Texts always carry
// both languages (an absent English text is ""), alignments leave out the
// optional target fields that are empty, so an ESCO alignment never grows a
// meaningless targetCode.
func profileContent(p *ProfileVersion) map[string]any {
	comps := make([]any, len(p.Competencies))
	for i, c := range p.Competencies {
		aligns := make([]any, len(c.Alignments))
		for j, a := range c.Alignments {
			m := map[string]any{"framework": string(a.Framework), "frameworkVersion": a.FrameworkVersion}
			if a.TargetURL != "" {
				m["targetUrl"] = a.TargetURL
			}
			if a.TargetCode != "" {
				m["targetCode"] = a.TargetCode
			}
			if a.TargetName != "" {
				m["targetName"] = a.TargetName
			}
			aligns[j] = m
		}
		levels := make([]any, len(c.Levels))
		for j, l := range c.Levels {
			levels[j] = map[string]any{"id": l.ID, "name": textContent(l.Name), "description": textContent(l.Description)}
		}
		comps[i] = map[string]any{
			"id":          c.ID,
			"name":        textContent(c.Name),
			"description": textContent(c.Description),
			"alignments":  aligns,
			"levels":      levels,
		}
	}
	return map[string]any{
		"sector":       p.SectorID,
		"profile":      p.ProfileID,
		"version":      p.Version,
		"name":         textContent(p.Name),
		"description":  textContent(p.Description),
		"nlqfLevel":    string(p.NLQFLevel),
		"eqfLevel":     p.NLQFLevel.EQF(),
		"reviewBy":     p.ReviewBy,
		"competencies": comps,
	}
}

func textContent(t Text) map[string]any { return map[string]any{"nl": t.NL, "en": t.EN} }
