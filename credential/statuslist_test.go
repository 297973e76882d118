package credential

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// specEncodedList is the encodedList of the examples in W3C Bitstring
// Status List v1.0 (§2.1, Examples 3 and 5): 131,072 entries, none set.
const specEncodedList = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

func testListInput(t testing.TB, set ...int) StatusListInput {
	t.Helper()
	bits, err := statuslist.New(statuslist.MinBits)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range set {
		if err := bits.Set(i, true); err != nil {
			t.Fatal(err)
		}
	}
	return StatusListInput{
		BaseURL: testBase, IssuerID: testIssuerID, Purpose: statuslist.PurposeRevocation, List: 2,
		Bits: bits, Now: testNow, TTL: 5 * time.Minute,
	}
}

// specListCredential is the spec's example list credential (Example 3)
// moved to Skillpass's URLs, carrying the spec's encodedList.
func specListCredential() *StatusListCredential {
	id := testBase + "/issuers/opleider/status/revocation/2"
	return &StatusListCredential{
		Context:    []string{ContextVC},
		ID:         id,
		Type:       []string{"VerifiableCredential", "BitstringStatusListCredential"},
		Issuer:     testBase + "/issuers/opleider",
		ValidFrom:  "2005-04-25T04:59:12Z",
		ValidUntil: "2050-04-25T04:59:12Z",
		CredentialSubject: statuslist.Subject{
			ID: id + "#list", Type: "BitstringStatusList", StatusPurpose: statuslist.PurposeRevocation, EncodedList: specEncodedList,
		},
		Iss: testBase + "/issuers/opleider",
		Iat: 1114405152,
	}
}

func TestParseStatusListSpecVector(t *testing.T) {
	k := newTestKey(t, "ES256")
	tok := rawToken(t, k, header(t, k, nil), payloadOf(t, specListCredential()))
	p, err := ParseStatusList(tok)
	if err != nil {
		t.Fatal(err)
	}
	if p.List.Len() != statuslist.MinBits || p.List.Count() != 0 {
		t.Errorf("spec list decodes to %d entries with %d set, want %d and 0", p.List.Len(), p.List.Count(), statuslist.MinBits)
	}
	if err := p.Verify(&k.jwk); err != nil {
		t.Error(err)
	}
	issuer, purpose, list, err := p.Locate(testBase)
	if err != nil || issuer != testIssuerID || purpose != statuslist.PurposeRevocation || list != 2 {
		t.Errorf("Locate = %q %q %d, %v", issuer, purpose, list, err)
	}
}

func TestSignStatusListRoundTrip(t *testing.T) {
	set := []int{0, 7, 8, 4242, statuslist.MinBits - 1}
	for _, alg := range []string{"ES256", "EdDSA"} {
		t.Run("ok/"+alg, func(t *testing.T) {
			k := newTestKey(t, keys.Algorithm(alg))
			tok, err := SignStatusList(testListInput(t, set...), k.signer, k.alg, k.kid)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParseStatusList(tok)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Verify(&k.jwk); err != nil {
				t.Fatal(err)
			}
			if p.List.Count() != len(set) {
				t.Errorf("%d bits set, want %d", p.List.Count(), len(set))
			}
			for _, i := range set {
				if v, err := p.List.Get(i); err != nil || !v {
					t.Errorf("bit %d = %v, %v; want set", i, v, err)
				}
			}
			c := p.Credential
			if c.ID != testBase+"/issuers/opleider/status/revocation/2" || c.CredentialSubject.ID != c.ID+"#list" ||
				c.Issuer != testBase+"/issuers/opleider" || c.CredentialSubject.TTL != 300000 {
				t.Errorf("credential = %+v", c)
			}
			if !p.ValidFromTime().Equal(testNow) || !p.ValidUntilTime().Equal(testNow.Add(5*time.Minute)) {
				t.Errorf("window = %v .. %v", p.ValidFromTime(), p.ValidUntilTime())
			}
		})
	}
}

func TestParseStatusListRejects(t *testing.T) {
	k := newTestKey(t, "ES256")
	signed := func(mutate func(c *StatusListCredential)) func(t *testing.T) string {
		return func(t *testing.T) string {
			c := specListCredential()
			mutate(c)
			return rawToken(t, k, header(t, k, nil), payloadOf(t, c))
		}
	}
	tests := []struct {
		name  string
		token func(t *testing.T) string
		want  error
	}{
		{"error/credential instead of list", func(t *testing.T) string { return signTest(t, testCredential(t), k) }, ErrNotCredential},
		{"error/wrong typ", func(t *testing.T) string {
			return rawToken(t, k, header(t, k, map[string]any{"typ": "statuslist+jwt"}), payloadOf(t, specListCredential()))
		}, ErrWrongType},
		{"error/alg none", func(t *testing.T) string {
			return b64(header(t, k, map[string]any{"alg": "none"})) + "." + b64(payloadOf(t, specListCredential())) + "."
		}, ErrUnsupportedAlg},
		{"error/context", signed(func(c *StatusListCredential) { c.Context = append(c.Context, ContextOB) }), ErrNotCredential},
		{"error/type", signed(func(c *StatusListCredential) { c.Type = []string{"VerifiableCredential"} }), ErrNotCredential},
		{"error/subject id", signed(func(c *StatusListCredential) { c.CredentialSubject.ID = c.ID }), ErrNotCredential},
		{"error/iss differs from issuer", signed(func(c *StatusListCredential) { c.Iss = testBase + "/issuers/andere" }), ErrIssuerMismatch},
		{"error/validUntil missing", signed(func(c *StatusListCredential) { c.ValidUntil = "" }), ErrNotCredential},
		{"error/iat missing", signed(func(c *StatusListCredential) { c.Iat = 0 }), ErrNotCredential},
		{"error/encodedList not multibase", signed(func(c *StatusListCredential) { c.CredentialSubject.EncodedList = specEncodedList[1:] }), statuslist.ErrDecode},
		{"error/list too short", signed(func(c *StatusListCredential) {
			c.CredentialSubject.EncodedList = shortList(t)
		}), statuslist.ErrLength},
		{"error/refresh purpose", signed(func(c *StatusListCredential) { c.CredentialSubject.StatusPurpose = "refresh" }), ErrNotCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStatusList(tt.token(t))
			t.Logf("ParseStatusList: %v", err)
			checkErr(t, err, tt.want, "")
		})
	}
}

// shortList is a well-formed gzip + multibase list of 8 bytes, below the
// spec's minimum, which statuslist.Bitstring.Encode refuses to produce.
func shortList(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(make([]byte, 8)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

func TestLocateRejects(t *testing.T) {
	k := newTestKey(t, "ES256")
	tests := []struct {
		name   string
		mutate func(c *StatusListCredential)
		base   string
		want   error
	}{
		{"error/another origin", func(*StatusListCredential) {}, "https://other.example", ErrNotCredential},
		{"error/signed by another issuer", func(c *StatusListCredential) {
			c.Issuer, c.Iss = testBase+"/issuers/andere", testBase+"/issuers/andere"
		}, testBase, ErrIssuerMismatch},
		{"error/purpose differs from url", func(c *StatusListCredential) { c.CredentialSubject.StatusPurpose = statuslist.PurposeSuspension }, testBase, ErrNotCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := specListCredential()
			tt.mutate(c)
			p, err := ParseStatusList(rawToken(t, k, header(t, k, nil), payloadOf(t, c)))
			if err != nil {
				t.Fatal(err)
			}
			_, _, _, err = p.Locate(tt.base)
			checkErr(t, err, tt.want, "")
		})
	}
}

func TestNewStatusListRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(in *StatusListInput)
		field  string
	}{
		{"error/ttl below a second", func(in *StatusListInput) { in.TTL = time.Millisecond }, "ttl"},
		{"error/no list", func(in *StatusListInput) { in.Bits = nil }, "bits"},
		{"error/purpose", func(in *StatusListInput) { in.Purpose = "message" }, "purpose"},
		{"error/negative list number", func(in *StatusListInput) { in.List = -1 }, "list"},
		{"error/issuer id", func(in *StatusListInput) { in.IssuerID = "Opleider" }, "issuer_id"},
		{"error/base url", func(in *StatusListInput) { in.BaseURL = "http://x.example" }, "base_url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testListInput(t)
			tt.change(&in)
			_, err := NewStatusList(in)
			checkErr(t, err, errInvalid, tt.field)
		})
	}
}
