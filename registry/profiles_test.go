package registry

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
)

func TestCreateProfileVersion(t *testing.T) {
	tests := []struct {
		name        string
		actor       model.Principal
		in          *model.ProfileVersion
		wantErr     error
		field       string
		wantVersion int32
	}{
		{name: "ok/next version of an existing profile", actor: installAuth, in: modeltest.Profile("installatie", "monteur"), wantVersion: 3},
		{name: "ok/first version of a new profile", actor: root, in: modeltest.Profile("installatie", "elektricien"), wantVersion: 1},
		{name: "ok/server fields are ignored", actor: root, in: func() *model.ProfileVersion {
			p := modeltest.Profile("installatie", "elektricien")
			p.Version, p.State, p.Digest = 9, model.ProfilePublished, "sha256:forged"
			return p
		}(), wantVersion: 1},
		{name: "error/authority of another sector", actor: zorgAuth, in: modeltest.Profile("installatie", "monteur"), wantErr: model.ErrPermissionDenied},
		{name: "error/issuer client", actor: rocClient, in: modeltest.Profile("installatie", "monteur"), wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, in: modeltest.Profile("installatie", "monteur"), wantErr: model.ErrUnauthenticated},
		{name: "error/unknown sector", actor: root, in: modeltest.Profile("bouw", "metselaar"), wantErr: model.ErrSectorUnknown},
		{name: "error/bad profile id", actor: root, in: modeltest.Profile("installatie", "M"), wantErr: errValidation, field: "parent"},
		{name: "error/invalid content", actor: root, in: func() *model.ProfileVersion {
			p := modeltest.Profile("installatie", "elektricien")
			p.Competencies[0].Levels[0].ID = ""
			return p
		}(), wantErr: errValidation, field: "profile_version.competencies[0].levels[0].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			seed(t, s)
			got, err := s.CreateProfileVersion(ctx, tt.actor, "", tt.in)
			checkErr(t, err, tt.wantErr)
			if tt.field != "" {
				checkViolation(t, err, tt.field)
			}
			if err != nil {
				return
			}
			if got.Version != tt.wantVersion || got.State != model.ProfileDraft || got.Digest != "" || !got.CreateTime.Equal(day0) {
				t.Errorf("created version %d %s digest %q at %s, want version %d DRAFT without digest at %s",
					got.Version, got.State, got.Digest, got.CreateTime, tt.wantVersion, day0)
			}
		})
	}
}

func TestProfileLifecycle(t *testing.T) {
	type op func(s *Service, actor model.Principal, v int32) error
	publish := func(s *Service, a model.Principal, v int32) error {
		_, err := s.PublishProfileVersion(ctx, a, "", "installatie", "monteur", v)
		return err
	}
	retire := func(s *Service, a model.Principal, v int32) error {
		_, err := s.RetireProfileVersion(ctx, a, "", "installatie", "monteur", v)
		return err
	}
	update := func(s *Service, a model.Principal, v int32) error {
		p := modeltest.Profile("installatie", "monteur")
		p.Version, p.Name.NL = v, "Monteur warmtepompen en airco"
		_, err := s.UpdateProfileVersion(ctx, a, "", p, []string{"display_name"})
		return err
	}
	tests := []struct {
		name      string
		op        op
		actor     model.Principal
		version   int32 // 1 is PUBLISHED, 2 is DRAFT after seed
		wantErr   error
		wantState model.ProfileState
	}{
		{"ok/publish draft", publish, installAuth, 2, nil, model.ProfilePublished},
		{"ok/retire published", retire, root, 1, nil, model.ProfileRetired},
		{"ok/update draft", update, installAuth, 2, nil, model.ProfileDraft},
		{"error/publish published", publish, root, 1, model.ErrProfileNotDraft, ""},
		{"error/retire draft", retire, root, 2, model.ErrInvalidTransition, ""},
		{"error/update published", update, root, 1, model.ErrProfileNotDraft, ""},
		{"error/publish by other authority", publish, zorgAuth, 2, model.ErrPermissionDenied, ""},
		{"error/retire anonymously", retire, anonymous, 1, model.ErrUnauthenticated, ""},
		{"error/update by issuer client", update, rocClient, 2, model.ErrPermissionDenied, ""},
		{"error/publish missing version", publish, root, 7, model.ErrNotFound, ""},
		{"error/publish version zero", publish, root, 0, errValidation, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk := newService(t)
			seed(t, s)
			clk.Set(day0.Add(hour))
			err := tt.op(s, tt.actor, tt.version)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			got, err := s.GetProfileVersion(ctx, root, "installatie", "monteur", tt.version)
			checkErr(t, err, nil)
			if got.State != tt.wantState || !got.UpdateTime.Equal(day0.Add(hour)) {
				t.Errorf("state %s updated %s, want %s updated %s", got.State, got.UpdateTime, tt.wantState, day0.Add(hour))
			}
		})
	}
}

func TestPublishSetsDigest(t *testing.T) {
	s, clk := newService(t)
	seed(t, s)
	clk.Set(day0.Add(hour))
	got, err := s.PublishProfileVersion(ctx, root, "req-pub", "installatie", "monteur", 2)
	checkErr(t, err, nil)
	want, err := model.ProfileDigest(got)
	checkErr(t, err, nil)
	if got.Digest != want || !strings.HasPrefix(want, "sha256:") || !got.PublishTime.Equal(day0.Add(hour)) {
		t.Errorf("published digest %q at %s, want %q at %s", got.Digest, got.PublishTime, want, day0.Add(hour))
	}
	// Retiring keeps the digest: credentials quote it for ever.
	clk.Set(day0.Add(2 * hour))
	retired, err := s.RetireProfileVersion(ctx, root, "", "installatie", "monteur", 2)
	checkErr(t, err, nil)
	if retired.Digest != want || !retired.RetireTime.Equal(day0.Add(2*hour)) || !retired.PublishTime.Equal(day0.Add(hour)) {
		t.Errorf("retired %+v, want digest %q kept", retired, want)
	}
	// A replay of the publish request answers from the record, although
	// publishing again would now fail.
	replayed, err := s.PublishProfileVersion(ctx, root, "req-pub", "installatie", "monteur", 2)
	checkErr(t, err, nil)
	if replayed.Digest != want {
		t.Errorf("replayed publish digest %q, want %q", replayed.Digest, want)
	}
}

func TestUpdateProfileVersion(t *testing.T) {
	tests := []struct {
		name    string
		change  func(p *model.ProfileVersion)
		fields  []string
		wantErr error
		field   string
		check   func(t *testing.T, p *model.ProfileVersion)
	}{
		{name: "ok/masked field only", change: func(p *model.ProfileVersion) { p.ReviewBy, p.Name.NL = "2028-01-31", "ignored" },
			fields: []string{"review_by"}, check: func(t *testing.T, p *model.ProfileVersion) {
				if p.ReviewBy != "2028-01-31" || p.Name.NL != "Monteur warmtepompen" {
					t.Errorf("review_by %q name %q, want only review_by changed", p.ReviewBy, p.Name.NL)
				}
			}},
		{name: "ok/all fields", change: func(p *model.ProfileVersion) { p.Competencies = p.Competencies[:1]; p.NLQFLevel = "4" },
			check: func(t *testing.T, p *model.ProfileVersion) {
				if len(p.Competencies) != 1 || p.NLQFLevel != "4" {
					t.Errorf("competencies %d level %s, want 1 and 4", len(p.Competencies), p.NLQFLevel)
				}
			}},
		{name: "error/unknown field", fields: []string{"state"}, wantErr: errValidation, field: "update_mask.paths[0]"},
		{name: "error/invalid result", change: func(p *model.ProfileVersion) { p.Competencies = nil },
			fields: []string{"competencies"}, wantErr: errValidation, field: "profile_version.competencies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			seed(t, s)
			p := modeltest.Profile("installatie", "monteur")
			p.Version = 2
			if tt.change != nil {
				tt.change(p)
			}
			got, err := s.UpdateProfileVersion(ctx, installAuth, "", p, tt.fields)
			checkErr(t, err, tt.wantErr)
			if tt.field != "" {
				checkViolation(t, err, tt.field)
			}
			if err != nil {
				return
			}
			read, err := s.GetProfileVersion(ctx, installAuth, "installatie", "monteur", 2)
			checkErr(t, err, nil)
			tt.check(t, got)
			tt.check(t, read)
		})
	}
}

func TestDraftVisibility(t *testing.T) {
	tests := []struct {
		name         string
		actor        model.Principal
		wantDraft    bool
		wantVersions []int32
	}{
		{"ok/root sees drafts", root, true, []int32{1, 2}},
		{"ok/sector authority sees drafts", installAuth, true, []int32{1, 2}},
		{"ok/other authority does not", zorgAuth, false, []int32{1}},
		{"ok/issuer client does not", rocClient, false, []int32{1}},
		{"ok/anonymous does not", anonymous, false, []int32{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			seed(t, s)
			_, err := s.GetProfileVersion(ctx, tt.actor, "installatie", "monteur", 2)
			if tt.wantDraft {
				checkErr(t, err, nil)
			} else {
				checkErr(t, err, model.ErrNotFound)
			}
			for _, profile := range []string{"monteur", ""} {
				items, _, err := s.ListProfileVersions(ctx, tt.actor, "installatie", profile, Page{})
				checkErr(t, err, nil)
				var got []int32
				for _, p := range items {
					got = append(got, p.Version)
				}
				if !slices.Equal(got, tt.wantVersions) {
					t.Errorf("listed versions %v of profile %q, want %v", got, profile, tt.wantVersions)
				}
			}
		})
	}
}

func TestListProfileVersionsPagesPastHiddenDrafts(t *testing.T) {
	s, _ := newService(t)
	seed(t, s)
	// Profiles a..e with a draft each, and published versions of c and e:
	// anonymous callers must get full pages of published versions only.
	for _, id := range []string{"pa", "pb", "pc", "pd", "pe"} {
		if _, err := s.CreateProfileVersion(ctx, root, "", modeltest.Profile("zorg", id)); err != nil {
			t.Fatal(err)
		}
		if id == "pc" || id == "pe" {
			if _, err := s.PublishProfileVersion(ctx, root, "", "zorg", id, 1); err != nil {
				t.Fatal(err)
			}
		}
	}
	page, next, err := s.ListProfileVersions(ctx, anonymous, "zorg", "", Page{Size: 2})
	checkErr(t, err, nil)
	var got []string
	for _, p := range page {
		got = append(got, fmt.Sprintf("%s/%d", p.ProfileID, p.Version))
	}
	if !slices.Equal(got, []string{"pc/1", "pe/1"}) {
		t.Errorf("first page %q, want [pc/1 pe/1]", got)
	}
	if next != "" {
		rest, _, err := s.ListProfileVersions(ctx, anonymous, "zorg", "", Page{Size: 2, Token: next})
		checkErr(t, err, nil)
		if len(rest) != 0 {
			t.Errorf("second page has %d versions, want none", len(rest))
		}
	}
	tests := []struct {
		name    string
		sector  string
		profile string
		page    Page
		wantErr error
	}{
		{"error/unknown sector", "bouw", "", Page{}, model.ErrSectorUnknown},
		{"error/bad sector id", "B", "", Page{}, errValidation},
		{"error/token of another profile", "zorg", "pa", Page{Token: model.NextPageToken("profiles/zorg/pb", "x")}, errValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.ListProfileVersions(ctx, root, tt.sector, tt.profile, tt.page)
			checkErr(t, err, tt.wantErr)
		})
	}
}
