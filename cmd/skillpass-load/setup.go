package main

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// target is what the load runs against once set up.
type target struct {
	issuer         string // issuers/{id}
	profileVersion string
	competency     string
	level          string
	clientToken    string
}

// loadProfile is the profile the load issues against: one competency
// aligned to a real ESCO skill, so issuance does the same work as for a
// real profile.
func loadProfile() *pb.ProfileVersion {
	return &pb.ProfileVersion{
		DisplayName: &pb.LocalizedText{Nl: "Belastingtest", En: "Load test"},
		Description: &pb.LocalizedText{Nl: "Profiel voor skillpass-load; niet voor echte bewijzen.", En: "Profile for skillpass-load; not for real credentials."},
		NlqfLevel:   pb.NlqfLevel_NLQF_LEVEL_4,
		ReviewBy:    "2030-12-31",
		Competencies: []*pb.Competency{{
			Id:          "warmtepomp-installeren",
			DisplayName: &pb.LocalizedText{Nl: "Warmtepomp installeren", En: "Install heat pumps"},
			Alignments: []*pb.Alignment{{
				Framework: pb.Framework_FRAMEWORK_ESCO, FrameworkVersion: "1.2.0",
				TargetUrl: "http://data.europa.eu/esco/skill/00735755-adc6-4ea0-b034-b8caff339c9f", TargetName: "install heat pump",
			}},
			Levels: []*pb.Level{
				{Id: "1", DisplayName: &pb.LocalizedText{Nl: "Onder begeleiding", En: "Under supervision"}},
				{Id: "2", DisplayName: &pb.LocalizedText{Nl: "Zelfstandig", En: "Independent"}},
			},
		}},
	}
}

// setup creates what the load needs with the root token, or reuses it.
// Each step asks first and creates only what is missing, so a second run
// against the same daemon changes nothing but adds a client token.
func setup(ctx context.Context, cc grpc.ClientConnInterface, c *config) (*target, error) {
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+c.rootToken)
	reg := pb.NewRegistryServiceClient(cc)
	adm := pb.NewAdminServiceClient(cc)
	iss := pb.NewIssuanceServiceClient(cc)
	sector := "sectors/" + c.sector
	issuer := "issuers/" + c.issuer
	tg := &target{issuer: issuer, profileVersion: sector + "/profiles/" + c.profile + "/versions/1", competency: "warmtepomp-installeren", level: "2"}

	_, err := reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: c.sector, Sector: &pb.Sector{
		DisplayName: &pb.LocalizedText{Nl: "Belastingtest", En: "Load test"}, Authority: "skillpass-load",
	}})
	if err := ignoreExists(err, "create sector"); err != nil {
		return nil, err
	}
	if err := ensurePublished(ctx, reg, sector+"/profiles/"+c.profile, tg.profileVersion); err != nil {
		return nil, err
	}
	_, err = reg.CreateIssuer(ctx, &pb.CreateIssuerRequest{IssuerId: c.issuer, Issuer: &pb.Issuer{
		LegalName: "Skillpass Load Test", KvkNumber: "00000000", Contact: &pb.Contact{Website: "https://skillpass-load.invalid"},
	}})
	if err := ignoreExists(err, "create issuer"); err != nil {
		return nil, err
	}
	if err := ensureActiveKey(ctx, iss, issuer); err != nil {
		return nil, err
	}
	chk, err := reg.CheckAccreditation(ctx, &pb.CheckAccreditationRequest{Issuer: issuer, ProfileVersion: tg.profileVersion})
	if err != nil {
		return nil, fmt.Errorf("check accreditation: %w", err)
	}
	if !chk.GetAccredited() {
		if _, err := reg.CreateAccreditation(ctx, &pb.CreateAccreditationRequest{Parent: issuer, Accreditation: &pb.Accreditation{
			Profile: sector + "/profiles/" + c.profile, MinVersion: 1,
		}}); err != nil {
			return nil, fmt.Errorf("create accreditation: %w", err)
		}
	}
	principal := c.issuer + "-client"
	_, err = adm.CreatePrincipal(ctx, &pb.CreatePrincipalRequest{PrincipalId: principal, Principal: &pb.Principal{
		Kind: pb.PrincipalKind_PRINCIPAL_KIND_ISSUER_CLIENT, DisplayName: "skillpass-load client", Issuer: issuer,
	}})
	if err := ignoreExists(err, "create issuer client"); err != nil {
		return nil, err
	}
	// A fresh token per run: secrets are shown once. It expires soon after
	// the run, so runs leave no long-lived credentials behind.
	tok, err := adm.CreateToken(ctx, &pb.CreateTokenRequest{
		Parent: "principals/" + principal, Description: "skillpass-load run",
		Ttl: durationpb.New(c.duration + c.pacedDuration + c.probeDuration + time.Hour),
	})
	if err != nil {
		return nil, fmt.Errorf("create client token: %w", err)
	}
	tg.clientToken = tok.GetSecret()
	return tg, nil
}

func ignoreExists(err error, what string) error {
	if err == nil || status.Code(err) == codes.AlreadyExists {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// ensurePublished makes version 1 of the profile exist and be published.
func ensurePublished(ctx context.Context, reg pb.RegistryServiceClient, profile, version string) error {
	pv, err := reg.GetProfileVersion(ctx, &pb.GetProfileVersionRequest{Name: version})
	if status.Code(err) == codes.NotFound {
		pv, err = reg.CreateProfileVersion(ctx, &pb.CreateProfileVersionRequest{Parent: profile, ProfileVersion: loadProfile()})
	}
	if err != nil {
		return fmt.Errorf("profile version %s: %w", version, err)
	}
	if pv.GetName() != version {
		return fmt.Errorf("profile %s already has versions; created %s, want %s: pick another --profile", profile, pv.GetName(), version)
	}
	switch pv.GetState() {
	case pb.ProfileState_PROFILE_STATE_PUBLISHED:
		return nil
	case pb.ProfileState_PROFILE_STATE_DRAFT:
		if _, err := reg.PublishProfileVersion(ctx, &pb.PublishProfileVersionRequest{Name: version}); err != nil {
			return fmt.Errorf("publish %s: %w", version, err)
		}
		return nil
	}
	return fmt.Errorf("profile version %s is %s: pick another --profile", version, pv.GetState())
}

// ensureActiveKey gives the issuer a signing key unless it has one. The
// new key signs at once (publish delay 0): the load cannot wait out a
// staging delay, and the issuer exists only for the load.
func ensureActiveKey(ctx context.Context, iss pb.IssuanceServiceClient, issuer string) error {
	set, err := iss.ListIssuerKeys(ctx, &pb.ListIssuerKeysRequest{Issuer: issuer})
	if err != nil {
		return fmt.Errorf("list issuer keys: %w", err)
	}
	for _, k := range set.GetKeys() {
		if k.GetState() == pb.KeyState_KEY_STATE_ACTIVE {
			return nil
		}
	}
	if _, err := iss.RotateIssuerKey(ctx, &pb.RotateIssuerKeyRequest{Issuer: issuer, PublishDelay: durationpb.New(0)}); err != nil {
		return fmt.Errorf("create issuer key: %w", err)
	}
	return nil
}
