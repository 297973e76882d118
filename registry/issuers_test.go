package registry

import (
	"slices"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
)

func TestCreateIssuer(t *testing.T) {
	tests := []struct {
		name    string
		actor   model.Principal
		in      *model.Issuer
		wantErr error
		field   string
	}{
		{name: "ok/root", actor: root, in: modeltest.Issuer("academie")},
		{name: "ok/any sector authority", actor: zorgAuth, in: modeltest.Issuer("academie")},
		{name: "error/issuer client", actor: rocClient, in: modeltest.Issuer("academie"), wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, in: modeltest.Issuer("academie"), wantErr: model.ErrUnauthenticated},
		{name: "error/exists", actor: root, in: modeltest.Issuer("roc"), wantErr: model.ErrAlreadyExists},
		{name: "error/kvk", actor: root, in: func() *model.Issuer { i := modeltest.Issuer("academie"); i.KvKNumber = "1234"; return i }(),
			wantErr: errValidation, field: "issuer.kvk_number"},
		{name: "error/id", actor: root, in: modeltest.Issuer("-academie"), wantErr: errValidation, field: "issuer_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			seed(t, s)
			_, err := s.CreateIssuer(ctx, tt.actor, "", tt.in)
			checkErr(t, err, tt.wantErr)
			if tt.field != "" {
				checkViolation(t, err, tt.field)
			}
			if err != nil {
				return
			}
			got, err := s.GetIssuer(ctx, anonymous, tt.in.ID)
			checkErr(t, err, nil)
			if got.KvKNumber != tt.in.KvKNumber || got.Contact != tt.in.Contact || !got.CreateTime.Equal(day0) {
				t.Errorf("read back %+v, want %+v created at %s", got, tt.in, day0)
			}
		})
	}
}

func TestUpdateIssuer(t *testing.T) {
	tests := []struct {
		name     string
		actor    model.Principal
		id       string
		fields   []string
		kvk      string // new KvK number, if any
		sameName bool   // send the current legal name
		wantErr  error
	}{
		{name: "ok/own client", actor: rocClient, id: "roc", fields: []string{"contact"}},
		{name: "ok/root", actor: root, id: "roc"},
		{name: "error/own client renames itself", actor: rocClient, id: "roc", wantErr: model.ErrPermissionDenied},
		{name: "error/own client changes its KvK number", actor: rocClient, id: "roc", fields: []string{"contact", "kvk_number"},
			kvk: "41202536", wantErr: model.ErrPermissionDenied},
		{name: "ok/own client sends its unchanged name", actor: rocClient, id: "roc", fields: []string{"contact", "legal_name"},
			sameName: true},
		{name: "error/client of another issuer", actor: model.Principal{ID: "x", Kind: model.KindIssuerClient, IssuerID: "other"}, id: "roc",
			wantErr: model.ErrPermissionDenied},
		{name: "error/sector authority", actor: installAuth, id: "roc", wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, id: "roc", wantErr: model.ErrUnauthenticated},
		{name: "error/unknown issuer", actor: root, id: "ghost", wantErr: model.ErrNotFound},
		{name: "error/unknown field", actor: root, id: "roc", fields: []string{"kvk"}, wantErr: errValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk := newService(t)
			seed(t, s)
			clk.Set(day0.Add(hour))
			in := modeltest.Issuer(tt.id)
			in.Contact.Email, in.LegalName = "opleidingen@roc.example.nl", "ROC Nieuw"
			if tt.sameName {
				in.LegalName = modeltest.Issuer("roc").LegalName
			}
			if tt.kvk != "" {
				in.KvKNumber = tt.kvk
			}
			got, err := s.UpdateIssuer(ctx, tt.actor, "", in, tt.fields)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			wantName := "ROC Nieuw"
			if len(tt.fields) > 0 && !slices.Contains(tt.fields, "legal_name") || tt.sameName {
				wantName = modeltest.Issuer("roc").LegalName
			}
			if got.Contact.Email != "opleidingen@roc.example.nl" || got.LegalName != wantName || !got.UpdateTime.Equal(day0.Add(hour)) {
				t.Errorf("updated %+v, want new email, legal name %q", got, wantName)
			}
		})
	}
}
