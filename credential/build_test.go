package credential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/statuslist"
)

func TestNew(t *testing.T) {
	holderKey := newTestKey(t, "EdDSA").jwk
	ecPriv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaSmall, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(in *BuildInput)
		want   error
		field  string
	}{
		{"ok", func(*BuildInput) {}, nil, ""},
		{"ok/urn holder id", func(in *BuildInput) { in.HolderID = "urn:uuid:0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b" }, nil, ""},
		{"ok/holder key", func(in *BuildInput) { in.HolderKey = &holderKey }, nil, ""},
		{"ok/private holder key reduced to its public part", func(in *BuildInput) { in.HolderKey = &jose.JSONWebKey{Key: ecPriv} }, nil, ""},
		{"ok/no end of validity", func(in *BuildInput) { in.ValidUntil = time.Time{} }, nil, ""},
		{"ok/no evidence", func(in *BuildInput) { in.Skills[0].Evidence = nil }, nil, ""},

		{"error/no skills", func(in *BuildInput) { in.Skills = nil }, errInvalid, "skills"},
		{"error/unknown competency", func(in *BuildInput) { in.Skills[1].CompetencyID = "lassen" }, errInvalid, "skills[1].competency_id"},
		{"error/competency awarded twice", func(in *BuildInput) { in.Skills[1] = in.Skills[0] }, errInvalid, "skills[1].competency_id"},
		{"error/level off scale", func(in *BuildInput) { in.Skills[0].LevelID = "3" }, errInvalid, "skills[0].level_id"},
		{"error/level of another competency", func(in *BuildInput) { in.Skills[0].LevelID = "basis" }, errInvalid, "skills[0].level_id"},
		{"error/unknown method", func(in *BuildInput) { in.Skills[1].Method = "HEARSAY" }, errInvalid, "skills[1].method"},
		{"error/evidence not https", func(in *BuildInput) { in.Skills[0].Evidence[0].URL = "http://evidence.example/1" }, errInvalid, "skills[0].evidence[0].url"},
		{"error/evidence url with user info", func(in *BuildInput) { in.Skills[0].Evidence[0].URL = "https://u:p@evidence.example/1" }, errInvalid, "skills[0].evidence[0].url"},
		{"error/evidence digest malformed", func(in *BuildInput) { in.Skills[0].Evidence[0].Digest = "md5:abc" }, errInvalid, "skills[0].evidence[0].digest"},
		{"error/evidence name with control character", func(in *BuildInput) { in.Skills[0].Evidence[0].Name = "a\x00b" }, errInvalid, "skills[0].evidence[0].name"},
		{"error/too much evidence", func(in *BuildInput) {
			for range MaxEvidencePerSkill + 1 {
				in.Skills[1].Evidence = append(in.Skills[1].Evidence, EvidenceRef{URL: "https://evidence.example/x"})
			}
		}, errInvalid, "skills[1].evidence"},
		{"error/holder id missing", func(in *BuildInput) { in.HolderID = "" }, errInvalid, "holder_id"},
		{"error/holder id is an e-mail address", func(in *BuildInput) { in.HolderID = "jan@example.nl" }, errInvalid, "holder_id"},
		{"error/holder id urn with e-mail", func(in *BuildInput) { in.HolderID = "urn:mail:jan@example.nl" }, errInvalid, "holder_id"},
		{"error/holder id is a URL", func(in *BuildInput) { in.HolderID = "https://jan.example.nl" }, errInvalid, "holder_id"},
		{"error/holder id DID URL with fragment", func(in *BuildInput) { in.HolderID = "did:web:example.nl#key-1" }, errInvalid, "holder_id"},
		{"error/holder key too weak", func(in *BuildInput) { in.HolderKey = &jose.JSONWebKey{Key: &rsaSmall.PublicKey} }, errInvalid, "holder_key"},
		{"error/holder key symmetric", func(in *BuildInput) { in.HolderKey = &jose.JSONWebKey{Key: []byte("secret")} }, errInvalid, "holder_key"},
		{"error/credential id not a uuid", func(in *BuildInput) { in.CredentialID = "abc" }, errInvalid, "credential_id"},
		{"error/profile without digest", func(in *BuildInput) { in.Profile.Digest = "" }, errInvalid, "profile.digest"},
		{"error/profile of another sector", func(in *BuildInput) { in.Profile.SectorID = "zorg" }, errInvalid, "profile"},
		{"error/no issuer", func(in *BuildInput) { in.Issuer = nil }, errInvalid, "issuer"},
		{"error/base url with trailing slash", func(in *BuildInput) { in.BaseURL += "/" }, errInvalid, "base_url"},
		{"error/status index outside the list", func(in *BuildInput) { in.StatusIndex = statuslist.MinBits }, errInvalid, "status_index"},
		{"error/negative status list", func(in *BuildInput) { in.StatusList = -1 }, errInvalid, "status_list"},
		{"error/validFrom missing", func(in *BuildInput) { in.ValidFrom = time.Time{} }, errInvalid, "valid_from"},
		{"error/validUntil not after validFrom", func(in *BuildInput) { in.ValidUntil = in.ValidFrom.Add(500 * time.Millisecond) }, errInvalid, "valid_until"},
		{"error/no signing time", func(in *BuildInput) { in.IssuedAt = time.Time{} }, errInvalid, "issued_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInput(t)
			tt.change(&in)
			c, err := New(in)
			checkErr(t, err, tt.want, tt.field)
			if err != nil {
				return
			}
			// Whatever New builds, Parse must accept: check it through a
			// real signature round trip.
			k := newTestKey(t, "ES256")
			p, err := Parse(signTest(t, c, k))
			if err != nil {
				t.Fatalf("Parse of a built credential: %v", err)
			}
			if err := p.Verify(&k.jwk); err != nil {
				t.Fatal(err)
			}
			if c.Cnf != nil && !c.Cnf.JWK.IsPublic() {
				t.Error("cnf carries a private key")
			}
		})
	}
}

// TestNewContent checks the assembled credential against the format
// documented in vc.go, field by field where the verifier depends on it.
func TestNewContent(t *testing.T) {
	in := testInput(t)
	c := testCredential(t)
	profileURL := testBase + "/sectors/installatie/profiles/monteur/versions/1"
	issuerURL := testBase + "/issuers/opleider"
	checks := []struct {
		name      string
		got, want any
	}{
		{"@context", c.Context, []string{ContextVC, ContextOB, ContextSkil}},
		{"id", c.ID, "urn:uuid:" + testUUID},
		{"type", c.Type, []string{"VerifiableCredential", "OpenBadgeCredential"}},
		{"issuer", c.Issuer, Issuer{ID: issuerURL, Type: []string{"Profile"}, Name: in.Issuer.LegalName}},
		{"iss", c.Iss, issuerURL},
		{"iat", c.Iat, testNow.Unix()},
		{"name", c.Name, "Heat pump installer"},
		{"validFrom", c.ValidFrom, "2026-11-26T12:00:00Z"},
		{"validUntil", c.ValidUntil, "2029-11-26T12:00:00Z"},
		{"relatedResource.id", c.RelatedResource[0].ID, profileURL},
		{"credentialSubject.id", c.CredentialSubject.ID, in.HolderID},
		{"achievement[0].id", c.CredentialSubject.Achievement[0].ID, profileURL + "#warmtepomp-installeren"},
		{"result[0]", c.CredentialSubject.Result[0], Result{
			Type: []string{"Result"}, ResultDescription: profileURL + "#warmtepomp-installeren-levels",
			AchievedLevel: profileURL + "#warmtepomp-installeren-level-2", Value: "2", AssessmentMethod: "PRACTICAL_ASSESSMENT",
		}},
		{"credentialStatus", c.CredentialStatus, []statuslist.Entry{
			{Type: "BitstringStatusListEntry", StatusPurpose: "revocation", StatusListIndex: "4242", StatusListCredential: issuerURL + "/status/revocation/0"},
			{Type: "BitstringStatusListEntry", StatusPurpose: "suspension", StatusListIndex: "4242", StatusListCredential: issuerURL + "/status/suspension/0"},
		}},
		{"evidence[0].digestMultibase", c.Evidence[0].DigestMultibase, mustMultibase(t, in.Skills[0].Evidence[0].Digest)},
		{"evidence[0].competency", c.Evidence[0].Competency, profileURL + "#warmtepomp-installeren"},
		{"evidence[0].genre", c.Evidence[0].Genre, "PRACTICAL_ASSESSMENT"},
	}
	for _, ck := range checks {
		g, _ := json.Marshal(ck.got)
		w, _ := json.Marshal(ck.want)
		if string(g) != string(w) {
			t.Errorf("%s = %s, want %s", ck.name, g, w)
		}
	}
	sri, err := DigestSRI(in.Profile.Digest)
	if err != nil || c.RelatedResource[0].DigestSRI != sri {
		t.Errorf("relatedResource.digestSRI = %q, want %q (%v)", c.RelatedResource[0].DigestSRI, sri, err)
	}

	// The accessors read back what New was given.
	ref, err := c.Profile(testBase)
	if err != nil || ref != (ProfileRef{SectorID: testSectorID, ProfileID: "monteur", Version: 1, Digest: in.Profile.Digest}) {
		t.Errorf("Profile = %+v, %v", ref, err)
	}
	pos, err := c.StatusPosition(testBase)
	if err != nil || pos != (StatusRef{IssuerID: testIssuerID, List: 0, Index: 4242}) {
		t.Errorf("StatusPosition = %+v, %v", pos, err)
	}
	awarded, err := c.Awarded(testBase)
	if err != nil || len(awarded) != 2 || awarded[0].CompetencyID != "warmtepomp-installeren" || awarded[0].LevelID != "2" ||
		len(awarded[0].Evidence) != 1 || awarded[1].CompetencyID != "koudemiddelen" || len(awarded[1].Evidence) != 0 {
		t.Errorf("Awarded = %+v, %v", awarded, err)
	}
	if id, err := c.IssuerID(testBase); err != nil || id != testIssuerID {
		t.Errorf("IssuerID = %q, %v", id, err)
	}
	if !c.ValidFromTime().Equal(testNow) || !c.ValidUntilTime().Equal(testNow.AddDate(3, 0, 0)) || !c.IssuedAt().Equal(testNow) {
		t.Errorf("times = %v %v %v", c.ValidFromTime(), c.ValidUntilTime(), c.IssuedAt())
	}
	if _, i, ok := c.Status(statuslist.PurposeSuspension); !ok || i != 4242 {
		t.Errorf("Status(suspension) = %d, %v", i, ok)
	}
	if c.UUID() != testUUID || c.HolderID() != in.HolderID {
		t.Errorf("UUID, HolderID = %q, %q", c.UUID(), c.HolderID())
	}
}

func mustMultibase(t *testing.T, digest string) string {
	t.Helper()
	mb, err := DigestMultibase(digest)
	if err != nil {
		t.Fatal(err)
	}
	return mb
}

// TestAccessorsRefuseForeignReferences: references the verifier follows
// must point into this Skillpass instance and at the credential's own
// issuer and profile.
func TestAccessorsRefuseForeignReferences(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Credential)
		call   func(c *Credential) error
	}{
		{"error/issuer of another origin", func(c *Credential) { c.Issuer.ID = "https://evil.example/issuers/opleider" },
			func(c *Credential) error { _, err := c.IssuerID(testBase); return err }},
		{"error/profile of another origin", func(c *Credential) {
			c.RelatedResource[0].ID = "https://evil.example/sectors/installatie/profiles/monteur/versions/1"
		},
			func(c *Credential) error { _, err := c.Profile(testBase); return err }},
		{"error/achievement of another profile", func(c *Credential) {
			c.CredentialSubject.Achievement[1].ID = strings.Replace(c.CredentialSubject.Achievement[1].ID, "versions/1#", "versions/2#", 1)
		}, func(c *Credential) error { _, err := c.Awarded(testBase); return err }},
		{"error/status list of another issuer", func(c *Credential) {
			c.CredentialStatus[1].StatusListCredential = testBase + "/issuers/andere/status/suspension/0"
		}, func(c *Credential) error { _, err := c.StatusPosition(testBase); return err }},
		{"error/status lists of different numbers", func(c *Credential) {
			c.CredentialStatus[1].StatusListCredential = testBase + "/issuers/opleider/status/suspension/1"
		}, func(c *Credential) error { _, err := c.StatusPosition(testBase); return err }},
		{"error/status list of the other purpose", func(c *Credential) {
			c.CredentialStatus[1].StatusListCredential = testBase + "/issuers/opleider/status/revocation/0"
		}, func(c *Credential) error { _, err := c.StatusPosition(testBase); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCredential(t)
			tt.change(c)
			checkErr(t, tt.call(c), ErrNotCredential, "")
		})
	}
}

// TestSignRefuses: Sign never produces a token Parse would refuse.
func TestSignRefuses(t *testing.T) {
	k := newTestKey(t, "ES256")
	other := newTestKey(t, "ES256")
	big := func(t *testing.T) *Credential {
		in := testInput(t)
		p := in.Profile
		for i := range 200 {
			c := p.Competencies[0]
			c.ID = "c-" + strings.Repeat("x", 40) + string(rune('a'+i%26)) + strings.Repeat("y", i/26)
			p.Competencies = append(p.Competencies, c)
			in.Skills = append(in.Skills, Skill{CompetencyID: c.ID, LevelID: "1", Method: "EXAM"})
		}
		c, err := New(in)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name  string
		cred  func(t *testing.T) *Credential
		key   testKey
		kid   string
		want  error
		field string
	}{
		{"error/iss differs from issuer", func(t *testing.T) *Credential { c := testCredential(t); c.Iss = "x"; return c }, k, k.kid, ErrIssuerMismatch, ""},
		{"error/invalid content", func(t *testing.T) *Credential { c := testCredential(t); c.Context = nil; return c }, k, k.kid, ErrNotCredential, ""},
		{"error/too large to verify", big, k, k.kid, errInvalid, "skills"},
		{"error/kid of another key", func(t *testing.T) *Credential { return testCredential(t) }, k, other.kid, keys.ErrKeyBinding, ""},
		{"error/nil credential", func(*testing.T) *Credential { return nil }, k, k.kid, errInvalid, "credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Sign(tt.cred(t), tt.key.signer, tt.key.alg, tt.kid)
			checkErr(t, err, tt.want, tt.field)
		})
	}
}
