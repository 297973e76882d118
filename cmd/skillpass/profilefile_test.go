package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func TestProfileParent(t *testing.T) {
	tests := []struct {
		name, sector, profile, fileName string
		want, wantErr                   string
	}{
		{name: "ok/from flags", sector: "zorg", profile: "vig", want: "sectors/zorg/profiles/vig"},
		{name: "ok/from exported version name", fileName: "sectors/zorg/profiles/vig/versions/3", want: "sectors/zorg/profiles/vig"},
		{name: "ok/from profile name", fileName: "sectors/zorg/profiles/vig", want: "sectors/zorg/profiles/vig"},
		{name: "ok/flags agree with file", sector: "zorg", profile: "vig", fileName: "sectors/zorg/profiles/vig/versions/1", want: "sectors/zorg/profiles/vig"},
		{name: "error/neither", wantErr: "--sector and --profile are required"},
		{name: "error/sector without profile", sector: "zorg", wantErr: "--sector and --profile go together"},
		{name: "error/flags disagree with file", sector: "zorg", profile: "other", fileName: "sectors/zorg/profiles/vig/versions/1", wantErr: "but the file's name says sectors/zorg/profiles/vig"},
		{name: "error/malformed file name", fileName: "profiles/vig", wantErr: "is not sectors/{sector}/profiles/{profile}"},
		{name: "error/file name with extra segment", fileName: "sectors/zorg/profiles/vig/drafts/1", wantErr: "is not sectors/{sector}/profiles/{profile}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := profileParent(tt.sector, tt.profile, tt.fileName)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestParseProfileRejects(t *testing.T) {
	tests := []struct {
		name, json, wantErr string
	}{
		{name: "error/unknown field", json: `{"displayName":{"nl":"x"},"competences":[]}`, wantErr: `unknown field "competences"`},
		{name: "error/unknown enum value", json: `{"nlqfLevel":"NLQF_LEVEL_9"}`, wantErr: "NLQF_LEVEL_9"},
		{name: "error/not json", json: `displayName: x`, wantErr: "profile file f.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseProfile("f.json", []byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

var escoSkillURI = regexp.MustCompile(`^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// TestExamples parses every shipped example profile and checks the shape
// the examples README promises, then round-trips each through the export
// encoding.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d example profiles, want at least 3", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			pv, err := readProfileFile(f, nil)
			if err != nil {
				t.Fatal(err)
			}
			if pv.GetDisplayName().GetNl() == "" || pv.GetDisplayName().GetEn() == "" {
				t.Error("display name needs Dutch and English")
			}
			if pv.GetNlqfLevel() == pb.NlqfLevel_NLQF_LEVEL_UNSPECIFIED {
				t.Error("nlqfLevel is not set")
			}
			if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(pv.GetReviewBy()) {
				t.Errorf("reviewBy %q is not YYYY-MM-DD", pv.GetReviewBy())
			}
			if n := len(pv.GetCompetencies()); n < 4 || n > 8 {
				t.Errorf("%d competencies, want 4-8", n)
			}
			for _, c := range pv.GetCompetencies() {
				if c.GetDisplayName().GetNl() == "" || c.GetDisplayName().GetEn() == "" ||
					c.GetDescription().GetNl() == "" || c.GetDescription().GetEn() == "" {
					t.Errorf("competency %s needs Dutch and English names and descriptions", c.GetId())
				}
				if len(c.GetLevels()) == 0 {
					t.Errorf("competency %s has no level scale", c.GetId())
				}
				esco := 0
				for _, a := range c.GetAlignments() {
					if a.GetFramework() != pb.Framework_FRAMEWORK_ESCO {
						continue
					}
					esco++
					if !escoSkillURI.MatchString(a.GetTargetUrl()) || a.GetFrameworkVersion() != "1.2.0" || a.GetTargetName() == "" {
						t.Errorf("competency %s: bad ESCO alignment %v", c.GetId(), a)
					}
				}
				if esco == 0 {
					t.Errorf("competency %s has no ESCO alignment", c.GetId())
				}
			}
			b, err := encodeProfile(pv)
			if err != nil {
				t.Fatal(err)
			}
			back, err := parseProfile("export", b)
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(pv, back) {
				t.Error("export then import changed the profile")
			}
		})
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "new" {
		t.Fatalf("read %q, %v", b, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
