package server

import (
	"context"
	"fmt"
	"testing"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
)

// world is a registry with two sectors, two issuers and a principal of
// every kind, for tests that ask "who may do what".
//
//	sector bouw  (authority: auth-bouw)   profile metselaar v1 PUBLISHED
//	sector zorg  (authority: auth-zorg)
//	issuer acme  (client: client-acme)    accredited for bouw/metselaar, one signing key
//	issuer other (client: client-other)
type world struct {
	*testEnv
	t       testing.TB
	secrets map[caller]string
	seq     int
	sample  *pb.IssuedCredential // a credential of acme, made on first use
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
	// acme's first key signs at once.
	if _, err := w.iss.RotateIssuerKey(ctx, &pb.RotateIssuerKeyRequest{Issuer: ownIssuer}); err != nil {
		t.Fatalf("first key of acme: %v", err)
	}
	return w
}

// client is a context authenticated as acme's client.
func (w *world) client() context.Context { return as(w.secrets[ownClient]) }

// issue has acme's client issue a fresh credential of bouw/metselaar v1.
func (w *world) issue() *pb.IssuedCredential {
	w.t.Helper()
	out, err := w.iss.IssueCredential(w.client(), &pb.IssueCredentialRequest{Parent: ownIssuer, Credential: credentialContent(w.unique("holder"))})
	if err != nil {
		w.t.Fatalf("issue: %v", err)
	}
	return out
}

// credential issues a fresh credential and returns its record's name.
func (w *world) credential() string { return w.issue().GetRecord().GetName() }

// suspendedCredential returns the name of a fresh suspended credential.
func (w *world) suspendedCredential() string {
	w.t.Helper()
	name := w.credential()
	if _, err := w.iss.SuspendCredential(w.client(), &pb.SuspendCredentialRequest{Name: name, Reason: "under review"}); err != nil {
		w.t.Fatalf("suspend %s: %v", name, err)
	}
	return name
}

// sampleJWS is one credential of acme, issued on first use and reused by
// the read-only calls.
func (w *world) sampleJWS() string {
	if w.sample == nil {
		w.sample = w.issue()
	}
	return w.sample.GetJws()
}

// pendingKid returns the kid of acme's pending key, staging one (with the
// default publish delay) if there is none. A key left pending by a caller
// who may not compromise it is reused by the next call, so the key set
// stays small however many cells run.
func (w *world) pendingKid() string {
	w.t.Helper()
	set, err := w.iss.ListIssuerKeys(w.root(), &pb.ListIssuerKeysRequest{Issuer: ownIssuer})
	if err != nil {
		w.t.Fatalf("list keys: %v", err)
	}
	for _, k := range set.GetKeys() {
		if k.GetState() == pb.KeyState_KEY_STATE_PENDING {
			return k.GetKid()
		}
	}
	if set, err = w.iss.RotateIssuerKey(w.root(), &pb.RotateIssuerKeyRequest{Issuer: ownIssuer}); err != nil {
		w.t.Fatalf("stage a key: %v", err)
	}
	keys := set.GetKeys()
	return keys[len(keys)-1].GetKid()
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

// credentialContent awards metselen at level 2 of bouw/metselaar v1 to
// holder (a pseudonymous urn).
func credentialContent(holder string) *pb.CredentialContent {
	return &pb.CredentialContent{
		ProfileVersion: publishedVersion,
		HolderId:       "urn:example:holder:" + holder,
		Skills: []*pb.AwardedSkill{{
			CompetencyId:     "metselen",
			LevelId:          "2",
			AssessmentMethod: pb.AssessmentMethod_ASSESSMENT_METHOD_EXAM,
			Evidence:         []*pb.EvidenceReference{{Url: "https://example.nl/portfolio/1", DisplayName: "Proeve"}},
		}},
	}
}
