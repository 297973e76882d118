package registry

import (
	"slices"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/model/modeltest"
)

func TestCreateSector(t *testing.T) {
	tests := []struct {
		name    string
		actor   model.Principal
		in      *model.Sector
		wantErr error
		field   string
	}{
		{name: "ok", actor: root, in: modeltest.Sector("schoonmaak")},
		{name: "error/anonymous", actor: anonymous, in: modeltest.Sector("schoonmaak"), wantErr: model.ErrUnauthenticated},
		{name: "error/sector authority", actor: installAuth, in: modeltest.Sector("schoonmaak"), wantErr: model.ErrPermissionDenied},
		{name: "error/issuer client", actor: rocClient, in: modeltest.Sector("schoonmaak"), wantErr: model.ErrPermissionDenied},
		{name: "error/exists", actor: root, in: modeltest.Sector("zorg"), wantErr: model.ErrAlreadyExists},
		{name: "error/bad id", actor: root, in: modeltest.Sector("Schoonmaak"), wantErr: errValidation, field: "sector_id"},
		{name: "error/no authority", actor: root, in: &model.Sector{ID: "schoonmaak", Name: model.Text{NL: "Schoonmaak"}},
			wantErr: errValidation, field: "sector.authority"},
		{name: "error/nil", actor: root, in: nil, wantErr: errValidation, field: "sector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			seed(t, s)
			got, err := s.CreateSector(ctx, tt.actor, "", tt.in)
			checkErr(t, err, tt.wantErr)
			if tt.field != "" {
				checkViolation(t, err, tt.field)
			}
			if err != nil {
				return
			}
			if !got.CreateTime.Equal(day0) || got.Authority != tt.in.Authority {
				t.Errorf("created %+v, want create time %s and authority %q", got, day0, tt.in.Authority)
			}
			read, err := s.GetSector(ctx, anonymous, tt.in.ID)
			if err != nil || read.Name != tt.in.Name {
				t.Errorf("GetSector = %+v, %v; want the created sector", read, err)
			}
		})
	}
}

func TestUpdateSector(t *testing.T) {
	renamed := &model.Sector{ID: "installatie", Name: model.Text{NL: "Installatie en energie"}, Authority: "Otib Nieuw"}
	tests := []struct {
		name          string
		actor         model.Principal
		in            *model.Sector
		fields        []string
		wantErr       error
		wantName      string
		wantAuthority string
	}{
		{name: "ok/root all fields", actor: root, in: renamed, wantName: "Installatie en energie", wantAuthority: "Otib Nieuw"},
		{name: "ok/authority of the sector, name only", actor: installAuth, in: renamed, fields: []string{"display_name"},
			wantName: "Installatie en energie", wantAuthority: "OTIB"},
		{name: "error/authority of another sector", actor: zorgAuth, in: renamed, wantErr: model.ErrPermissionDenied},
		{name: "error/issuer client", actor: rocClient, in: renamed, wantErr: model.ErrPermissionDenied},
		{name: "error/anonymous", actor: anonymous, in: renamed, wantErr: model.ErrUnauthenticated},
		{name: "error/unknown mask field", actor: root, in: renamed, fields: []string{"create_time"}, wantErr: errValidation},
		{name: "error/not found", actor: root, in: modeltest.Sector("bouw"), wantErr: model.ErrNotFound},
		{name: "error/masked field invalid", actor: root, in: &model.Sector{ID: "installatie"}, fields: []string{"authority"}, wantErr: errValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk := newService(t)
			seed(t, s)
			clk.Set(day0.Add(hour))
			got, err := s.UpdateSector(ctx, tt.actor, "", tt.in, tt.fields)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				return
			}
			if got.Name.NL != tt.wantName || got.Authority != tt.wantAuthority || !got.UpdateTime.Equal(day0.Add(hour)) || !got.CreateTime.Equal(day0) {
				t.Errorf("updated %+v, want name %q authority %q updated at %s", got, tt.wantName, tt.wantAuthority, day0.Add(hour))
			}
		})
	}
}

func TestSectorIdempotency(t *testing.T) {
	s, clk := newService(t)
	first, err := s.CreateSector(ctx, root, "req-1", modeltest.Sector("zorg"))
	checkErr(t, err, nil)
	clk.Set(day0.Add(hour))
	tests := []struct {
		name    string
		actor   model.Principal
		id      string
		in      *model.Sector
		wantErr error
	}{
		{name: "ok/replay returns the recorded sector", actor: root, id: "req-1", in: modeltest.Sector("zorg")},
		{name: "error/same id other content", actor: root, id: "req-1", in: modeltest.Sector("bouw"), wantErr: model.ErrRequestIDReused},
		{name: "error/new request for an existing sector", actor: root, id: "req-2", in: modeltest.Sector("zorg"), wantErr: model.ErrAlreadyExists},
		{name: "error/request id with spaces", actor: root, id: "req 3", in: modeltest.Sector("bouw"), wantErr: errValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.CreateSector(ctx, tt.actor, tt.id, tt.in)
			checkErr(t, err, tt.wantErr)
			if err == nil && !got.CreateTime.Equal(first.CreateTime) {
				t.Errorf("replay created time %s, want the original %s", got.CreateTime, first.CreateTime)
			}
		})
	}
	// The reused id with other content must not have created anything.
	if _, err := s.GetSector(ctx, root, "bouw"); err == nil {
		t.Error("a refused replay created sector bouw")
	}
}

func TestListSectorsPaging(t *testing.T) {
	s, _ := newService(t)
	ids := []string{"bouw", "installatie", "schoonmaak", "techniek", "zorg"}
	for _, id := range ids {
		if _, err := s.CreateSector(ctx, root, "", modeltest.Sector(id)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	token := ""
	for range len(ids) + 1 {
		page, next, err := s.ListSectors(ctx, anonymous, Page{Size: 2, Token: token})
		checkErr(t, err, nil)
		if len(page) > 2 {
			t.Fatalf("page of %d, want at most 2", len(page))
		}
		for _, sec := range page {
			got = append(got, sec.ID)
		}
		if token = next; token == "" {
			break
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("paged through %q, want %q", got, ids)
	}

	_, issuerToken, err := s.ListIssuers(ctx, anonymous, Page{Size: 1})
	checkErr(t, err, nil)
	tests := []struct {
		name  string
		page  Page
		field string
	}{
		{"error/negative size", Page{Size: -1}, "page_size"},
		{"error/garbled token", Page{Token: "%%%"}, "page_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.ListSectors(ctx, anonymous, tt.page)
			checkViolation(t, err, tt.field)
		})
	}
	if issuerToken != "" {
		t.Errorf("issuer list of an empty registry has a next token %q", issuerToken)
	}
	_, sectorToken, err := s.ListSectors(ctx, anonymous, Page{Size: 1})
	checkErr(t, err, nil)
	_, _, err = s.ListIssuers(ctx, anonymous, Page{Token: sectorToken})
	checkViolation(t, err, "page_token")
}
