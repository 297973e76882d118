package credential

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/skillpass-nl/skillpass/model/modeltest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestAchievementForGolden pins the exact OB3 Achievement of a competency:
// credentials already issued quote it, and the verifier rebuilds it, so a
// change here is a format change and must be deliberate (-update).
func TestAchievementForGolden(t *testing.T) {
	p := testProfile(t)
	sector := modeltest.Sector(testSectorID)
	for i, name := range []string{"achievement-esco-competentnl.json", "achievement-dutch-only.json"} {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(AchievementFor(testBase, sector, p, &p.Competencies[i]), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(got, '\n'), want) {
				t.Errorf("AchievementFor differs from %s:\n%s", path, got)
			}
		})
	}
}

// TestAchievementEqual: Equal must notice any difference a token could
// carry, and must not mind what JSON decoding cannot preserve.
func TestAchievementEqual(t *testing.T) {
	p := testProfile(t)
	sector := modeltest.Sector(testSectorID)
	base := func() Achievement { return AchievementFor(testBase, sector, p, &p.Competencies[0]) }
	tests := []struct {
		name   string
		change func(a *Achievement)
		equal  bool
	}{
		{"ok/rebuilt", func(*Achievement) {}, true},
		{"error/alignment missing", func(a *Achievement) { a.Alignment = nil }, false},
		{"error/name", func(a *Achievement) { a.Name = "Install a gas boiler" }, false},
		{"error/creator", func(a *Achievement) { a.Creator.ID = testBase + "/sectors/zorg" }, false},
		{"error/criteria", func(a *Achievement) { a.Criteria.Narrative = "" }, false},
		{"error/alignment url", func(a *Achievement) { a.Alignment[0].TargetURL = "http://data.europa.eu/esco/skill/other" }, false},
		{"error/framework version", func(a *Achievement) { a.Alignment[0].FrameworkVersion = "1.1.0" }, false},
		{"error/extra level", func(a *Achievement) {
			rd := &a.ResultDescription[0]
			rd.RubricCriterionLevel = append(rd.RubricCriterionLevel, RubricCriterionLevel{ID: "x", Level: "3"})
		}, false},
		{"error/level renamed", func(a *Achievement) { a.ResultDescription[0].RubricCriterionLevel[1].Name = "Expert" }, false},
		{"error/allowed values", func(a *Achievement) { a.ResultDescription[0].AllowedValue = []string{"2", "1"} }, false},
		{"error/type", func(a *Achievement) { a.Type = append(a.Type, "Badge") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := base()
			got := base()
			tt.change(&got)
			if eq := want.Equal(&got); eq != tt.equal {
				t.Fatalf("Equal = %v, want %v", eq, tt.equal)
			}
		})
	}

	x, y := base(), base()
	x.Alignment, y.Alignment = nil, []Alignment{}
	if !x.Equal(&y) {
		t.Error("a nil and an empty list differ")
	}

	// A JSON round trip (what Parse does) keeps an achievement Equal,
	// including one whose description is absent.
	a := AchievementFor(testBase, sector, p, &p.Competencies[0])
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Achievement
	if err := jsonv2.Unmarshal(b, &back, strictJSON); err != nil {
		t.Fatal(err)
	}
	if !a.Equal(&back) {
		t.Error("achievement differs from itself after a JSON round trip")
	}
}

// TestAchievementCache: a parsed credential owns its achievements (changing
// one cannot change the next parse), and the cache stays bounded.
func TestAchievementCache(t *testing.T) {
	k := newTestKey(t, "ES256")
	tok := signTest(t, testCredential(t), k)
	first, err := Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	a := &first.Credential.CredentialSubject.Achievement[0]
	a.Type[0] = "Changed"
	a.Alignment[0].Type[0] = "Changed"
	a.ResultDescription[0].RubricCriterionLevel[0].Type[0] = "Changed"
	second, err := Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	p := testProfile(t)
	want := AchievementFor(testBase, modeltest.Sector(testSectorID), p, &p.Competencies[0])
	if got := &second.Credential.CredentialSubject.Achievement[0]; !want.Equal(got) {
		t.Fatalf("second parse sees the first caller's changes: %+v", got)
	}

	for i := range achievementCacheEntries + 10 {
		var v Achievement
		if err := jsonv2.Unmarshal([]byte(`{"id":"x`+strconv.Itoa(i)+`"}`), &v, strictJSON); err != nil {
			t.Fatal(err)
		}
	}
	achievementCache.mu.RLock()
	n := len(achievementCache.entries)
	achievementCache.mu.RUnlock()
	if n > achievementCacheEntries {
		t.Errorf("cache holds %d entries, bound is %d", n, achievementCacheEntries)
	}
	var big Achievement
	if err := jsonv2.Unmarshal([]byte(`{"id":"`+strings.Repeat("x", achievementCacheMaxKey)+`"}`), &big, strictJSON); err != nil {
		t.Fatal(err)
	}
	if _, ok := achievementCache.get([]byte(`{"id":"` + strings.Repeat("x", achievementCacheMaxKey) + `"}`)); ok {
		t.Error("an achievement over the size bound was cached")
	}
	var unknown Achievement
	if err := jsonv2.Unmarshal([]byte(`{"id":"x","extra":1}`), &unknown, strictJSON); err == nil {
		t.Error("an achievement with an unknown member decoded")
	}
}

// TestAchievementClone: a clone is Equal, shares no list with the
// original, and its lists cannot overwrite each other when appended to.
func TestAchievementClone(t *testing.T) {
	p := testProfile(t)
	orig := AchievementFor(testBase, modeltest.Sector(testSectorID), p, &p.Competencies[0])
	c := orig.clone()
	if !c.Equal(&orig) {
		t.Fatal("clone differs")
	}
	c.Type[0] = "Changed"
	c.Alignment[0].Type[0] = "Changed"
	c.ResultDescription[0].AllowedValue[0] = "Changed"
	if orig.Type[0] == "Changed" || orig.Alignment[0].Type[0] == "Changed" || orig.ResultDescription[0].AllowedValue[0] == "Changed" {
		t.Fatal("clone shares a list with the original")
	}
	before := slices.Clone(c.Creator.Type)
	c.Type = append(c.Type, "Appended")
	if !slices.Equal(c.Creator.Type, before) {
		t.Fatalf("appending to type overwrote creator.type: %q", c.Creator.Type)
	}
	var empty Achievement
	if e := empty.clone(); e.Type != nil || e.Alignment != nil {
		t.Fatal("nil lists became non-nil")
	}
	if e := (Achievement{Type: []string{}}).clone(); e.Type == nil {
		t.Fatal("an empty list became nil")
	}
}
