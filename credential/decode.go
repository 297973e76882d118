package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Decoding in two passes, a fast one and a telling one.
//
// The fast pass is one strict encoding/json/v2 decode (the
// go-json-experiment module that Go's encoding/json/v2 comes from). Under
// strictJSON it refuses everything the strict profile of jsoncheck.go
// refuses: invalid UTF-8 (also in escapes: lone surrogates), a repeated
// member name, any member the format does not know, and so any name that
// differs only in case from a known one (v2 matches names exactly).
// Nesting needs no bound of its own here: every member is decoded into a
// fixed Go type at most seven levels deep, so anything deeper is an unknown
// member or a type error, and v2 skips values without recursion.
//
// Only when the fast pass refuses does the telling pass run: the original
// scanner and encoding/json v1 decoder, whose errors name the stable
// reason (PAYLOAD_NOT_JSON, DUPLICATE_JSON_KEY, CREDENTIAL_MALFORMED) in
// the documented order. So a refusal costs both passes; an acceptance only
// the fast one. The fast pass is never more lenient than the telling one:
// TestDecodeDifferential and FuzzDecodeDifferential hold them together.

// strictJSON are the v2 options of the fast pass. Duplicate names and
// invalid UTF-8 are refused by v2's defaults; they are spelled out so that
// no change of default can loosen them.
var strictJSON = jsonv2.JoinOptions(
	jsonv2.RejectUnknownMembers(true),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

// decodePayloadFast is the fast pass over a payload.
func decodePayloadFast(payload []byte, v any) error {
	return jsonv2.Unmarshal(payload, v, strictJSON)
}

// decodePayload reads a payload into a fresh *T, by the fast pass if it
// accepts and otherwise by the telling one for the precise error.
func decodePayload[T any](payload []byte) (*T, error) {
	v := new(T)
	fastErr := decodePayloadFast(payload, v)
	if fastErr == nil {
		return v, nil
	}
	if err := decodePayloadStrict(payload, new(T)); err != nil {
		return nil, err
	}
	// Only what v2 refuses beyond v1 gets here: a name that equals a known
	// one under Unicode case folding ("ſ" for "s"), a \u escape of half a
	// surrogate pair (v1 reads U+FFFD). Refused, because two readers would
	// see different claims.
	sentinel := ErrNotCredential
	var se *jsontext.SyntacticError
	if errors.As(fastErr, &se) {
		sentinel = ErrPayloadNotJSON
	}
	return nil, fmt.Errorf("%w: payload: %v", sentinel, fastErr)
}

// decodePayloadStrict is the telling pass: the strict JSON checks, then
// encoding/json v1 into v. A "vc" or "vp" member is the JWT-wrapped VC 1.1
// shape, which VC-JOSE-COSE forbids: the payload must be the credential
// itself.
func decodePayloadStrict(payload []byte, v any) error {
	top, err := payloadRules.check(payload)
	if err != nil {
		return err
	}
	for _, name := range top {
		if string(name) == "vc" || string(name) == "vp" {
			return fmt.Errorf("%w: payload has a %q claim; a VC-JOSE payload is the credential itself", ErrNotCredential, name)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrNotCredential, err)
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
