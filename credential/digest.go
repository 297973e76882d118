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
	sum, err := digestOfSRI(sri)
	if err != nil {
		return "", err
	}
	return model.DigestPrefix + hex.EncodeToString(sum[:]), nil
}

var (
	// sriLength is the length of the base64 of a SHA-256 digest, padded.
	sriLength = base64.StdEncoding.EncodedLen(sha256Size)
	// strictStdBase64 is made once: Strict returns a new *Encoding.
	strictStdBase64 = base64.StdEncoding.Strict()
)

// decodeRoom is the size of the buffers digests are decoded into: at
// least base64's DecodedLen of the lengths checked (33 for sriLength, 34
// for multibaseLength), which Decode may write up to.
const decodeRoom = 36

// digestOfSRI is ParseDigestSRI's check and decoding, without the
// allocations of the hex form: validate runs it on every parse. The
// length is checked first because it also bounds what Decode writes.
func digestOfSRI(sri string) ([sha256Size]byte, error) {
	var buf [decodeRoom]byte
	b64, ok := strings.CutPrefix(sri, sriPrefix)
	if ok && len(b64) == sriLength && !strings.ContainsAny(b64, "\r\n") {
		if n, err := strictStdBase64.Decode(buf[:], readOnlyBytes(b64)); err == nil && n == sha256Size {
			return [sha256Size]byte(buf[:sha256Size]), nil
		}
	}
	return [sha256Size]byte{}, fmt.Errorf("%w: digestSRI %q is not sha256- and the base64 of 32 bytes", ErrNotCredential, clip(sri))
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
	sum, err := digestOfMultibase(mb)
	if err != nil {
		return "", err
	}
	return model.DigestPrefix + hex.EncodeToString(sum[:]), nil
}

// multibaseLength is the length of the base64url of a SHA-256 multihash.
var multibaseLength = base64.RawURLEncoding.EncodedLen(len(multihashSHA256) + sha256Size)

// digestOfMultibase is ParseDigestMultibase's check and decoding, without
// allocations (see digestOfSRI).
func digestOfMultibase(mb string) ([sha256Size]byte, error) {
	var raw [decodeRoom]byte
	b64, ok := strings.CutPrefix(mb, "u")
	if ok && len(b64) == multibaseLength && !strings.ContainsAny(b64, "\r\n") {
		n, err := strictBase64URL.Decode(raw[:], readOnlyBytes(b64))
		if err == nil && n == len(multihashSHA256)+sha256Size && string(raw[:2]) == multihashSHA256 {
			return [sha256Size]byte(raw[2:n]), nil
		}
	}
	return [sha256Size]byte{}, fmt.Errorf("%w: digestMultibase %q is not a multibase base64url SHA-256 multihash", ErrNotCredential, clip(mb))
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
