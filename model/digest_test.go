package model_test

import (
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
)

// goldenDigest is the digest of modeltest.Profile("installatie",
// "monteur-warmtepompen"). Credentials quote digests, so this value must
// never change: if this test fails, the canonical form changed and every
// issued credential would stop matching its profile.
const goldenDigest = "sha256:c0e4abd3f0dba93cb50c56944d9628f8edb449dd4a1f9957571ec307b66ec6bf"

func TestProfileDigestGolden(t *testing.T) {
	got, err := model.ProfileDigest(modeltest.Profile("installatie", "monteur-warmtepompen"))
	if err != nil {
		t.Fatalf("ProfileDigest: %v", err)
	}
	if got != goldenDigest {
		t.Errorf("ProfileDigest = %s, want the golden %s", got, goldenDigest)
	}
}

func TestProfileDigest(t *testing.T) {
	base := modeltest.Profile("installatie", "monteur-warmtepompen")
	baseDigest, err := model.ProfileDigest(base)
	if err != nil {
		t.Fatalf("ProfileDigest: %v", err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		change   func(p *model.ProfileVersion)
		wantSame bool
	}{
		{"ok/state and times are ignored", func(p *model.ProfileVersion) {
			p.State, p.Digest = model.ProfilePublished, "sha256:old"
			p.CreateTime, p.UpdateTime, p.PublishTime, p.RetireTime = t0, t0, t0, t0
		}, true},
		{"ok/version counts", func(p *model.ProfileVersion) { p.Version = 2 }, false},
		{"ok/sector counts", func(p *model.ProfileVersion) { p.SectorID = "zorg" }, false},
		{"ok/english name counts", func(p *model.ProfileVersion) { p.Name.EN = "Heat pump fitter" }, false},
		{"ok/nlqf level counts", func(p *model.ProfileVersion) { p.NLQFLevel = "4" }, false},
		{"ok/review date counts", func(p *model.ProfileVersion) { p.ReviewBy = "2027-07-01" }, false},
		{"ok/competency order counts", func(p *model.ProfileVersion) {
			p.Competencies[0], p.Competencies[1] = p.Competencies[1], p.Competencies[0]
		}, false},
		{"ok/level order counts", func(p *model.ProfileVersion) {
			l := p.Competencies[0].Levels
			l[0], l[1] = l[1], l[0]
		}, false},
		{"ok/alignment version counts", func(p *model.ProfileVersion) {
			p.Competencies[0].Alignments[0].FrameworkVersion = "1.1.0"
		}, false},
		{"ok/level description counts", func(p *model.ProfileVersion) {
			p.Competencies[1].Levels[0].Description.NL = "Kent de regels."
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := modeltest.Profile("installatie", "monteur-warmtepompen")
			tt.change(p)
			got, err := model.ProfileDigest(p)
			if err != nil {
				t.Fatalf("ProfileDigest: %v", err)
			}
			if (got == baseDigest) != tt.wantSame {
				t.Errorf("ProfileDigest = %s, base %s, want same=%v", got, baseDigest, tt.wantSame)
			}
		})
	}
}

func TestProfileDigestInvalidUTF8(t *testing.T) {
	p := modeltest.Profile("installatie", "monteur-warmtepompen")
	p.Name.NL = "bad \xff"
	if _, err := model.ProfileDigest(p); err == nil {
		t.Fatal("ProfileDigest of invalid UTF-8 succeeded, want an error")
	}
}
