package credential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
)

// TestSignMatchesGoJOSE: signCompact writes the header and payload parts
// exactly as keys.NewJOSESigner (go-jose) does, and its signature verifies
// under go-jose and Parse alike.
func TestSignMatchesGoJOSE(t *testing.T) {
	payload := payloadOf(t, testCredential(t))
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run("ok/"+string(alg), func(t *testing.T) {
			k := newTestKey(t, alg)
			ours, err := signCompact(payload, k.signer, k.alg, k.kid, MaxTokenBytes)
			if err != nil {
				t.Fatal(err)
			}
			s, err := keys.NewJOSESigner(k.signer, string(k.alg), k.kid, map[jose.HeaderKey]any{
				jose.HeaderType: TypVC, jose.HeaderContentType: CtyVC,
			})
			if err != nil {
				t.Fatal(err)
			}
			obj, err := s.Sign(payload)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := obj.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}
			o, th := strings.Split(ours, "."), strings.Split(theirs, ".")
			if o[0] != th[0] || o[1] != th[1] {
				t.Fatalf("header or payload differ from go-jose's:\n ours %s.%s\ntheirs %s.%s", o[0], o[1], th[0], th[1])
			}
			parsed, err := jose.ParseSignedCompact(ours, allowedAlgs)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := parsed.Verify(k.jwk.Public().Key); err != nil {
				t.Fatalf("go-jose does not verify our signature: %v", err)
			}
			mustVerify(t, ours, k)
		})
	}
}

// TestSignRefusesSigner: signCompact checks the signer as NewJOSESigner
// does, with the same error classes.
func TestSignRefusesSigner(t *testing.T) {
	es, ed := newTestKey(t, keys.ES256), newTestKey(t, keys.EdDSA)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte(`{}`)
	tests := []struct {
		name   string
		k      testKey
		edit   func(k *testKey)
		want   error
		fields string
	}{
		{"error/nil signer", es, func(k *testKey) { k.signer = nil }, nil, "signer"},
		{"error/no algorithm", es, func(k *testKey) { k.alg = "" }, nil, "algorithm"},
		{"error/unknown algorithm", es, func(k *testKey) { k.alg = "HS256" }, nil, "algorithm"},
		{"error/no kid", es, func(k *testKey) { k.kid = "" }, nil, "kid"},
		{"error/kid of another key", es, func(k *testKey) { k.kid = ed.kid }, keys.ErrKeyBinding, ""},
		{"error/EdDSA key for ES256", ed, func(k *testKey) { k.alg = keys.ES256 }, keys.ErrKeyBinding, ""},
		{"error/ES256 key for EdDSA", es, func(k *testKey) { k.alg = keys.EdDSA }, keys.ErrKeyBinding, ""},
		{"error/P-384 key for ES256", es, func(k *testKey) { k.signer = p384 }, keys.ErrKeyBinding, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := tt.k
			tt.edit(&k)
			_, err := signCompact(payload, k.signer, k.alg, k.kid, MaxTokenBytes)
			_, joseErr := keys.NewJOSESigner(k.signer, string(k.alg), k.kid, nil)
			if err == nil || joseErr == nil {
				t.Fatalf("signCompact %v, NewJOSESigner %v: want both to refuse", err, joseErr)
			}
			if tt.want != nil && (!errors.Is(err, tt.want) || !errors.Is(joseErr, tt.want)) {
				t.Fatalf("signCompact %v, NewJOSESigner %v: want %v", err, joseErr, tt.want)
			}
			var ve *model.ValidationError
			if tt.fields != "" && (!errors.As(err, &ve) || !strings.Contains(err.Error(), tt.fields)) {
				t.Fatalf("signCompact %v: want a validation error on %s", err, tt.fields)
			}
		})
	}
}

func TestJOSEECDSASignature(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	digest := make([]byte, 32)
	der, err := k.signer.Sign(rand.Reader, digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		der  []byte
		ok   bool
	}{
		{"ok", der, true},
		{"error/trailing bytes", append(append([]byte{}, der...), 0), false},
		{"error/truncated", der[:len(der)-1], false},
		{"error/not ASN.1", []byte("r||s"), false},
		{"error/negative r", []byte{0x30, 0x06, 0x02, 0x01, 0xff, 0x02, 0x01, 0x01}, false},
		{"error/zero s", []byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00}, false},
		{"error/r over 256 bits", append([]byte{0x30, 0x26, 0x02, 0x21, 0x01}, append(make([]byte, 32), 0x02, 0x01, 0x01)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig, err := joseECDSASignature(tt.der)
			if (err == nil) != tt.ok {
				t.Fatalf("joseECDSASignature = %x, %v; want ok %v", sig, err, tt.ok)
			}
			if tt.ok && len(sig) != esSignatureSize {
				t.Fatalf("signature is %d bytes", len(sig))
			}
		})
	}
	t.Run("ok/verifies", func(t *testing.T) {
		sig, err := joseECDSASignature(der)
		if err != nil {
			t.Fatal(err)
		}
		tok := &token{signature: sig}
		copy(tok.input[:], digest)
		if !tok.checkSignature(k.signer.Public()) {
			t.Fatal("converted signature does not verify")
		}
	})
}
