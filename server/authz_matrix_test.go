package server

import (
	"context"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

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
	hidden = codes.NotFound         // a draft or credential the caller may not see: answered as if absent
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

// authzMatrix is the written authorisation policy: every RPC of every
// service, as every kind of caller.
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

	// Issuance: only the issuer's client signs in its name; the sector's
	// authority may revoke (only revoke) for cause; root manages keys.
	{"IssueCredential", pb.IssuanceService_IssueCredential_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.iss.IssueCredential(ctx, &pb.IssueCredentialRequest{Parent: ownIssuer, Credential: credentialContent(w.unique("h"))})
		return err
	}, expect{unauth, denied, denied, denied, ok, denied}},
	{"BatchIssueCredentials", pb.IssuanceService_BatchIssueCredentials_FullMethodName, func(ctx context.Context, w *world) error {
		resp, err := w.iss.BatchIssueCredentials(ctx, &pb.BatchIssueCredentialsRequest{Parent: ownIssuer, Requests: []*pb.IssueCredentialRequest{
			{Credential: credentialContent(w.unique("h"))},
		}})
		if err != nil {
			return err
		}
		// The domain judges every item on its own, the caller's right to
		// issue included: the one item's error is the answer.
		if e := resp.GetResults()[0].GetError(); e != nil {
			return status.Error(codes.Code(e.GetCode()), e.GetMessage())
		}
		return nil
	}, expect{unauth, denied, denied, denied, ok, denied}},
	{"GetCredentialRecord", pb.IssuanceService_GetCredentialRecord_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.iss.GetCredentialRecord(ctx, &pb.GetCredentialRecordRequest{Name: w.credential()})
		return err
	}, expect{unauth, ok, ok, hidden, ok, denied}},
	{"RevokeCredential", pb.IssuanceService_RevokeCredential_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.iss.RevokeCredential(ctx, &pb.RevokeCredentialRequest{Name: w.credential(), Reason: "fraud"})
		return err
	}, expect{unauth, denied, ok, hidden, ok, denied}},
	{"SuspendCredential", pb.IssuanceService_SuspendCredential_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.iss.SuspendCredential(ctx, &pb.SuspendCredentialRequest{Name: w.credential(), Reason: "under review"})
		return err
	}, expect{unauth, denied, denied, hidden, ok, denied}},
	{"ReinstateCredential", pb.IssuanceService_ReinstateCredential_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.iss.ReinstateCredential(ctx, &pb.ReinstateCredentialRequest{Name: w.suspendedCredential(), Reason: "review passed"})
		return err
	}, expect{unauth, denied, denied, hidden, ok, denied}},
	{"RotateIssuerKey", pb.IssuanceService_RotateIssuerKey_FullMethodName, func(ctx context.Context, w *world) error {
		// No publish delay, so no rotation is left pending for the next
		// caller.
		_, err := w.iss.RotateIssuerKey(ctx, &pb.RotateIssuerKeyRequest{Issuer: ownIssuer, PublishDelay: durationpb.New(0)})
		return err
	}, expect{unauth, ok, denied, denied, ok, denied}},
	{"CompromiseIssuerKey", pb.IssuanceService_CompromiseIssuerKey_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.iss.CompromiseIssuerKey(ctx, &pb.CompromiseIssuerKeyRequest{Issuer: ownIssuer, Kid: w.pendingKid(), Reason: "laptop stolen"})
		return err
	}, expect{unauth, ok, denied, denied, ok, denied}},
	{"ListIssuerKeys", pb.IssuanceService_ListIssuerKeys_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.iss.ListIssuerKeys(ctx, &pb.ListIssuerKeysRequest{Issuer: ownIssuer})
		return err
	}, expect{unauth, ok, denied, denied, ok, denied}},

	// Verification: anyone, with or without a token.
	{"VerifyCredential", pb.VerificationService_VerifyCredential_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.ver.VerifyCredential(ctx, &pb.VerifyCredentialRequest{Jws: w.sampleJWS()})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"VerifyPassport", pb.VerificationService_VerifyPassport_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.ver.VerifyPassport(ctx, &pb.VerifyPassportRequest{Jws: []string{w.sampleJWS()}})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"GetIssuerJwks", pb.VerificationService_GetIssuerJwks_FullMethodName, func(ctx context.Context, w *world) error {
		_, err := w.ver.GetIssuerJwks(ctx, &pb.GetIssuerJwksRequest{Issuer: ownIssuer})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
	{"GetStatusList", pb.VerificationService_GetStatusList_FullMethodName, func(ctx context.Context, w *world) error {
		w.sampleJWS() // the issuer's lists exist once it has issued
		_, err := w.ver.GetStatusList(ctx, &pb.GetStatusListRequest{Issuer: ownIssuer, Purpose: "revocation"})
		return err
	}, expect{ok, ok, ok, ok, ok, ok}},
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
// service, or a service to the server, without a row in the matrix.
func TestAuthorizationMatrixCoversEveryRPC(t *testing.T) {
	var covered []string
	for _, row := range authzMatrix {
		covered = append(covered, row.method)
	}
	for _, method := range servedMethods(t) {
		if !slices.Contains(covered, method) {
			t.Errorf("%s has no row in authzMatrix", method)
		}
	}
}

// apiPackage prefixes the services Skillpass defines (health and
// reflection are grpc-go's own).
const apiPackage = "skillpass."

// servedServices lists the Skillpass services a real server registers, so
// that the coverage tests follow the server rather than a list that could
// be forgotten.
func servedServices(t testing.TB) []string {
	t.Helper()
	env := newTestEnv(t, envOptions{})
	var out []string
	for name := range env.server.grpc.GetServiceInfo() {
		if strings.HasPrefix(name, apiPackage) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	// The four services of the API; fewer means the server lost one.
	if len(out) < 4 {
		t.Fatalf("server registers %v, want at least the registry, admin, issuance and verification services", out)
	}
	return out
}

// servedMethods lists "/service/Method" for every RPC, unary and
// streaming, of the Skillpass services a real server registers.
func servedMethods(t testing.TB) []string {
	t.Helper()
	env := newTestEnv(t, envOptions{})
	var out []string
	for name, info := range env.server.grpc.GetServiceInfo() {
		if !strings.HasPrefix(name, apiPackage) {
			continue
		}
		for _, m := range info.Methods {
			out = append(out, "/"+name+"/"+m.Name)
		}
	}
	slices.Sort(out)
	return out
}
