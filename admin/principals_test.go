package admin

import (
	"slices"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
)

func TestCreatePrincipal(t *testing.T) {
	tests := []struct {
		name    string
		actor   model.Principal
		in      model.Principal
		wantErr error
	}{
		{name: "ok/sector authority", actor: root, in: model.Principal{ID: "zorgfonds", Kind: model.KindSectorAuthority, DisplayName: "Zorgfonds", SectorIDs: []string{"installatie"}}},
		{name: "ok/issuer client", actor: root, in: model.Principal{ID: "roc-2", Kind: model.KindIssuerClient, DisplayName: "ROC 2", IssuerID: "roc"}},
		{name: "ok/second root", actor: root, in: model.Principal{ID: "ops", Kind: model.KindRoot, DisplayName: "on call"}},
		{name: "error/sector authority actor", actor: authority, in: model.Principal{ID: "x1", Kind: model.KindRoot, DisplayName: "x"}, wantErr: model.ErrPermissionDenied},
		{name: "error/issuer client actor", actor: client, in: model.Principal{ID: "x1", Kind: model.KindRoot, DisplayName: "x"}, wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, in: model.Principal{ID: "x1", Kind: model.KindRoot, DisplayName: "x"}, wantErr: model.ErrUnauthenticated},
		{name: "error/unknown sector", actor: root, in: model.Principal{ID: "x1", Kind: model.KindSectorAuthority, DisplayName: "x", SectorIDs: []string{"bouw"}}, wantErr: model.ErrSectorUnknown},
		{name: "error/unknown issuer", actor: root, in: model.Principal{ID: "x1", Kind: model.KindIssuerClient, DisplayName: "x", IssuerID: "ghost"}, wantErr: model.ErrIssuerUnknown},
		{name: "error/exists", actor: root, in: model.Principal{ID: "otib", Kind: model.KindRoot, DisplayName: "x"}, wantErr: model.ErrAlreadyExists},
		{name: "error/reserved id", actor: root, in: model.Principal{ID: "anonymous", Kind: model.KindRoot, DisplayName: "x"}, wantErr: errValidation},
		{name: "error/no display name", actor: root, in: model.Principal{ID: "x1", Kind: model.KindRoot}, wantErr: errValidation},
		{name: "error/authority without sectors", actor: root, in: model.Principal{ID: "x1", Kind: model.KindSectorAuthority, DisplayName: "x"}, wantErr: errValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newService(t)
			in := tt.in
			got, err := s.CreatePrincipal(ctx, tt.actor, "", &in)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			read, err := s.GetPrincipal(ctx, root, tt.in.ID)
			checkErr(t, err, nil)
			if read.Kind != tt.in.Kind || !slices.Equal(read.SectorIDs, tt.in.SectorIDs) || read.IssuerID != tt.in.IssuerID || !got.CreateTime.Equal(day0) {
				t.Errorf("read back %+v, want %+v", read, tt.in)
			}
		})
	}
}

func TestReadPrincipals(t *testing.T) {
	tests := []struct {
		name    string
		actor   model.Principal
		wantErr error
	}{
		{"ok/root", root, nil},
		{"error/sector authority", authority, model.ErrPermissionDenied},
		{"error/anonymous", anonymous, model.ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newService(t)
			_, err := s.GetPrincipal(ctx, tt.actor, "otib")
			checkErr(t, err, tt.wantErr)
			list, _, err := s.ListPrincipals(ctx, tt.actor, Page{})
			checkErr(t, err, tt.wantErr)
			if err == nil && len(list) != 3 {
				t.Errorf("listed %d principals, want 3", len(list))
			}
		})
	}
	s, _, _ := newService(t)
	_, err := s.GetPrincipal(ctx, root, "ghost")
	checkErr(t, err, model.ErrNotFound)
	page, next, err := s.ListPrincipals(ctx, root, Page{Size: 2})
	checkErr(t, err, nil)
	rest, last, err := s.ListPrincipals(ctx, root, Page{Size: 2, Token: next})
	checkErr(t, err, nil)
	if len(page) != 2 || len(rest) != 1 || last != "" {
		t.Errorf("pages of %d and %d (next %q), want 2 and 1 and no next", len(page), len(rest), last)
	}
}
