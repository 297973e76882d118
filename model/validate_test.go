package model_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
)

// violatedFields returns the fields a validation error names, or nil.
func violatedFields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *model.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *model.ValidationError", err)
	}
	var fields []string
	for _, v := range ve.Violations {
		if !slices.Contains(fields, v.Field) {
			fields = append(fields, v.Field)
		}
	}
	return fields
}

func TestValidateProfileContent(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *model.ProfileVersion)
		want   []string
	}{
		{"ok", func(p *model.ProfileVersion) {}, nil},
		{"ok/entry level", func(p *model.ProfileVersion) { p.NLQFLevel = model.NLQFEntry }, nil},
		{"ok/no english", func(p *model.ProfileVersion) { p.Name.EN = "" }, nil},
		{"error/dutch name missing", func(p *model.ProfileVersion) { p.Name.NL = "" }, []string{"profile_version.display_name.nl"}},
		{"error/english without dutch description", func(p *model.ProfileVersion) { p.Description = model.Text{EN: "x"} },
			[]string{"profile_version.description.nl"}},
		{"error/name too long", func(p *model.ProfileVersion) { p.Name.NL = strings.Repeat("é", 201) }, []string{"profile_version.display_name.nl"}},
		{"ok/name of 200 characters", func(p *model.ProfileVersion) { p.Name.NL = strings.Repeat("é", 200) }, nil},
		{"error/name with newline", func(p *model.ProfileVersion) { p.Name.EN = "a\nb" }, []string{"profile_version.display_name.en"}},
		{"error/blank name", func(p *model.ProfileVersion) { p.Name.NL = "   " }, []string{"profile_version.display_name.nl"}},
		{"error/invalid utf-8", func(p *model.ProfileVersion) { p.Name.NL = "\xff" }, []string{"profile_version.display_name.nl"}},
		{"error/description too long", func(p *model.ProfileVersion) { p.Description.NL = strings.Repeat("a", 2001) }, []string{"profile_version.description.nl"}},
		{"ok/multiline description", func(p *model.ProfileVersion) { p.Description.NL = "regel 1\nregel 2" }, nil},
		{"error/nlqf level", func(p *model.ProfileVersion) { p.NLQFLevel = "9" }, []string{"profile_version.nlqf_level"}},
		{"error/review_by missing", func(p *model.ProfileVersion) { p.ReviewBy = "" }, []string{"profile_version.review_by"}},
		{"error/review_by impossible date", func(p *model.ProfileVersion) { p.ReviewBy = "2027-02-30" }, []string{"profile_version.review_by"}},
		{"error/review_by not a date", func(p *model.ProfileVersion) { p.ReviewBy = "30-06-2027" }, []string{"profile_version.review_by"}},
		{"error/no competencies", func(p *model.ProfileVersion) { p.Competencies = nil }, []string{"profile_version.competencies"}},
		{"error/too many competencies", func(p *model.ProfileVersion) {
			p.Competencies = manyCompetencies(p.Competencies[1], model.MaxCompetencies+1)
		}, []string{"profile_version.competencies"}},
		{"ok/maximum competencies", func(p *model.ProfileVersion) {
			p.Competencies = manyCompetencies(p.Competencies[1], model.MaxCompetencies)
		}, nil},
		{"error/duplicate competency id", func(p *model.ProfileVersion) { p.Competencies[1].ID = p.Competencies[0].ID },
			[]string{"profile_version.competencies[1].id"}},
		{"error/competency id shape", func(p *model.ProfileVersion) { p.Competencies[0].ID = "Warmtepomp" },
			[]string{"profile_version.competencies[0].id"}},
		{"error/competency id one character", func(p *model.ProfileVersion) { p.Competencies[0].ID = "w" },
			[]string{"profile_version.competencies[0].id"}},
		{"error/no alignments", func(p *model.ProfileVersion) { p.Competencies[1].Alignments = nil },
			[]string{"profile_version.competencies[1].alignments"}},
		{"error/no levels", func(p *model.ProfileVersion) { p.Competencies[0].Levels = nil },
			[]string{"profile_version.competencies[0].levels"}},
		{"error/too many levels", func(p *model.ProfileVersion) {
			c := &p.Competencies[1]
			for i := range model.MaxLevels {
				c.Levels = append(c.Levels, model.Level{ID: "l" + string(rune('a'+i)), Name: model.Text{NL: "n"}})
			}
		}, []string{"profile_version.competencies[1].levels"}},
		{"error/duplicate level id", func(p *model.ProfileVersion) { p.Competencies[0].Levels[1].ID = "1" },
			[]string{"profile_version.competencies[0].levels[1].id"}},
		{"error/level id shape", func(p *model.ProfileVersion) { p.Competencies[0].Levels[0].ID = "Level 1" },
			[]string{"profile_version.competencies[0].levels[0].id"}},
		{"error/level name", func(p *model.ProfileVersion) { p.Competencies[0].Levels[0].Name = model.Text{} },
			[]string{"profile_version.competencies[0].levels[0].display_name.nl"}},
		{"error/esco uri upper case", func(p *model.ProfileVersion) {
			p.Competencies[0].Alignments[0].TargetURL = "http://data.europa.eu/esco/skill/8B3C2C5E-6F0A-4C1D-9A57-0E1F2A3B4C5D"
		}, []string{"profile_version.competencies[0].alignments[0].target_url"}},
		{"error/esco uri https", func(p *model.ProfileVersion) {
			p.Competencies[0].Alignments[0].TargetURL = "https://data.europa.eu/esco/skill/8b3c2c5e-6f0a-4c1d-9a57-0e1f2a3b4c5d"
		}, []string{"profile_version.competencies[0].alignments[0].target_url"}},
		{"error/esco occupation uri", func(p *model.ProfileVersion) {
			p.Competencies[0].Alignments[0].TargetURL = "http://data.europa.eu/esco/occupation/8b3c2c5e-6f0a-4c1d-9a57-0e1f2a3b4c5d"
		}, []string{"profile_version.competencies[0].alignments[0].target_url"}},
		{"error/esco uri missing", func(p *model.ProfileVersion) { p.Competencies[0].Alignments[0].TargetURL = "" },
			[]string{"profile_version.competencies[0].alignments[0].target_url"}},
		{"error/esco version missing", func(p *model.ProfileVersion) { p.Competencies[1].Alignments[0].FrameworkVersion = "" },
			[]string{"profile_version.competencies[1].alignments[0].framework_version"}},
		{"error/esco version shape", func(p *model.ProfileVersion) { p.Competencies[1].Alignments[0].FrameworkVersion = "latest" },
			[]string{"profile_version.competencies[1].alignments[0].framework_version"}},
		{"error/competentnl code missing", func(p *model.ProfileVersion) { p.Competencies[0].Alignments[1].TargetCode = "" },
			[]string{"profile_version.competencies[0].alignments[1].target_code"}},
		{"error/competentnl version missing", func(p *model.ProfileVersion) { p.Competencies[0].Alignments[1].FrameworkVersion = "" },
			[]string{"profile_version.competencies[0].alignments[1].framework_version"}},
		{"error/unknown framework", func(p *model.ProfileVersion) { p.Competencies[0].Alignments[1].Framework = "ONET" },
			[]string{"profile_version.competencies[0].alignments[1].framework"}},
		{"error/missing framework", func(p *model.ProfileVersion) { p.Competencies[0].Alignments[1].Framework = "" },
			[]string{"profile_version.competencies[0].alignments[1].framework"}},
		{"error/every violation is listed", func(p *model.ProfileVersion) {
			p.Name.NL, p.ReviewBy, p.Competencies[1].Levels = "", "tomorrow", nil
		}, []string{"profile_version.display_name.nl", "profile_version.review_by", "profile_version.competencies[1].levels"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := modeltest.Profile("installatie", "monteur")
			tt.change(p)
			var v model.Violations
			model.ValidateProfileContent(&v, "profile_version", p)
			if got := violatedFields(t, v.Err()); !slices.Equal(got, tt.want) {
				t.Errorf("violated fields = %q, want %q (error: %v)", got, tt.want, v.Err())
			}
		})
	}
}

func manyCompetencies(c model.Competency, n int) []model.Competency {
	out := make([]model.Competency, n)
	for i := range out {
		out[i] = c
		out[i].ID = "c" + strings.Repeat("x", i/26) + string(rune('a'+i%26))
	}
	return out
}

func TestValidateIssuer(t *testing.T) {
	tests := []struct {
		name   string
		change func(i *model.Issuer)
		want   []string
	}{
		{"ok", func(i *model.Issuer) {}, nil},
		{"ok/no contact", func(i *model.Issuer) { i.Contact = model.Contact{} }, nil},
		{"error/legal name", func(i *model.Issuer) { i.LegalName = "" }, []string{"issuer.legal_name"}},
		{"error/kvk missing", func(i *model.Issuer) { i.KvKNumber = "" }, []string{"issuer.kvk_number"}},
		{"error/kvk seven digits", func(i *model.Issuer) { i.KvKNumber = "1234567" }, []string{"issuer.kvk_number"}},
		{"error/kvk nine digits", func(i *model.Issuer) { i.KvKNumber = "123456789" }, []string{"issuer.kvk_number"}},
		{"error/kvk letters", func(i *model.Issuer) { i.KvKNumber = "1234567a" }, []string{"issuer.kvk_number"}},
		{"error/kvk non-ascii digits", func(i *model.Issuer) { i.KvKNumber = "١٢٣٤٥٦٧٨" }, []string{"issuer.kvk_number"}},
		{"error/email display name", func(i *model.Issuer) { i.Contact.Email = "Jan Jansen <jan@example.nl>" }, []string{"issuer.contact.email"}},
		{"error/email angle brackets", func(i *model.Issuer) { i.Contact.Email = "<info@example.nl>" }, []string{"issuer.contact.email"}},
		{"error/email garbage", func(i *model.Issuer) { i.Contact.Email = "info at example" }, []string{"issuer.contact.email"}},
		{"error/website http", func(i *model.Issuer) { i.Contact.Website = "http://example.nl" }, []string{"issuer.contact.website"}},
		{"error/website relative", func(i *model.Issuer) { i.Contact.Website = "example.nl" }, []string{"issuer.contact.website"}},
		{"error/website with credentials", func(i *model.Issuer) { i.Contact.Website = "https://u:p@example.nl" }, []string{"issuer.contact.website"}},
		{"error/phone", func(i *model.Issuer) { i.Contact.Phone = "call us" }, []string{"issuer.contact.phone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := modeltest.Issuer("opleider")
			tt.change(i)
			var v model.Violations
			model.ValidateIssuer(&v, "issuer", i)
			if got := violatedFields(t, v.Err()); !slices.Equal(got, tt.want) {
				t.Errorf("violated fields = %q, want %q (error: %v)", got, tt.want, v.Err())
			}
		})
	}
}

func TestValidateSectorAndIDs(t *testing.T) {
	tests := []struct {
		name string
		id   string
		s    model.Sector
		want []string
	}{
		{"ok", "installatie", *modeltest.Sector("installatie"), nil},
		{"ok/id of 63 characters", "a" + strings.Repeat("b", 62), *modeltest.Sector("x"), nil},
		{"error/id of 64 characters", "a" + strings.Repeat("b", 63), *modeltest.Sector("x"), []string{"sector_id"}},
		{"error/id starts with digit", "1zorg", *modeltest.Sector("x"), []string{"sector_id"}},
		{"error/id upper case", "Zorg", *modeltest.Sector("x"), []string{"sector_id"}},
		{"error/id with slash", "zorg/x", *modeltest.Sector("x"), []string{"sector_id"}},
		{"error/id missing", "", *modeltest.Sector("x"), []string{"sector_id"}},
		{"error/authority and name missing", "zorg", model.Sector{}, []string{"sector.display_name.nl", "sector.authority"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v model.Violations
			model.CheckID(&v, "sector_id", tt.id)
			model.ValidateSector(&v, "sector", &tt.s)
			if got := violatedFields(t, v.Err()); !slices.Equal(got, tt.want) {
				t.Errorf("violated fields = %q, want %q (error: %v)", got, tt.want, v.Err())
			}
		})
	}
}

func TestValidateAccreditationTerms(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(a *model.Accreditation)
		want   []string
	}{
		{"ok", func(a *model.Accreditation) {}, nil},
		{"ok/open-ended", func(a *model.Accreditation) { a.ValidUntil, a.MaxVersion = time.Time{}, 0 }, nil},
		{"ok/single version", func(a *model.Accreditation) { a.MinVersion, a.MaxVersion = 2, 2 }, nil},
		{"error/min version zero", func(a *model.Accreditation) { a.MinVersion = 0 }, []string{"accreditation.min_version"}},
		{"error/max below min", func(a *model.Accreditation) { a.MinVersion, a.MaxVersion = 3, 2 }, []string{"accreditation.max_version"}},
		{"error/valid_from missing", func(a *model.Accreditation) { a.ValidFrom = time.Time{} }, []string{"accreditation.valid_from"}},
		{"error/valid_until equals valid_from", func(a *model.Accreditation) { a.ValidUntil = a.ValidFrom }, []string{"accreditation.valid_until"}},
		{"error/valid_until before valid_from", func(a *model.Accreditation) { a.ValidUntil = a.ValidFrom.Add(-time.Hour) }, []string{"accreditation.valid_until"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := modeltest.Accreditation("opleider", "installatie", "monteur", from)
			tt.change(a)
			var v model.Violations
			model.ValidateAccreditationTerms(&v, "accreditation", a)
			if got := violatedFields(t, v.Err()); !slices.Equal(got, tt.want) {
				t.Errorf("violated fields = %q, want %q (error: %v)", got, tt.want, v.Err())
			}
		})
	}
}

func TestValidatePrincipal(t *testing.T) {
	tests := []struct {
		name string
		p    model.Principal
		want []string
	}{
		{"ok/root", model.Principal{Kind: model.KindRoot, DisplayName: "operator"}, nil},
		{"ok/sector authority", model.Principal{Kind: model.KindSectorAuthority, DisplayName: "OTIB", SectorIDs: []string{"installatie", "techniek"}}, nil},
		{"ok/issuer client", model.Principal{Kind: model.KindIssuerClient, DisplayName: "ROC", IssuerID: "roc-midden"}, nil},
		{"error/display name", model.Principal{Kind: model.KindRoot}, []string{"principal.display_name"}},
		{"error/kind missing", model.Principal{DisplayName: "x"}, []string{"principal.kind"}},
		{"error/anonymous kind", model.Principal{Kind: model.KindAnonymous, DisplayName: "x"}, []string{"principal.kind"}},
		{"error/root with scopes", model.Principal{Kind: model.KindRoot, DisplayName: "x", SectorIDs: []string{"zorg"}, IssuerID: "roc"},
			[]string{"principal.sectors", "principal.issuer"}},
		{"error/authority without sectors", model.Principal{Kind: model.KindSectorAuthority, DisplayName: "x"}, []string{"principal.sectors"}},
		{"error/authority with bad and duplicate sector", model.Principal{Kind: model.KindSectorAuthority, DisplayName: "x", SectorIDs: []string{"zorg", "Zorg", "zorg"}},
			[]string{"principal.sectors[1]", "principal.sectors[2]"}},
		{"error/authority with issuer", model.Principal{Kind: model.KindSectorAuthority, DisplayName: "x", SectorIDs: []string{"zorg"}, IssuerID: "roc"},
			[]string{"principal.issuer"}},
		{"error/issuer client without issuer", model.Principal{Kind: model.KindIssuerClient, DisplayName: "x"}, []string{"principal.issuer"}},
		{"error/issuer client with sectors", model.Principal{Kind: model.KindIssuerClient, DisplayName: "x", IssuerID: "roc", SectorIDs: []string{"zorg"}},
			[]string{"principal.sectors"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v model.Violations
			model.ValidatePrincipal(&v, "principal", &tt.p)
			if got := violatedFields(t, v.Err()); !slices.Equal(got, tt.want) {
				t.Errorf("violated fields = %q, want %q (error: %v)", got, tt.want, v.Err())
			}
		})
	}
}

func TestCheckReason(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		want   []string
	}{
		{"ok", "audit found missing exam records", nil},
		{"error/missing", "", []string{"reason"}},
		{"error/too long", strings.Repeat("x", model.MaxReasonLength+1), []string{"reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v model.Violations
			model.CheckReason(&v, "reason", tt.reason)
			if got := violatedFields(t, v.Err()); !slices.Equal(got, tt.want) {
				t.Errorf("violated fields = %q, want %q", got, tt.want)
			}
		})
	}
}
