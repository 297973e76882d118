package credential

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
)

// TestCheckPartMatchesStrictBase64: checkPart accepts exactly the
// non-empty strings that strict unpadded base64url decodes, without the
// line breaks Go's decoder skips.
func TestCheckPartMatchesStrictBase64(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const chars = base64URLAlphabet + "=+/\n."
	for range 200000 {
		b := make([]byte, r.IntN(9))
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		p := string(b)
		_, decErr := base64.RawURLEncoding.Strict().DecodeString(p)
		want := p != "" && decErr == nil && !strings.ContainsAny(p, "\r\n")
		if got := checkPart(p) == nil; got != want {
			t.Fatalf("checkPart(%q) accepts = %v, strict base64url = %v", p, got, want)
		}
	}
}

// parseJWS does the compact parse itself rather than through go-jose.
// FuzzJWSAgainstGoJOSE and TestJWSAgainstGoJOSE keep it from drifting: it
// accepts only tokens go-jose's ParseSignedCompact accepts under the same
// algorithm allow-list, reads the same header, payload and signature from
// them, and its signature check agrees with go-jose's Verify for both
// algorithms' keys.
func FuzzJWSAgainstGoJOSE(f *testing.F) {
	es, ed := newTestKey(f, keys.ES256), newTestKey(f, keys.EdDSA)
	for _, s := range seedTokens(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		checkJWSAgainstGoJOSE(t, tok, es, ed)
		// Also with a genuine signature by each key over the same signing
		// input, so that accepted signatures are compared, not only
		// broken ones.
		if i := strings.LastIndexByte(tok, '.'); i >= 0 {
			for _, k := range []testKey{es, ed} {
				checkJWSAgainstGoJOSE(t, tok[:i+1]+b64(rawSignature(t, k, []byte(tok[:i]))), es, ed)
			}
		}
	})
}

func TestJWSAgainstGoJOSE(t *testing.T) {
	es, ed := newTestKey(t, keys.ES256), newTestKey(t, keys.EdDSA)
	for _, c := range parseCases() {
		t.Run(c.name, func(t *testing.T) {
			for _, k := range []testKey{es, ed} {
				checkJWSAgainstGoJOSE(t, c.token(t, k), es, ed)
			}
		})
	}
}

func checkJWSAgainstGoJOSE(t *testing.T, tok string, verifiers ...testKey) {
	t.Helper()
	ours, err := parseJWS(tok, MaxTokenBytes, nil)
	if err != nil {
		return // stricter than go-jose is allowed
	}
	obj, err := jose.ParseSignedCompact(tok, allowedAlgs)
	if err != nil {
		t.Fatalf("parseJWS accepts what go-jose refuses (%v): %q", err, tok)
	}
	if len(obj.Signatures) != 1 {
		t.Fatalf("go-jose reads %d signatures", len(obj.Signatures))
	}
	sig := obj.Signatures[0]
	if sig.Protected.Algorithm != ours.header.Alg || sig.Protected.KeyID != ours.header.Kid ||
		!bytes.Equal(obj.UnsafePayloadWithoutVerification(), ours.payload) || !bytes.Equal(sig.Signature, ours.signature) {
		t.Fatalf("parseJWS and go-jose read different tokens from %q", tok)
	}
	for _, k := range verifiers {
		ourErr := ours.verify(&k.jwk)
		_, joseErr := obj.Verify(k.jwk.Public().Key)
		if (ourErr == nil) != (joseErr == nil) {
			t.Fatalf("with the %s key: our check %v, go-jose %v", k.alg, ourErr, joseErr)
		}
	}
}

// TestDigested: Digest hashes once what Parse would hash, and its Parse
// is Parse.
func TestDigested(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	good := signTest(t, testCredential(t), k)
	tests := []struct {
		name     string
		tok      string
		hashed   bool
		parseErr error
	}{
		{"ok", good, true, nil},
		{"error/no dots", "abc", true, ErrMalformed},
		{"error/empty", "", true, ErrMalformed},
		{"error/bad signature spelling", good + "=", true, ErrMalformed},
		{"error/too large", strings.Repeat("a", MaxTokenBytes+1), false, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Digest(tt.tok)
			h, ok := d.Hash()
			if ok != tt.hashed || ok && h != sha256.Sum256([]byte(tt.tok)) {
				t.Fatalf("Hash = %x, %v", h, ok)
			}
			p, err := d.Parse()
			want, wantErr := Parse(tt.tok)
			if !errors.Is(err, tt.parseErr) || !errors.Is(wantErr, tt.parseErr) {
				t.Fatalf("Digested.Parse: %v, Parse: %v; want %v", err, wantErr, tt.parseErr)
			}
			if err != nil {
				return
			}
			if p.TokenHash != want.TokenHash || p.tok.input != want.tok.input || !reflect.DeepEqual(p.Credential, want.Credential) {
				t.Fatal("Digested.Parse and Parse differ")
			}
			if err := p.Verify(&k.jwk); err != nil {
				t.Fatal(err)
			}
		})
	}
}
