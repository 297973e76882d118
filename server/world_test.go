package server

import (
	"fmt"
	"testing"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// world is a registry with two sectors, two issuers and a principal of
// every kind, for tests that ask "who may do what".
//
//	sector bouw  (authority: auth-bouw)   profile metselaar v1 PUBLISHED
//	sector zorg  (authority: auth-zorg)
//	issuer acme  (client: client-acme)    accredited for bouw/metselaar
//	issuer other (client: client-other)
type world struct {
	*testEnv
	t       testing.TB
	secrets map[caller]string
	seq     int
}

// caller is a kind of principal, seen from the world's resources: "own"
// means the authority of sector bouw or the client of issuer acme.
type caller int

const (
	anonymous caller = iota
	rootCaller
	ownAuthority
	otherAuthority
	ownClient
	otherClient
	numCallers
)

func (c caller) String() string {
	return [...]string{"anonymous", "root", "authority of the sector", "authority of another sector",
		"client of the issuer", "client of another issuer"}[c]
}

const (
	ownSector        = "sectors/bouw"
	otherSector      = "sectors/zorg"
	ownProfile       = "sectors/bouw/profiles/metselaar"
	publishedVersion = "sectors/bouw/profiles/metselaar/versions/1"
	ownIssuer        = "issuers/acme"
	otherIssuer      = "issuers/other"
	ownAuthorityName = "principals/auth-bouw"
	ownClientName    = "principals/client-acme"
)

func newWorld(t testing.TB, opts envOptions) *world {
	t.Helper()
	w := &world{testEnv: newTestEnv(t, opts), t: t, secrets: map[caller]string{}}
	ctx := w.root()
	for _, id := range []string{"bouw", "zorg"} {
		if _, err := w.reg.CreateSector(ctx, &pb.CreateSectorRequest{SectorId: id, Sector: sectorContent()}); err != nil {
			t.Fatalf("create sector %s: %v", id, err)
		}
	}
	for _, id := range []string{"acme", "other"} {
		if _, err := w.reg.CreateIssuer(ctx, &pb.CreateIssuerRequest{IssuerId: id, Issuer: issuerContent()}); err != nil {
			t.Fatalf("create issuer %s: %v", id, err)
		}
	}
	w.draft(ownProfile)
	if _, err := w.reg.PublishProfileVersion(ctx, &pb.PublishProfileVersionRequest{Name: publishedVersion}); err != nil {
		t.Fatalf("publish: %v", err)
	}
	w.accreditation()

	w.secrets[rootCaller] = w.rootKey
	w.secrets[ownAuthority] = w.newPrincipal(t, "auth-bouw", &pb.Principal{Kind: pb.PrincipalKind_PRINCIPAL_KIND_SECTOR_AUTHORITY, DisplayName: "Bouw O&O", Sectors: []string{ownSector}})
	w.secrets[otherAuthority] = w.newPrincipal(t, "auth-zorg", &pb.Principal{Kind: pb.PrincipalKind_PRINCIPAL_KIND_SECTOR_AUTHORITY, DisplayName: "Zorg O&O", Sectors: []string{otherSector}})
	w.secrets[ownClient] = w.newPrincipal(t, "client-acme", &pb.Principal{Kind: pb.PrincipalKind_PRINCIPAL_KIND_ISSUER_CLIENT, DisplayName: "Acme", Issuer: ownIssuer})
	w.secrets[otherClient] = w.newPrincipal(t, "client-other", &pb.Principal{Kind: pb.PrincipalKind_PRINCIPAL_KIND_ISSUER_CLIENT, DisplayName: "Other", Issuer: otherIssuer})
	return w
}

// unique returns a fresh id, so that each call of a matrix cell creates
// its own resources and cells do not depend on each other.
func (w *world) unique(prefix string) string {
	w.seq++
	return fmt.Sprintf("%s-%d", prefix, w.seq)
}

// draft creates a DRAFT version of profile as root and returns its name.
func (w *world) draft(profile string) string {
	w.t.Helper()
	pv, err := w.reg.CreateProfileVersion(w.root(), &pb.CreateProfileVersionRequest{Parent: profile, ProfileVersion: profileContent()})
	if err != nil {
		w.t.Fatalf("create draft of %s: %v", profile, err)
	}
	return pv.GetName()
}

// published creates and publishes a version of a fresh profile of sector
// bouw as root.
func (w *world) published() string {
	w.t.Helper()
	name := w.draft(ownSector + "/profiles/" + w.unique("p"))
	if _, err := w.reg.PublishProfileVersion(w.root(), &pb.PublishProfileVersionRequest{Name: name}); err != nil {
		w.t.Fatalf("publish %s: %v", name, err)
	}
	return name
}

// accreditation accredits acme for bouw/metselaar as root.
func (w *world) accreditation() string {
	w.t.Helper()
	a, err := w.reg.CreateAccreditation(w.root(), &pb.CreateAccreditationRequest{
		Parent:        ownIssuer,
		Accreditation: &pb.Accreditation{Profile: ownProfile, MinVersion: 1},
	})
	if err != nil {
		w.t.Fatalf("create accreditation: %v", err)
	}
	return a.GetName()
}

// suspended returns a fresh accreditation in state SUSPENDED.
func (w *world) suspended() string {
	w.t.Helper()
	name := w.accreditation()
	if _, err := w.reg.SuspendAccreditation(w.root(), &pb.SuspendAccreditationRequest{Name: name, Reason: "audit"}); err != nil {
		w.t.Fatalf("suspend %s: %v", name, err)
	}
	return name
}

// token creates a token of principal as root and returns its name.
func (w *world) token(principal string) string {
	w.t.Helper()
	tok, err := w.adm.CreateToken(w.root(), &pb.CreateTokenRequest{Parent: principal})
	if err != nil {
		w.t.Fatalf("create token for %s: %v", principal, err)
	}
	return tok.GetToken().GetName()
}

func sectorContent() *pb.Sector {
	return &pb.Sector{
		DisplayName: &pb.LocalizedText{Nl: "Bouw en infra", En: "Construction"},
		Authority:   "Fundeon",
	}
}

func issuerContent() *pb.Issuer {
	return &pb.Issuer{
		LegalName: "Acme Opleidingen B.V.",
		KvkNumber: "12345678",
		Contact:   &pb.Contact{Email: "info@example.nl", Website: "https://example.nl"},
	}
}

func profileContent() *pb.ProfileVersion {
	return &pb.ProfileVersion{
		DisplayName: &pb.LocalizedText{Nl: "Metselaar", En: "Bricklayer"},
		Description: &pb.LocalizedText{Nl: "Metselt muren."},
		NlqfLevel:   pb.NlqfLevel_NLQF_LEVEL_2,
		ReviewBy:    "2030-01-01",
		Competencies: []*pb.Competency{{
			Id:          "metselen",
			DisplayName: &pb.LocalizedText{Nl: "Metselen", En: "Lay bricks"},
			Alignments: []*pb.Alignment{{
				Framework:        pb.Framework_FRAMEWORK_ESCO,
				FrameworkVersion: "1.2.0",
				TargetUrl:        "http://data.europa.eu/esco/skill/b8a6b7c6-0a4e-4bb4-a1ae-6e1b1fa3f4b0",
			}},
			Levels: []*pb.Level{
				{Id: "1", DisplayName: &pb.LocalizedText{Nl: "Basis"}},
				{Id: "2", DisplayName: &pb.LocalizedText{Nl: "Gevorderd"}},
			},
		}},
	}
}
