package credential

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/skillpass-nl/skillpass/model"
)

// Digest encodings. The registry writes digests as "sha256:<hex>"; VCDM 2.0
// wants relatedResource.digestSRI (W3C Subresource Integrity,
// "sha256-<base64>") and evidence digestMultibase (multibase base64url of
// a multihash). Each converter has an exact inverse so that a digest has one
// spelling in each form and the verifier can compare strings.

const (
	sriPrefix = "sha256-"
	// multihashSHA256 is the multihash header of a SHA-256 digest:
	// function code 0x12, length 0x20.
	multihashSHA256 = "\x12\x20"
	sha256Size      = 32
)

// DigestSRI converts a profile digest "sha256:<hex>" to its SRI form
// "sha256-<standard base64>".
func DigestSRI(digest string) (string, error) {
	sum, err := parseHexDigest(digest)
	if err != nil {
		return "", err
	}
	return sriPrefix + base64.StdEncoding.EncodeToString(sum), nil
}

// ParseDigestSRI is the inverse of DigestSRI. A malformed value is an
// ErrNotCredential error.
func ParseDigestSRI(sri string) (string, error) {
	b64, ok := strings.CutPrefix(sri, sriPrefix)
	sum, err := base64.StdEncoding.Strict().DecodeString(b64)
	if !ok || err != nil || len(sum) != sha256Size || strings.ContainsAny(b64, "\r\n") {
		return "", fmt.Errorf("%w: digestSRI %q is not sha256- and the base64 of 32 bytes", ErrNotCredential, clip(sri))
	}
	return model.DigestPrefix + hex.EncodeToString(sum), nil
}

// DigestMultibase converts a document digest "sha256:<hex>" to the VCDM 2.0
// digestMultibase form: "u" + base64url (no padding) of the SHA-256
// multihash 0x12 0x20 || digest.
func DigestMultibase(digest string) (string, error) {
	sum, err := parseHexDigest(digest)
	if err != nil {
		return "", err
	}
	return "u" + base64.RawURLEncoding.EncodeToString(append([]byte(multihashSHA256), sum...)), nil
}

// ParseDigestMultibase is the inverse of DigestMultibase. A malformed value
// is an ErrNotCredential error.
func ParseDigestMultibase(mb string) (string, error) {
	b64, ok := strings.CutPrefix(mb, "u")
	raw, err := base64.RawURLEncoding.Strict().DecodeString(b64)
	if !ok || err != nil || len(raw) != len(multihashSHA256)+sha256Size ||
		string(raw[:2]) != multihashSHA256 || strings.ContainsAny(b64, "\r\n") {
		return "", fmt.Errorf("%w: digestMultibase %q is not a multibase base64url SHA-256 multihash", ErrNotCredential, clip(mb))
	}
	return model.DigestPrefix + hex.EncodeToString(raw[2:]), nil
}

// parseHexDigest reads "sha256:" and 64 lower-case hex digits, the one
// spelling model.ProfileDigest produces.
func parseHexDigest(digest string) ([]byte, error) {
	h, ok := strings.CutPrefix(digest, model.DigestPrefix)
	sum, err := hex.DecodeString(h)
	if !ok || err != nil || len(sum) != sha256Size || strings.ToLower(h) != h {
		return nil, fmt.Errorf("digest %q is not %s followed by 64 lower-case hex digits", clip(digest), model.DigestPrefix)
	}
	return sum, nil
}
