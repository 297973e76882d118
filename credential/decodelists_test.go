package credential

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"reflect"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/skillpass-nl/skillpass/keys"
)

// credentialDecode must read every payload exactly as a decode into a
// fresh Credential does: its arrays only save allocations.
func TestCredentialDecodeMatchesFreshDecode(t *testing.T) {
	genuine, err := jsonMarshal(testCredential(t))
	if err != nil {
		t.Fatal(err)
	}
	set := func(member, value string) []byte {
		var m map[string]any
		if err := jsonv2.Unmarshal(genuine, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, member) // absent when value is ""
		if value != "" {
			var v any
			if err := jsonv2.Unmarshal([]byte(value), &v); err != nil {
				t.Fatal(err)
			}
			m[member] = v
		}
		b, err := jsonv2.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name    string
		payload []byte
		wantErr bool
	}{
		{"ok/genuine", genuine, false},
		{"ok/@context absent reads nil", set("@context", ""), false},
		{"ok/@context empty reads empty", set("@context", `[]`), false},
		{"ok/@context null reads nil", set("@context", `null`), false},
		{"ok/@context longer than its array grows", set("@context", `["a","b","c","d","e"]`), false},
		{"ok/credentialStatus absent reads nil", set("credentialStatus", ""), false},
		{"ok/credentialStatus of one", set("credentialStatus", `[{"type":"BitstringStatusListEntry"}]`), false},
		{"ok/relatedResource of three", set("relatedResource", `[{"id":"a"},{"id":"b"},{"id":"c"}]`), false},
		{"ok/type absent reads nil", set("type", ""), false},
		{"ok/issuer without type", set("issuer", `{"id":"https://x.example","name":"X"}`), false},
		{"error/type not a list", set("type", `"VerifiableCredential"`), true},
		{"error/unknown member", set("vc", `{}`), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh := new(Credential)
			freshErr := jsonv2.Unmarshal(tt.payload, fresh, strictJSON)
			d := new(credentialDecode)
			err := d.unmarshal(tt.payload)
			if (err != nil) != tt.wantErr || (freshErr != nil) != tt.wantErr {
				t.Fatalf("unmarshal = %v, fresh decode = %v, want error %v", err, freshErr, tt.wantErr)
			}
			if err != nil {
				return
			}
			if !reflect.DeepEqual(&d.Credential, fresh) {
				t.Fatalf("decoded differently:\ngot  %+v\nwant %+v", d.Credential, *fresh)
			}
			// A list in d's arrays is capped there: appending to it must
			// not write into the next array.
			c := &d.Credential
			typ, related := d.typ, d.related
			_ = append(c.Context, "x")
			_ = append(c.CredentialStatus, c.CredentialStatus...)
			if d.typ != typ || d.related != related {
				t.Fatal("appending to a decoded list wrote into another list's array")
			}
		})
	}
}

// The payload and signature share one buffer: a caller appending to
// Parsed.Payload must not change the signature that Verify checks.
func TestParsedPayloadAppendKeepsSignature(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run("ok/"+string(alg), func(t *testing.T) {
			k := newTestKey(t, alg)
			p, err := Parse(signTest(t, testCredential(t), k))
			if err != nil {
				t.Fatal(err)
			}
			if cap(p.Payload) != len(p.Payload) {
				t.Fatalf("payload has %d spare capacity", cap(p.Payload)-len(p.Payload))
			}
			sig := bytes.Clone(p.tok.signature)
			_ = append(p.Payload, bytes.Repeat([]byte{0xff}, len(sig))...)
			if !bytes.Equal(p.tok.signature, sig) {
				t.Fatal("appending to the payload changed the signature")
			}
			if err := p.Verify(&k.jwk); err != nil {
				t.Fatalf("Verify after append: %v", err)
			}
		})
	}
}

// digestOf hashes once; the digests must be those of hashing the two
// spans separately.
func TestDigestOfOnePassMatchesTwo(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	tok := signTest(t, testCredential(t), k)
	tests := []struct{ name, tok string }{
		{"ok/genuine", tok},
		{"ok/no dot", "abc"},
		{"ok/empty", ""},
		{"ok/trailing dot", tok[:strings.LastIndexByte(tok, '.')+1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := digestOf(tt.tok)
			n := max(strings.LastIndexByte(tt.tok, '.'), 0)
			if d.input != sha256.Sum256([]byte(tt.tok[:n])) {
				t.Error("input digest differs from SHA-256 of the signing input")
			}
			if d.whole != sha256.Sum256([]byte(tt.tok)) {
				t.Error("token digest differs from SHA-256 of the token")
			}
		})
	}
}

// digestOfSRI and digestOfMultibase decode into arrays of decodeRoom
// bytes; base64 may write up to DecodedLen of the accepted length.
func TestDigestDecodeRoom(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{"ok/sri", base64.StdEncoding.DecodedLen(sriLength)},
		{"ok/multibase", base64.RawURLEncoding.DecodedLen(multibaseLength)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.n > decodeRoom {
				t.Fatalf("DecodedLen %d exceeds decodeRoom %d", tt.n, decodeRoom)
			}
		})
	}
}

// BenchmarkDigestOf compares the one pass of digestOf (signing-input
// digest finished on a copy of the state) with hashing the signing input
// and the whole token separately, in the same run.
func BenchmarkDigestOf(b *testing.B) {
	k := newTestKey(b, keys.ES256)
	tok := signTest(b, testCredential(b), k)
	input := []byte(tok[:strings.LastIndexByte(tok, '.')])
	b.Run("one-pass", func(b *testing.B) {
		b.SetBytes(int64(len(tok)))
		for b.Loop() {
			_ = digestOf(tok)
		}
	})
	b.Run("two-pass", func(b *testing.B) {
		b.SetBytes(int64(len(tok)))
		for b.Loop() {
			_ = sha256.Sum256(input)
			_ = sha256.Sum256(readOnlyBytes(tok))
		}
	})
}

// BenchmarkParseHeader is the protected header check of every parse, for
// the header Skillpass's signer writes.
func BenchmarkParseHeader(b *testing.B) {
	k := newTestKey(b, keys.ES256)
	raw := header(b, k, nil)
	for b.Loop() {
		if _, err := parseHeader(raw); err != nil {
			b.Fatal(err)
		}
	}
}
