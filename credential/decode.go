package credential

import (
	"bytes"
	"errors"
	"fmt"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/skillpass-nl/skillpass/statuslist"
)

// Decoding in one pass, and explaining a refusal in a second.
//
// The decoding pass is one strict encoding/json/v2 decode (the
// go-json-experiment module that Go's encoding/json/v2 comes from). Under
// strictJSON it refuses everything the strict profile of jsoncheck.go
// refuses: invalid UTF-8 (also in escapes: lone surrogates), a repeated
// member name, any member the format does not know, and so any name that
// differs only in case from a known one (v2 matches names exactly).
// Nesting needs no bound of its own here: every member is decoded into a
// fixed Go type at most seven levels deep, so anything deeper is an unknown
// member or a type error, and v2 skips values without recursion. The
// other limits of jsoncheck.go are kept as decodePayloadFast says.
//
// Only when it refuses does the scanner of jsoncheck.go run, to name the
// stable reason in the documented order: PAYLOAD_NOT_JSON (not JSON, or
// beyond the limits), DUPLICATE_JSON_KEY, then CREDENTIAL_MALFORMED for
// JSON that is not a credential. Both stop at the first problem, so a
// refusal costs at most the two linear scans. The decoding pass is never
// more lenient than the scanner with encoding/json v1, the reading this
// package had before v2: TestDecodeDifferential and
// FuzzDecodeDifferential hold them together.

// strictJSON are the v2 options of the fast pass. Duplicate names and
// invalid UTF-8 are refused by v2's defaults; they are spelled out so that
// no change of default can loosen them.
var strictJSON = jsonv2.JoinOptions(
	jsonv2.RejectUnknownMembers(true),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

// decodePayloadFast is the fast pass over a payload (decodePayload runs
// the same two steps), reading a *Credential as Parse reads it (see
// credentialDecode).
//
// It keeps the limits of jsoncheck.go without a scan of its own where the
// format already does: a member must be one of its struct's (at most 14,
// none repeated), the only numbers are iat and ttl (int64: at most 20 bytes),
// nesting is that of the types, and the one value decoded by other code,
// cnf's JWK, is checked by Confirmation.UnmarshalJSONFrom
// (TestDecodeTypesAreBounded holds the types to this). What the types do
// not bound is how many values the arrays hold; checkAmount does.
func decodePayloadFast(payload []byte, v any) error {
	if err := checkAmount(payload); err != nil {
		return err
	}
	if c, ok := v.(*Credential); ok {
		d := new(credentialDecode)
		err := d.unmarshal(payload)
		*c = d.Credential
		return err
	}
	return unmarshalPayload(payload, v)
}

// unmarshalPayload is the strict v2 decode of a payload into v.
func unmarshalPayload(payload []byte, v any) error {
	if d, ok := v.(*credentialDecode); ok {
		return d.unmarshal(payload)
	}
	return jsonv2.Unmarshal(payload, v, strictJSON)
}

// credentialDecode is a Credential with backing arrays for the lists whose
// length the format fixes (validate refuses any other length): @context
// (3), type (VerifiableCredential, OpenBadgeCredential), issuer.type and
// credentialSubject.type (1 each), credentialStatus (a revocation and a
// suspension entry) and relatedResource (the profile version). v2 fills a
// slice's existing capacity in place and grows it one element at a time
// otherwise, so without them these lists cost ten allocations a parse.
// A list that is longer than its array simply grows as before.
type credentialDecode struct {
	Credential
	context                 [3]string
	typ                     [2]string
	issuerType, subjectType [1]string
	status                  [2]statuslist.Entry
	related                 [1]RelatedResource
	// fast is the same for the hand-written decoder; it writes only
	// there, so a payload it declines leaves nothing in the arrays above.
	fast fastRoom
}

// unmarshal decodes payload into d.Credential, which must be zero, using
// d's arrays. Each slice is capped at its array, so appending to a decoded
// list reallocates instead of writing into a neighbour.
//
// The hand-written decoder of fastdecode.go goes first: it reads the shape
// Skillpass emits, exactly as the v2 decode below would, or declines, and
// then the v2 decode runs as if it had not been tried.
func (d *credentialDecode) unmarshal(payload []byte) error {
	if fastDecode(payload, &d.Credential, &d.fast) {
		return nil
	}
	return d.unmarshalV2(payload)
}

// unmarshalV2 is unmarshal without the hand-written decoder.
func (d *credentialDecode) unmarshalV2(payload []byte) error {
	c := &d.Credential
	c.Context, c.Type = d.context[:0:len(d.context)], d.typ[:0:len(d.typ)]
	c.Issuer.Type, c.CredentialSubject.Type = d.issuerType[:0:1], d.subjectType[:0:1]
	c.CredentialStatus, c.RelatedResource = d.status[:0:len(d.status)], d.related[:0:1]
	err := jsonv2.Unmarshal(payload, c, strictJSON)
	// A list the payload does not have must read as nil, as it does when
	// decoding into a fresh Credential: v2 sets an empty JSON array to an
	// empty slice of its own and null to nil, and leaves an absent one as
	// it was, pointing at d's array with length 0.
	unused(&c.Context, &d.context[0])
	unused(&c.Type, &d.typ[0])
	unused(&c.Issuer.Type, &d.issuerType[0])
	unused(&c.CredentialSubject.Type, &d.subjectType[0])
	unused(&c.CredentialStatus, &d.status[0])
	unused(&c.RelatedResource, &d.related[0])
	return err
}

// unused sets *s to nil if it is still the empty slice of backing that
// credentialDecode.unmarshal gave it.
func unused[E any](s *[]E, backing *E) {
	if len(*s) == 0 && unsafe.SliceData(*s) == backing {
		*s = nil
	}
}

// checkAmount refuses a payload with more than maxJSONValues values.
// Every value but the outermost follows a '[', ':' or ',' (outside a
// string; bytes inside strings only raise the count), so counting those
// bytes, which is vectorised and costs a few hundred nanoseconds for a
// genuine credential, bounds the values from above. Only a payload over
// that bound is scanned, which stops at the limit.
func checkAmount(payload []byte) error {
	bound := 1 + bytes.Count(payload, []byte{'['}) + bytes.Count(payload, []byte{':'}) + bytes.Count(payload, []byte{','})
	if bound <= maxJSONValues {
		return nil
	}
	_, err := payloadRules.check(payload)
	return err
}

// UnmarshalJSONFrom decodes cnf for the fast pass. The JWK in it is read
// by go-jose's own decoder, which ignores unknown members and so would
// skip over anything, at any depth; so the value is first held to the
// payload's strict profile (limits, case variants of the JWK member
// names) as if the scanner read it in place.
func (c *Confirmation) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	depth := dec.StackDepth() // the containers around cnf's value
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	v, err := decodeConfirmation(raw, depth)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// decodeConfirmation decodes cnf's value raw, nested at depth, for both
// passes: UnmarshalJSONFrom above and fastDecoder.confirmation.
func decodeConfirmation(raw []byte, depth int) (Confirmation, error) {
	if _, err := payloadRules.checkAt(raw, depth); err != nil {
		return Confirmation{}, err
	}
	// plain has Confirmation's fields but not UnmarshalJSONFrom.
	type plain Confirmation
	var v plain
	if err := jsonv2.Unmarshal(raw, &v, strictJSON); err != nil {
		return Confirmation{}, err
	}
	return Confirmation(v), nil
}

// decodePayload reads a payload into v (a pointer to a zero value, or a
// *credentialDecode), or says why not.
func decodePayload(payload []byte, v any) error {
	// This is decodePayloadFast, with checkAmount apart: when its scan
	// runs, it is the explaining scan, so its refusal is final and the
	// scan is not repeated.
	if err := checkAmount(payload); err != nil {
		return err
	}
	if err := unmarshalPayload(payload, v); err != nil {
		return explainRefusal(payload, err)
	}
	return nil
}

// explainRefusal names why v2 refused a payload. The scanner reports what
// is not JSON, beyond the limits, or a repeated or case-variant name, in
// reading order; what it passes is JSON that v2 refused for the format
// (a type, an unknown member), or for what only v2 checks (an escape of
// half a surrogate pair, a name equal to a known one under Unicode case
// folding): two readers would see different claims.
func explainRefusal(payload []byte, fastErr error) error {
	if err := checkPayloadJSON(payload); err != nil {
		return err
	}
	sentinel := ErrNotCredential
	var se *jsontext.SyntacticError
	if errors.As(fastErr, &se) {
		sentinel = ErrPayloadNotJSON
	}
	// Clipped: v2 quotes names and values, which may be kilobytes long;
	// 300 bytes keep its JSON pointer and reason readable.
	return fmt.Errorf("%w: payload: %s", sentinel, clipTo(fastErr.Error(), 300))
}

// checkPayloadJSON is the scanner's check of a payload, and refuses a
// "vc" or "vp" member among the top-level names: the JWT-wrapped VC 1.1
// shape, which VC-JOSE-COSE forbids (the payload must be the credential
// itself). That is named apart from other unknown members because it is
// the likely mistake of other software.
func checkPayloadJSON(payload []byte) error {
	top, err := payloadRules.check(payload)
	if err != nil {
		return err
	}
	for _, name := range top {
		if string(name) == "vc" || string(name) == "vp" {
			return fmt.Errorf("%w: payload has a %q claim; a VC-JOSE payload is the credential itself", ErrNotCredential, name)
		}
	}
	return nil
}

// wireHeader is the protected header as the fast pass reads it.
type wireHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
	Cty string `json:"cty"`
}

// parseHeaderFast accepts only headers parseHeaderSlow accepts, and reads
// them the same: a JSON object of the string members alg, kid, typ and cty
// with allowed values, nothing else, no repeats (TestParseHeaderFast). It
// reports false for anything else, which parseHeaderSlow then judges with
// its precise reason, so the header rules are exactly those of the slow
// path.
func parseHeaderFast(b []byte) (Header, bool) {
	var w wireHeader
	if err := jsonv2.Unmarshal(b, &w, strictJSON); err != nil {
		return Header{}, false
	}
	h := Header(w)
	ok := isAllowedAlg(h.Alg) && h.Typ == TypVC && h.Cty == CtyVC && h.Kid != "" && len(h.Kid) <= maxKidLength
	return h, ok
}
