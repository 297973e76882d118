package server

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

func itoa(v int32) string { return strconv.Itoa(int(v)) }

// TestValidatorsCoverEveryRPC fails when an RPC has no request validator.
func TestValidatorsCoverEveryRPC(t *testing.T) {
	for _, m := range servedMethods(t) {
		if _, ok := validators[m]; !ok {
			t.Errorf("%s has no entry in validators", m)
		}
	}
}

// TestBadInput sends malformed requests over gRPC and expects
// InvalidArgument naming the offending field, whether the transport's
// shape check or the domain's content check caught it.
func TestBadInput(t *testing.T) {
	w := newWorld(t, envOptions{})
	ctx := w.root()
	badTime := &timestamppb.Timestamp{Seconds: 1, Nanos: -1}
	tests := []struct {
		name      string
		call      func(context.Context) error
		wantField string
	}{
		{"error/sector name", func(ctx context.Context) error {
			_, err := w.reg.GetSector(ctx, &pb.GetSectorRequest{Name: "sektors/bouw"})
			return err
		}, "name"},
		{"error/sector missing", func(ctx context.Context) error {
			_, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: "x"})
			return err
		}, "sector"},
		{"error/sector id", func(ctx context.Context) error {
			_, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: "Bad Id", Sector: sectorContent()})
			return err
		}, "sector_id"},
		{"error/update mask", func(ctx context.Context) error {
			s := sectorContent()
			s.Name = ownSector
			_, err := w.reg.UpdateSector(ctx, &pb.UpdateSectorRequest{Sector: s, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"create_time"}}})
			return err
		}, "update_mask.paths[0]"},
		{"error/version name", func(ctx context.Context) error {
			_, err := w.reg.GetProfileVersion(ctx, &pb.GetProfileVersionRequest{Name: ownProfile + "/versions/0"})
			return err
		}, "name"},
		{"error/list parent", func(ctx context.Context) error {
			_, err := w.reg.ListProfileVersions(ctx, &pb.ListProfileVersionsRequest{Parent: "issuers/acme"})
			return err
		}, "parent"},
		{"error/page size", func(ctx context.Context) error {
			_, err := w.reg.ListSectors(ctx, &pb.ListSectorsRequest{PageSize: -1})
			return err
		}, "page_size"},
		{"error/page token", func(ctx context.Context) error {
			_, err := w.reg.ListIssuers(ctx, &pb.ListIssuersRequest{PageToken: "garbage"})
			return err
		}, "page_token"},
		{"error/kvk number", func(ctx context.Context) error {
			i := issuerContent()
			i.KvkNumber = "123"
			_, err := w.reg.CreateIssuer(ctx, &pb.CreateIssuerRequest{IssuerId: "kvk", Issuer: i})
			return err
		}, "issuer.kvk_number"},
		{"error/esco uri", func(ctx context.Context) error {
			pv := profileContent()
			pv.Competencies[0].Alignments[0].TargetUrl = "http://example.com/skill"
			_, err := w.reg.CreateProfileVersion(ctx, &pb.CreateProfileVersionRequest{Parent: ownSector + "/profiles/esco", ProfileVersion: pv})
			return err
		}, "profile_version.competencies[0].alignments[0].target_url"},
		{"error/accreditation profile", func(ctx context.Context) error {
			_, err := w.reg.CreateAccreditation(ctx, &pb.CreateAccreditationRequest{Parent: ownIssuer, Accreditation: &pb.Accreditation{Profile: publishedVersion, MinVersion: 1}})
			return err
		}, "accreditation.profile"},
		{"error/accreditation valid_from", func(ctx context.Context) error {
			_, err := w.reg.CreateAccreditation(ctx, &pb.CreateAccreditationRequest{Parent: ownIssuer, Accreditation: &pb.Accreditation{Profile: ownProfile, MinVersion: 1, ValidFrom: badTime}})
			return err
		}, "accreditation.valid_from"},
		{"error/suspend reason", func(ctx context.Context) error {
			_, err := w.reg.SuspendAccreditation(ctx, &pb.SuspendAccreditationRequest{Name: w.accreditation()})
			return err
		}, "reason"},
		{"error/check time", func(ctx context.Context) error {
			_, err := w.reg.CheckAccreditation(ctx, &pb.CheckAccreditationRequest{Issuer: ownIssuer, ProfileVersion: publishedVersion, Time: badTime})
			return err
		}, "time"},
		{"error/principal sectors", func(ctx context.Context) error {
			_, err := w.adm.CreatePrincipal(ctx, &pb.CreatePrincipalRequest{PrincipalId: "p", Principal: &pb.Principal{
				Kind: pb.PrincipalKind_PRINCIPAL_KIND_SECTOR_AUTHORITY, DisplayName: "P", Sectors: []string{"bouw"}}})
			return err
		}, "principal.sectors[0]"},
		{"error/principal kind", func(ctx context.Context) error {
			_, err := w.adm.CreatePrincipal(ctx, &pb.CreatePrincipalRequest{PrincipalId: "p", Principal: &pb.Principal{DisplayName: "P"}})
			return err
		}, "principal.kind"},
		{"error/token ttl", func(ctx context.Context) error {
			_, err := w.adm.CreateToken(ctx, &pb.CreateTokenRequest{Parent: ownAuthorityName, Ttl: &durationpb.Duration{Seconds: 1, Nanos: -1}})
			return err
		}, "ttl"},
		{"error/token name", func(ctx context.Context) error {
			_, err := w.adm.RevokeToken(ctx, &pb.RevokeTokenRequest{Name: ownAuthorityName})
			return err
		}, "name"},
		{"error/restore digest", func(ctx context.Context) error {
			_, err := restoreOver(ctx, w.adm, []byte("x"), 1, "md5:abc")
			return err
		}, "sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(ctx)
			requireStatus(t, err, codes.InvalidArgument, reasonInvalidArgument)
			if fields := violatedFields(err); !slices.Contains(fields, tt.wantField) {
				t.Errorf("got field violations %v, want one for %s", fields, tt.wantField)
			}
		})
	}
}
