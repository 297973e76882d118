// Package credential is the Skillpass credential format: a W3C Verifiable
// Credential (Data Model 2.0) carrying Open Badges 3.0-shaped Competency
// achievements, secured per VC-JOSE-COSE as a compact JWS whose payload is
// the VC JSON itself (header typ "vc+jwt", cty "vc", kid = RFC 7638
// thumbprint; no "vc" claim; iss equals issuer.id).
//
// The issuer builds a Credential and Signs it; the verifier Parses a
// compact JWS strictly (every structural rule checked before any key is
// looked up) and then checks the signature with the key its kid names.
// The package knows nothing of storage or gRPC.
package credential

import (
	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/statuslist"
)

// Context URLs, in the order they appear in @context.
const (
	ContextVC   = "https://www.w3.org/ns/credentials/v2"
	ContextOB   = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	ContextSkil = "https://w3id.org/skillpass/v1" // terms Skillpass adds (assessmentMethod, frameworkVersion, competency)
)

// Header values.
const (
	TypVC = "vc+jwt"
	CtyVC = "vc"
	// MediaType is the IANA media type of a secured credential.
	MediaType = "application/vc+jwt"
)

// Credential is the VC JSON, which is also the JWT claims set.
//
//	{
//	  "@context": [ContextVC, ContextOB, ContextSkil],
//	  "id": "urn:uuid:<uuid>",
//	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
//	  "issuer": {"id": "<base>/issuers/<issuer>", "type": ["Profile"], "name": "<legal name>"},
//	  "name": "<profile name (en)>",
//	  "validFrom": "2026-11-26T12:00:00Z", "validUntil": "...",   // RFC 3339 UTC, seconds
//	  "credentialSubject": {...},
//	  "credentialStatus": [revocation entry, suspension entry],
//	  "relatedResource": [{"id": "<profile version URL>", "digestSRI": "sha256-<base64 of the profile digest>"}],
//	  "evidence": [...],
//	  "iss": "<same as issuer.id>", "iat": <signing time, unix seconds>, "cnf": {"jwk": {...}}
//	}
type Credential struct {
	Context           []string           `json:"@context"`
	ID                string             `json:"id"`
	Type              []string           `json:"type"`
	Issuer            Issuer             `json:"issuer"`
	Name              string             `json:"name,omitempty"`
	ValidFrom         string             `json:"validFrom"`
	ValidUntil        string             `json:"validUntil,omitempty"`
	CredentialSubject Subject            `json:"credentialSubject"`
	CredentialStatus  []statuslist.Entry `json:"credentialStatus"`
	RelatedResource   []RelatedResource  `json:"relatedResource"`
	Evidence          []Evidence         `json:"evidence,omitempty"`

	// JWT claims (VC-JOSE-COSE): iss equals Issuer.ID; iat is the signing
	// (issuance) time; cnf binds an optional holder key (RFC 7800).
	Iss string        `json:"iss"`
	Iat int64         `json:"iat"`
	Cnf *Confirmation `json:"cnf,omitempty"`
}

// Issuer is the OB3 Profile of the issuing organisation.
type Issuer struct {
	ID   string   `json:"id"`
	Type []string `json:"type"` // ["Profile"]
	Name string   `json:"name"`
}

// Subject is an OB3 AchievementSubject with one Achievement per awarded
// competency (OB3 has one; Skillpass awards several of one profile version
// in one credential, like a CLR subject) and one Result per achievement.
type Subject struct {
	ID          string        `json:"id"`   // pseudonymous holder id: a did: or urn: URI
	Type        []string      `json:"type"` // ["AchievementSubject"]
	Achievement []Achievement `json:"achievement"`
	Result      []Result      `json:"result"`
}

// Achievement is one competency of the profile version.
//
// ID is "<profile version URL>#<competency id>".
type Achievement struct {
	ID                string              `json:"id"`
	Type              []string            `json:"type"`            // ["Achievement"]
	AchievementType   string              `json:"achievementType"` // "Competency"
	Name              string              `json:"name"`            // English name
	Description       string              `json:"description,omitempty"`
	Criteria          Criteria            `json:"criteria"`
	Creator           Creator             `json:"creator"` // the sector
	Alignment         []Alignment         `json:"alignment"`
	ResultDescription []ResultDescription `json:"resultDescription"`
}

// Criteria says how the achievement is earned.
type Criteria struct {
	ID        string `json:"id,omitempty"`
	Narrative string `json:"narrative,omitempty"`
}

// Creator is the OB3 Profile of the sector that owns the profile.
type Creator struct {
	ID   string   `json:"id"`   // "<base>/sectors/<sector>"
	Type []string `json:"type"` // ["Profile"]
	Name string   `json:"name"`
}

// Alignment ties the achievement to a framework entry, such as an ESCO
// skill.
type Alignment struct {
	Type             []string `json:"type"` // ["Alignment"]
	TargetName       string   `json:"targetName"`
	TargetURL        string   `json:"targetUrl,omitempty"`
	TargetFramework  string   `json:"targetFramework"`  // "ESCO" or "CompetentNL"
	FrameworkVersion string   `json:"frameworkVersion"` // e.g. "1.2.0" (Skillpass term)
	TargetCode       string   `json:"targetCode,omitempty"`
	TargetType       string   `json:"targetType"` // "ceasn:Competency"
}

// ResultDescription is the competency's level scale.
//
// ID is "<achievement id>-levels"; each level's ID is
// "<achievement id>-level-<level id>".
type ResultDescription struct {
	ID                   string                 `json:"id"`
	Type                 []string               `json:"type"` // ["ResultDescription"]
	Name                 string                 `json:"name"`
	ResultType           string                 `json:"resultType"` // "RubricCriterionLevel"
	AllowedValue         []string               `json:"allowedValue"`
	RubricCriterionLevel []RubricCriterionLevel `json:"rubricCriterionLevel"`
}

// RubricCriterionLevel is one level of a scale, lowest first.
type RubricCriterionLevel struct {
	ID          string   `json:"id"`
	Type        []string `json:"type"` // ["RubricCriterionLevel"]
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Level       string   `json:"level"` // the level id
}

// Result is the level the holder reached on one achievement and how it was
// assessed.
type Result struct {
	Type              []string `json:"type"`              // ["Result"]
	ResultDescription string   `json:"resultDescription"` // ResultDescription.ID
	AchievedLevel     string   `json:"achievedLevel"`     // RubricCriterionLevel.ID
	Value             string   `json:"value"`             // the level id
	AssessmentMethod  string   `json:"assessmentMethod"`  // Skillpass term, see AssessmentMethods
}

// AssessmentMethods are the ways a competency may have been assessed.
var AssessmentMethods = []string{"EXAM", "PRACTICAL_ASSESSMENT", "WORKPLACE_ASSESSMENT", "EVC_PORTFOLIO", "OBSERVATION", "OTHER"}

// Evidence references proof behind one awarded competency. It never
// embeds the proof: the reference is an HTTPS URL the holder controls
// access to, optionally with a digest of the document.
type Evidence struct {
	ID              string   `json:"id,omitempty"` // HTTPS URL
	Type            []string `json:"type"`         // ["Evidence"]
	Name            string   `json:"name,omitempty"`
	Genre           string   `json:"genre"`                     // the assessment method
	Competency      string   `json:"competency"`                // Achievement.ID it supports (Skillpass term)
	DigestMultibase string   `json:"digestMultibase,omitempty"` // "u" + base64url(SHA-256 multihash) per VCDM 2.0
}

// RelatedResource pins the profile version by its digest (VCDM 2.0
// integrity of related resources).
type RelatedResource struct {
	ID        string `json:"id"`
	DigestSRI string `json:"digestSRI"` // "sha256-" + base64(std) of the 32-byte profile digest
}

// Confirmation carries the holder's public key (RFC 7800 cnf).
type Confirmation struct {
	JWK *jose.JSONWebKey `json:"jwk"` // public key only
}
