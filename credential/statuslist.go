package credential

import (
	"crypto"
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// MaxStatusListTokenBytes bounds a signed status list credential. The
// largest list (statuslist.DefaultMaxBytes uncompressed, incompressible)
// encodes to about 22 MB, and the JWS base64url-encodes that once more.
const MaxStatusListTokenBytes = 32 << 20

// StatusListCredential is a W3C BitstringStatusListCredential, secured
// like credentials as a VC-JOSE compact JWS.
//
//	{
//	  "@context": [ContextVC],
//	  "id": "<base>/issuers/<issuer>/status/<purpose>/<list>",
//	  "type": ["VerifiableCredential", "BitstringStatusListCredential"],
//	  "issuer": "<base>/issuers/<issuer>",
//	  "validFrom": "...", "validUntil": "...",   // validUntil = validFrom + ttl
//	  "credentialSubject": {"id": "<id>#list", "type": "BitstringStatusList",
//	                        "statusPurpose": "revocation", "encodedList": "uH4sI...", "ttl": 300000},
//	  "iss": "<issuer>", "iat": <signing time>
//	}
type StatusListCredential struct {
	Context           []string           `json:"@context"`
	ID                string             `json:"id"`
	Type              []string           `json:"type"`
	Issuer            string             `json:"issuer"`
	ValidFrom         string             `json:"validFrom"`
	ValidUntil        string             `json:"validUntil"`
	CredentialSubject statuslist.Subject `json:"credentialSubject"`
	Iss               string             `json:"iss"`
	Iat               int64              `json:"iat"`
}

// StatusListInput is what SignStatusList publishes.
type StatusListInput struct {
	BaseURL  string
	IssuerID string
	Purpose  statuslist.Purpose
	List     int32
	Bits     *statuslist.Bitstring
	// Now is the signing time and validFrom, to the second.
	Now time.Time
	// TTL is how long verifiers may cache the list: validUntil is Now +
	// TTL, and the subject's ttl says the same in milliseconds. At least a
	// second.
	TTL time.Duration
}

var statusListContext = []string{ContextVC}
var statusListType = []string{TypeVerifiableCredential, statuslist.TypeCredential}

// NewStatusList builds the status list credential for in.
func NewStatusList(in StatusListInput) (*StatusListCredential, error) {
	var v model.Violations
	if err := CheckBaseURL("base_url", in.BaseURL); err != nil {
		return nil, err
	}
	model.CheckID(&v, "issuer_id", in.IssuerID)
	if !in.Purpose.Valid() {
		v.Add("purpose", "must be %q or %q, got %q", statuslist.PurposeRevocation, statuslist.PurposeSuspension, clip(string(in.Purpose)))
	}
	if in.List < 0 {
		v.Add("list", "must not be negative, got %d", in.List)
	}
	if in.Bits == nil {
		v.Add("bits", "is required")
	}
	if in.TTL < time.Second {
		v.Add("ttl", "must be at least 1s, got %v", in.TTL)
	}
	if in.Now.Unix() <= 0 {
		v.Add("now", "must be after 1970")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	id := StatusListURL(in.BaseURL, in.IssuerID, in.Purpose, in.List)
	subject, err := statuslist.NewSubject(id+"#list", in.Purpose, in.Bits, in.TTL)
	if err != nil {
		return nil, err
	}
	issuer := IssuerURL(in.BaseURL, in.IssuerID)
	from := in.Now.UTC().Truncate(time.Second)
	return &StatusListCredential{
		Context:           statusListContext,
		ID:                id,
		Type:              statusListType,
		Issuer:            issuer,
		ValidFrom:         formatTime(from),
		ValidUntil:        formatTime(from.Add(in.TTL)),
		CredentialSubject: subject,
		Iss:               issuer,
		Iat:               from.Unix(),
	}, nil
}

// SignStatusList builds and signs the status list credential for in with
// the issuer's signing key; the header is a credential's (typ vc+jwt, cty
// vc, kid).
func SignStatusList(in StatusListInput, signer crypto.Signer, alg keys.Algorithm, kid string) (string, error) {
	c, err := NewStatusList(in)
	if err != nil {
		return "", err
	}
	payload, err := jsonMarshal(c)
	if err != nil {
		return "", err
	}
	return signCompact(payload, signer, alg, kid, MaxStatusListTokenBytes)
}

// ParsedStatusList is a structurally valid status list credential with its
// decoded list; its signature is not yet checked.
type ParsedStatusList struct {
	Header     Header
	Credential *StatusListCredential
	List       *statuslist.Bitstring
	TokenHash  [32]byte
	tok        *token
}

// ParseStatusList checks a status list credential as strictly as Parse
// checks a credential (same header and JSON rules, size bound
// MaxStatusListTokenBytes) and decodes its list under the default cap.
func ParseStatusList(compact string) (*ParsedStatusList, error) {
	t, c := new(token), new(StatusListCredential)
	if err := parseSecured(t, c, compact, MaxStatusListTokenBytes, nil); err != nil {
		return nil, err
	}
	list, err := c.CredentialSubject.Decode(statuslist.Decoder{})
	if err != nil {
		return nil, fmt.Errorf("%w: credentialSubject.%w", ErrNotCredential, err)
	}
	return &ParsedStatusList{Header: t.header, Credential: c, List: list, TokenHash: t.whole, tok: t}, nil
}

func (c *StatusListCredential) validate() error {
	switch {
	case !slices.Equal(c.Context, statusListContext):
		return notCredential("@context", "must be exactly %q", statusListContext)
	case !slices.Equal(c.Type, statusListType):
		return notCredential("type", "must be exactly %q", statusListType)
	case c.CredentialSubject.ID != c.ID+"#list":
		return notCredential("credentialSubject.id", "got %q, want the list credential's id followed by #list", clip(c.CredentialSubject.ID))
	}
	if err := checkHTTPSURL(c.ID); err != nil {
		return notCredential("id", "%v", err)
	}
	if err := checkHTTPSURL(c.Issuer); err != nil {
		return notCredential("issuer", "%v", err)
	}
	from, err := parseTime(c.ValidFrom)
	if err != nil {
		return notCredential("validFrom", "%v", err)
	}
	until, err := parseTime(c.ValidUntil)
	if err != nil {
		return notCredential("validUntil", "%v", err)
	}
	if until.Before(from) {
		return notCredential("validUntil", "%s is before validFrom %s", c.ValidUntil, c.ValidFrom)
	}
	if c.Iss != c.Issuer {
		return fmt.Errorf("%w: iss %q, issuer %q", ErrIssuerMismatch, clip(c.Iss), clip(c.Issuer))
	}
	if c.Iat <= 0 {
		return notCredential("iat", "must be a positive number of seconds since 1970, got %d", c.Iat)
	}
	return nil
}

// Verify checks the signature with key, as Parsed.Verify does.
func (p *ParsedStatusList) Verify(key *jose.JSONWebKey) error {
	if p == nil || p.tok == nil {
		return fmt.Errorf("%w: not a parsed token", ErrSignatureInvalid)
	}
	return p.tok.verify(key)
}

// Locate returns which list this is under base: the issuer, purpose and
// number its id names. The issuer and the subject's statusPurpose must
// agree with the id, or the list could be replayed in another's place.
func (p *ParsedStatusList) Locate(base string) (issuerID string, purpose statuslist.Purpose, list int32, err error) {
	issuerID, purpose, list, err = ParseStatusListURL(base, p.Credential.ID)
	switch {
	case err != nil:
		return "", "", 0, err
	case p.Credential.Issuer != IssuerURL(base, issuerID):
		return "", "", 0, fmt.Errorf("%w: list %q is signed by issuer %q", ErrIssuerMismatch, clip(p.Credential.ID), clip(p.Credential.Issuer))
	case p.Credential.CredentialSubject.StatusPurpose != purpose:
		return "", "", 0, notCredential("credentialSubject.statusPurpose", "%q, but the list URL is for %q", clip(string(p.Credential.CredentialSubject.StatusPurpose)), purpose)
	}
	return issuerID, purpose, list, nil
}

// ValidFromTime and ValidUntilTime return the list's validity window; the
// list is stale for caching after ValidUntilTime.
func (p *ParsedStatusList) ValidFromTime() time.Time { return mustTime(p.Credential.ValidFrom) }

// ValidUntilTime is when verifiers should fetch the list again.
func (p *ParsedStatusList) ValidUntilTime() time.Time { return mustTime(p.Credential.ValidUntil) }
