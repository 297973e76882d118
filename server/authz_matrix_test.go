package server

import (
	"context"
	"slices"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// expect holds the code each kind of caller gets, in the order of the
// caller constants: anonymous, root, authority of the sector, authority of
// another sector, client of the issuer, client of another issuer.
type expect [numCallers]codes.Code

// Column values of the matrix.
const (
	ok     = codes.OK
	unauth = codes.Unauthenticated  // no token where one is needed
	denied = codes.PermissionDenied // a token, but not allowed
	hidden = codes.NotFound         // a draft the caller may not see
)

// matrixRow is one RPC (or one case of it) as every kind of caller.
type matrixRow struct {
	name   string
	method string // full method name, to check that every RPC is covered
	// call makes the RPC as ctx's caller; any fixture it needs it makes as
	// root first, fresh for each call.
	call func(ctx context.Context, w *world) error
	want expect
}

// authzMatrix is the written authorisation policy: every RPC of both
// services, as every kind of caller.
var authzMatrix = []matrixRow{
	//                                                                        anon    root  authOwn authOther clientOwn clientOther
	{"CreateSector", pb.RegistryService_CreateSector_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: w.unique("s"), Sector: sectorContent()})
		return err
	}, expect{unauth, ok, denied, denied, denied, denied}},
	{"GetSector", pb.RegistryService_GetSector_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.GetSector(ctx, &pb.GetSectorRequest{Name: ownSector})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"ListSectors", pb.RegistryService_ListSectors_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.ListSectors(ctx, &pb.ListSectorsRequest{})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"UpdateSector", pb.RegistryService_UpdateSector_FullMethodName, func(ctx context.Context, w *world) error {
		s := sectorContent()
		s.Name = ownSector
		_, err := w.reg.UpdateSector(ctx, &pb.UpdateSectorRequest{Sector: s})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},

	{"CreateProfileVersion", pb.RegistryService_CreateProfileVersion_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.CreateProfileVersion(ctx, &pb.CreateProfileVersionRequest{Parent: ownSector + "/profiles/" + w.unique("p"), ProfileVersion: profileContent()})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"GetProfileVersion/published", pb.RegistryService_GetProfileVersion_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.GetProfileVersion(ctx, &pb.GetProfileVersionRequest{Name: publishedVersion})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"GetProfileVersion/draft", pb.RegistryService_GetProfileVersion_FullMethodName, func(ctx context.Context, w *world) error {
		name := w.draft(ownSector + "/profiles/" + w.unique("p"))
		_, err := w.reg.GetProfileVersion(ctx, &pb.GetProfileVersionRequest{Name: name})
		return err
	}, expect{hidden, ok, ok, hidden, hidden, hidden}},
	{"ListProfileVersions", pb.RegistryService_ListProfileVersions_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.ListProfileVersions(ctx, &pb.ListProfileVersionsRequest{Parent: ownSector})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"UpdateProfileVersion", pb.RegistryService_UpdateProfileVersion_FullMethodName, func(ctx context.Context, w *world) error {
		pv := profileContent()
		pv.Name = w.draft(ownSector + "/profiles/" + w.unique("p"))
		_, err := w.reg.UpdateProfileVersion(ctx, &pb.UpdateProfileVersionRequest{ProfileVersion: pv})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"PublishProfileVersion", pb.RegistryService_PublishProfileVersion_FullMethodName, func(ctx context.Context, w *world) error {
		name := w.draft(ownSector + "/profiles/" + w.unique("p"))
		_, err := w.reg.PublishProfileVersion(ctx, &pb.PublishProfileVersionRequest{Name: name})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"RetireProfileVersion", pb.RegistryService_RetireProfileVersion_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.RetireProfileVersion(ctx, &pb.RetireProfileVersionRequest{Name: w.published()})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},

	{"CreateIssuer", pb.RegistryService_CreateIssuer_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.CreateIssuer(ctx, &pb.CreateIssuerRequest{IssuerId: w.unique("i"), Issuer: issuerContent()})
		return err
	}, expect{unauth, ok, ok, ok, denied, denied}},
	{"GetIssuer", pb.RegistryService_GetIssuer_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.GetIssuer(ctx, &pb.GetIssuerRequest{Name: ownIssuer})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"ListIssuers", pb.RegistryService_ListIssuers_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.ListIssuers(ctx, &pb.ListIssuersRequest{})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"UpdateIssuer", pb.RegistryService_UpdateIssuer_FullMethodName, func(ctx context.Context, w *world) error {
		i := issuerContent()
		i.Name = ownIssuer
		_, err := w.reg.UpdateIssuer(ctx, &pb.UpdateIssuerRequest{Issuer: i})
		return err
	}, expect{unauth, ok, denied, denied, ok, denied}},

	{"CreateAccreditation", pb.RegistryService_CreateAccreditation_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.CreateAccreditation(ctx, &pb.CreateAccreditationRequest{Parent: ownIssuer, Accreditation: &pb.Accreditation{Profile: ownProfile, MinVersion: 1}})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"GetAccreditation", pb.RegistryService_GetAccreditation_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.GetAccreditation(ctx, &pb.GetAccreditationRequest{Name: w.accreditation()})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"ListAccreditations", pb.RegistryService_ListAccreditations_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.ListAccreditations(ctx, &pb.ListAccreditationsRequest{Parent: ownIssuer})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"SuspendAccreditation", pb.RegistryService_SuspendAccreditation_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.SuspendAccreditation(ctx, &pb.SuspendAccreditationRequest{Name: w.accreditation(), Reason: "audit"})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"ReinstateAccreditation", pb.RegistryService_ReinstateAccreditation_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.ReinstateAccreditation(ctx, &pb.ReinstateAccreditationRequest{Name: w.suspended(), Reason: "audit passed"})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"WithdrawAccreditation", pb.RegistryService_WithdrawAccreditation_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.WithdrawAccreditation(ctx, &pb.WithdrawAccreditationRequest{Name: w.accreditation(), Reason: "fraud"})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"ListAccreditationEvents", pb.RegistryService_ListAccreditationEvents_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.ListAccreditationEvents(ctx, &pb.ListAccreditationEventsRequest{Parent: w.accreditation()})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"CheckAccreditation", pb.RegistryService_CheckAccreditation_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.reg.CheckAccreditation(ctx, &pb.CheckAccreditationRequest{Issuer: ownIssuer, ProfileVersion: publishedVersion})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},

	{"CreatePrincipal", pb.AdminService_CreatePrincipal_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.CreatePrincipal(ctx, &pb.CreatePrincipalRequest{PrincipalId: w.unique("p"), Principal: &pb.Principal{
			Kind: pb.PrincipalKind_PRINCIPAL_KIND_SECTOR_AUTHORITY, DisplayName: "Bouw 2", Sectors: []string{ownSector}}})
		return err
	}, expect{unauth, ok, denied, denied, denied, denied}},
	{"GetPrincipal", pb.AdminService_GetPrincipal_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.GetPrincipal(ctx, &pb.GetPrincipalRequest{Name: ownAuthorityName})
		return err
	}, expect{unauth, ok, denied, denied, denied, denied}},
	{"ListPrincipals", pb.AdminService_ListPrincipals_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.ListPrincipals(ctx, &pb.ListPrincipalsRequest{})
		return err
	}, expect{unauth, ok, denied, denied, denied, denied}},
	{"GetCaller", pb.AdminService_GetCaller_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.GetCaller(ctx, &pb.GetCallerRequest{})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"CreateToken/of a sector authority", pb.AdminService_CreateToken_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.CreateToken(ctx, &pb.CreateTokenRequest{Parent: ownAuthorityName})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"CreateToken/of an issuer client", pb.AdminService_CreateToken_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.CreateToken(ctx, &pb.CreateTokenRequest{Parent: ownClientName})
		return err
	}, expect{unauth, ok, denied, denied, ok, denied}},
	{"ListTokens", pb.AdminService_ListTokens_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.ListTokens(ctx, &pb.ListTokensRequest{Parent: ownAuthorityName})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"RevokeToken", pb.AdminService_RevokeToken_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.adm.RevokeToken(ctx, &pb.RevokeTokenRequest{Name: w.token(ownAuthorityName)})
		return err
	}, expect{unauth, ok, ok, denied, denied, denied}},
	{"Backup", pb.AdminService_Backup_FullMethodName, func(ctx context.Context, w *world) error {
		_, _, _, err := backupOver(ctx, w.adm)
		return err
	}, expect{unauth, ok, denied, denied, denied, denied}},
	{"Restore", pb.AdminService_Restore_FullMethodName, func(ctx context.Context, w *world) error {
		// Restoring a snapshot of the current state leaves the world as
		// it is for the cells that follow.
		data, _, _, err := backupOver(w.root(), w.adm)
		if err != nil {
			w.t.Fatalf("backup for restore: %v", err)
		}
		_, err = restoreOver(ctx, w.adm, data, 256<<10, "")
		return err
	}, expect{unauth, ok, denied, denied, denied, denied}},
}

func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t, envOptions{})
	for _, row := range authzMatrix {
		t.Run(row.name, func(t *testing.T) {
			w.t = t
			for c := range numCallers {
				err := row.call(as(w.secrets[c]), w)
				if got := status.Code(err); got != row.want[c] {
					t.Errorf("as %s: got %v (%v), want %v", c, got, err, row.want[c])
				}
			}
		})
	}
}

// TestAuthorizationMatrixCoversEveryRPC fails when an RPC is added to a
// service without a row in the matrix.
func TestAuthorizationMatrixCoversEveryRPC(t *testing.T) {
	var covered []string
	for _, row := range authzMatrix {
		covered = append(covered, row.method)
	}
	for _, method := range fullMethodNames(pb.RegistryService_ServiceDesc, pb.AdminService_ServiceDesc) {
		if !slices.Contains(covered, method) {
			t.Errorf("%s has no row in authzMatrix", method)
		}
	}
}

// fullMethodNames lists "/service/Method" for every RPC, unary and
// streaming, of the services.
func fullMethodNames(descs ...grpc.ServiceDesc) []string {
	var out []string
	for _, d := range descs {
		for _, m := range d.Methods {
			out = append(out, "/"+d.ServiceName+"/"+m.MethodName)
		}
		for _, s := range d.Streams {
			out = append(out, "/"+d.ServiceName+"/"+s.StreamName)
		}
	}
	return out
}
