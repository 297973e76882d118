package credential

import (
	"crypto"
	"errors"
	"fmt"
	"reflect"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

// MaxTokenBytes bounds a compact JWS before anything is decoded.
const MaxTokenBytes = 64 << 10

// Sentinel errors of parsing and signature checking. They are *model.Error
// values whose Reason is the stable code a verdict quotes.
var (
	ErrTooLarge           = &model.Error{Reason: "TOKEN_TOO_LARGE", Msg: "token is larger than allowed"}
	ErrMalformed          = &model.Error{Reason: "MALFORMED_JWS", Msg: "not a compact JWS"}
	ErrUnsupportedAlg     = &model.Error{Reason: "UNSUPPORTED_ALGORITHM", Msg: "signature algorithm is not allowed"}
	ErrForbiddenHeader    = &model.Error{Reason: "FORBIDDEN_HEADER", Msg: "JWS header carries a parameter that is not allowed"}
	ErrWrongType          = &model.Error{Reason: "WRONG_TYPE", Msg: "JWS header typ or cty is not that of a VC-JOSE credential"}
	ErrMissingKid         = &model.Error{Reason: "MISSING_KID", Msg: "JWS header has no kid"}
	ErrMultipleSignatures = &model.Error{Reason: "MULTIPLE_SIGNATURES", Msg: "token carries more than one signature"}
	ErrPayloadNotJSON     = &model.Error{Reason: "PAYLOAD_NOT_JSON", Msg: "payload is not a single JSON object"}
	ErrDuplicateKey       = &model.Error{Reason: "DUPLICATE_JSON_KEY", Msg: "payload JSON repeats a member name"}
	ErrNotCredential      = &model.Error{Reason: "CREDENTIAL_MALFORMED", Msg: "payload is not a Skillpass credential"}
	ErrIssuerMismatch     = &model.Error{Reason: "ISS_ISSUER_MISMATCH", Msg: "iss differs from issuer"}
	ErrSignatureInvalid   = &model.Error{Reason: "SIGNATURE_INVALID", Msg: "signature does not verify"}
)

// Header is the protected header of a parsed token.
type Header struct {
	Alg string
	Kid string
	Typ string
	Cty string
}

// Parsed is a structurally valid token whose signature is not yet checked.
type Parsed struct {
	Header     Header
	Payload    []byte
	Credential *Credential
	TokenHash  [32]byte // SHA-256 of the compact form
	tok        *token
}

// payloadRules is the strict JSON profile of a credential payload.
var payloadRules = func() *jsonRules {
	known, folded := knownNames(reflect.TypeFor[Credential](), reflect.TypeFor[StatusListCredential]())
	return &jsonRules{what: "payload", syntax: ErrPayloadNotJSON, duplicate: ErrDuplicateKey, known: known, folded: folded}
}()

// Parse checks a compact JWS strictly and decodes its credential. It does
// not check the signature (see Verify) nor anything that needs the
// registry. The error wraps one of the sentinels above.
//
// The order of the checks is part of the contract: size before any
// decoding; then the JWS structure, header, algorithm, header members,
// typ/cty and kid; then the payload as strict JSON; then the credential.
func Parse(compact string) (*Parsed, error) {
	return parseCredential(compact, nil)
}

// Digested is a token with its SHA-256 digests (the token hash, and the
// digest of the signing input an ES256 signature covers), computed in one
// pass. A verifier that needs the token hash before parsing, as a cache
// key, gets it here and then parses without hashing the token again.
type Digested struct {
	compact string
	d       digests
	hashed  bool // false for a token over MaxTokenBytes: never hashed
}

// Digest hashes a token of at most MaxTokenBytes; a larger one is not
// hashed (hashing arbitrary amounts of input is a cost hostile callers
// could impose), and its Parse fails with ErrTooLarge.
func Digest(compact string) Digested {
	if len(compact) > MaxTokenBytes {
		return Digested{compact: compact}
	}
	return Digested{compact: compact, d: digestOf(compact), hashed: true}
}

// Hash is the SHA-256 of the token, and false for a token too large to be
// hashed.
func (d Digested) Hash() ([32]byte, bool) {
	return d.d.whole, d.hashed
}

// Parse is Parse of the token, reusing its digests.
func (d Digested) Parse() (*Parsed, error) {
	if !d.hashed {
		return parseCredential(d.compact, nil) // refused for its size
	}
	return parseCredential(d.compact, &d.d)
}

// parsedCredential is what Parse returns and everything it points to,
// allocated at once: a verifier parses every distinct token, and one
// allocation costs less than the five it replaces. So a caller that keeps
// only the Credential also keeps the token's header and payload bytes
// alive; callers that cache keep their own extract (as verdicts do).
type parsedCredential struct {
	p   Parsed
	tok token
	c   credentialDecode
}

func parseCredential(compact string, dg *digests) (*Parsed, error) {
	r := new(parsedCredential)
	if err := parseSecured(&r.tok, &r.c, compact, MaxTokenBytes, dg); err != nil {
		return nil, err
	}
	t := &r.tok
	r.p = Parsed{Header: t.header, Payload: t.payload, Credential: &r.c.Credential, TokenHash: t.whole, tok: t}
	return &r.p, nil
}

// parseSecured reads a compact JWS with at most maxBytes into t and its
// payload into v (see decodePayload), and validates v.
func parseSecured(t *token, v interface{ validate() error }, compact string, maxBytes int, dg *digests) error {
	if err := t.parse(compact, maxBytes, dg); err != nil {
		return err
	}
	if err := decodePayload(t.payload, v); err != nil {
		return err
	}
	return v.validate()
}

// Verify checks the signature with key (a public JWK whose alg must match
// the header's); ErrSignatureInvalid or ErrUnsupportedAlg on failure.
func (p *Parsed) Verify(key *jose.JSONWebKey) error {
	if p == nil || p.tok == nil {
		return fmt.Errorf("%w: not a parsed token", ErrSignatureInvalid)
	}
	return p.tok.verify(key)
}

// Sign secures c as a compact JWS (typ vc+jwt, cty vc, kid) with signer,
// whose algorithm is alg and whose thumbprint is kid. It refuses a
// credential that Parse would refuse (wrapping the same sentinels), and one
// too large to be read back, in bytes or in JSON values (a
// *model.ValidationError on "skills").
func Sign(c *Credential, signer crypto.Signer, alg keys.Algorithm, kid string) (string, error) {
	if c == nil {
		return "", model.Invalid("credential", "is nil")
	}
	if err := c.validate(); err != nil {
		return "", err
	}
	payload, err := jsonMarshal(c)
	if err != nil {
		return "", err
	}
	if err := checkAmount(payload); err != nil {
		return "", model.Invalid("skills", "the credential would hold too much to verify (%v); award fewer competencies or evidence references per credential", err)
	}
	compact, err := signCompact(payload, signer, alg, kid, MaxTokenBytes)
	if errors.Is(err, ErrTooLarge) {
		return "", model.Invalid("skills", "the credential would be too large to verify (%v); award fewer competencies or evidence references per credential", err)
	}
	return compact, err
}
