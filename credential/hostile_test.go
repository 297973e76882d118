package credential

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/keys"
)

// hostileShape is a payload built to cost the parser as much as possible
// within MaxTokenBytes: a prefix, one unit repeated to fill the budget, a
// suffix.
type hostileShape struct {
	name                 string
	want                 error // what Parse says
	prefix, unit, suffix string
	// numbered units get a distinct decimal number in place of "%d", so
	// that member names do not repeat.
	numbered bool
	// inHeader shapes are the protected header, with a genuine payload.
	inHeader bool
}

func hostileShapes() []hostileShape {
	return []hostileShape{
		{name: "duplicate keys", want: ErrDuplicateKey, prefix: `{`, unit: `"iss":"x",`, suffix: `"iss":"x"}`},
		{name: "case-variant keys", want: ErrNotCredential, prefix: `{`, unit: `"ISS":"x",`, suffix: `"ISS":"x"}`},
		{name: "many members", want: ErrPayloadNotJSON, prefix: `{`, unit: `"m%d":0,`, suffix: `"m":0}`, numbered: true},
		{name: "many members nested", want: ErrPayloadNotJSON, prefix: `{"credentialSubject":{"achievement":[{"criteria":{`, unit: `"m%d":0,`, suffix: `"m":0}}]}}`, numbered: true},
		{name: "many values", want: ErrPayloadNotJSON, prefix: `{"type":[`, unit: `"a",`, suffix: `"a"]}`},
		{name: "many objects", want: ErrPayloadNotJSON, prefix: `{"credentialSubject":{"achievement":[`, unit: `{},`, suffix: `{}]}}`},
		{name: "long number", want: ErrPayloadNotJSON, prefix: `{"iat":1`, unit: `0`, suffix: `}`},
		{name: "long fraction", want: ErrPayloadNotJSON, prefix: `{"x":0.`, unit: `1`, suffix: `}`},
		{name: "deep nesting", want: ErrPayloadNotJSON, prefix: `{"type":[`, unit: `[[[[[[[[[[[[[[]]]]]]]]]]]]]],`, suffix: `[]]}`},
		{name: "escaped string", want: ErrNotCredential, prefix: `{"name":"`, unit: `\u00e9`, suffix: `"}`},
		{name: "escaped string then wrong type", want: ErrNotCredential, prefix: `{"name":"`, unit: `\u00e9`, suffix: `","iat":"x"}`},
		{name: "escaped names", want: ErrPayloadNotJSON, prefix: `{`, unit: `"\u0069%d":0,`, suffix: `"m":0}`, numbered: true},
		{name: "header duplicate keys", want: ErrMalformed, inHeader: true, prefix: `{`, unit: `"alg":"ES256",`, suffix: `"alg":"ES256"}`},
		{name: "header many members", want: ErrMalformed, inHeader: true, prefix: `{"alg":"ES256",`, unit: `"m%d":0,`, suffix: `"m":0}`, numbered: true},
		{name: "header long kid", want: ErrMalformed, inHeader: true, prefix: `{"alg":"ES256","typ":"vc+jwt","cty":"vc","kid":"`, unit: `k`, suffix: `"}`},
	}
}

// payload fills n bytes (or a little less) with the shape.
func (s hostileShape) payload(n int) []byte {
	var b bytes.Buffer
	b.WriteString(s.prefix)
	for i := 0; ; i++ {
		u := s.unit
		if s.numbered {
			u = strings.Replace(u, "%d", fmt.Sprint(i), 1)
		}
		if b.Len()+len(u)+len(s.suffix) > n {
			break
		}
		b.WriteString(u)
	}
	b.WriteString(s.suffix)
	return b.Bytes()
}

// hostileToken is the shape as a signed token of close to size bytes.
func hostileToken(tb testing.TB, k testKey, s hostileShape, size int) string {
	tb.Helper()
	h, p := header(tb, k, nil), payloadOf(tb, testCredential(tb))
	// base64url turns 3 bytes into 4; leave room for the other part, dots
	// and an ES256 signature.
	var tok string
	if s.inHeader {
		tok = rawToken(tb, k, s.payload((size-len(b64(p))-2-86)*3/4), p)
	} else {
		tok = rawToken(tb, k, h, s.payload((size-len(b64(h))-2-86)*3/4))
	}
	if len(tok) > size || len(tok) < size-64 {
		tb.Fatalf("%s: token is %d bytes, want just under %d", s.name, len(tok), size)
	}
	return tok
}

// BenchmarkParseHostile measures what a hostile token of MaxTokenBytes
// costs the verifier (Digest and Parse, as verifier.verifyCached calls
// them) against Digest, Parse and Verify of a genuine ES256 credential,
// interleaved in one loop so that load on the machine weighs on both. The
// x_genuine metric is the ratio: a hostile token should cost no more than
// a few genuine ones.
func BenchmarkParseHostile(b *testing.B) {
	k := newTestKey(b, keys.ES256)
	genuine := signTest(b, testCredential(b), k)
	for _, s := range hostileShapes() {
		tok := hostileToken(b, k, s, MaxTokenBytes)
		b.Run(strings.ReplaceAll(s.name, " ", "_"), func(b *testing.B) {
			var good, bad time.Duration
			for b.Loop() {
				t0 := time.Now()
				p, err := Digest(genuine).Parse()
				if err != nil {
					b.Fatal(err)
				}
				if err := p.Verify(&k.jwk); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := Digest(tok).Parse(); err == nil {
					b.Fatal("hostile token accepted")
				}
				bad += time.Since(t1)
				good += t1.Sub(t0)
			}
			reportNsPerOp(b, good, "genuine-ns/op")
			reportNsPerOp(b, bad, "hostile-ns/op")
			b.ReportMetric(float64(bad)/float64(good), "x_genuine")
		})
	}
}

// TestParseHostile: each hostile shape at MaxTokenBytes is refused with
// its stable reason (and, as BenchmarkParseHostile shows, cheaply).
func TestParseHostile(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	for _, s := range hostileShapes() {
		t.Run("error/"+s.name, func(t *testing.T) {
			_, err := Parse(hostileToken(t, k, s, MaxTokenBytes))
			checkErr(t, err, s.want, "")
		})
	}
}

// TestParseHolderKeyStrict: cnf's JWK is decoded by go-jose, which skips
// members it does not know however deep or many; the payload's limits and
// case rules hold inside it all the same.
func TestParseHolderKeyStrict(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	c := testCredential(t)
	holder := newTestKey(t, keys.ES256)
	pub := holder.jwk.Public()
	c.Cnf = &Confirmation{JWK: &pub}
	good := string(payloadOf(t, c))
	if !strings.Contains(good, `"jwk":{"use":"sig",`) && !strings.Contains(good, `"jwk":{`) {
		t.Fatalf("no jwk in %s", good)
	}
	inJWK := func(members string) string { return strings.Replace(good, `"jwk":{`, `"jwk":{`+members, 1) }
	var many strings.Builder
	for i := range maxObjectMembers {
		fmt.Fprintf(&many, `"x%d":0,`, i)
	}
	tests := []struct {
		name    string
		payload string
		want    error
	}{
		{"ok", good, nil},
		{"ok/unknown member", inJWK(`"ext":true,`), nil},
		{"ok/nested to the limit", inJWK(`"ext":` + strings.Repeat("[", maxJSONDepth-3) + strings.Repeat("]", maxJSONDepth-3) + `,`), nil},
		{"error/nested too deep", inJWK(`"ext":` + strings.Repeat("[", maxJSONDepth-2) + strings.Repeat("]", maxJSONDepth-2) + `,`), ErrPayloadNotJSON},
		{"error/too many members", inJWK(many.String()), ErrPayloadNotJSON},
		{"error/number too long", inJWK(`"ext":` + strings.Repeat("9", maxNumberLength+1) + `,`), ErrPayloadNotJSON},
		{"error/case variant", strings.Replace(good, `"crv":`, `"CRV":`, 1), ErrNotCredential},
		{"error/duplicate", inJWK(`"kty":"EC",`), ErrDuplicateKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(rawToken(t, k, header(t, k, nil), []byte(tt.payload)))
			checkErr(t, err, tt.want, "")
			if err == nil && p.Credential.Cnf.JWK.KeyID != pub.KeyID {
				t.Errorf("holder key %+v", p.Credential.Cnf.JWK)
			}
			checkDecodeAgrees[Credential](t, []byte(tt.payload))
		})
	}
}

// TestSignRefusesTooManyValues: Sign refuses what Parse would refuse for
// its number of values, even within MaxTokenBytes.
func TestSignRefusesTooManyValues(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	tests := []struct {
		name  string
		types int
		want  error
	}{
		{"ok", 10, nil},
		{"error/too many values", maxJSONValues, errInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCredential(t)
			for range tt.types {
				c.CredentialSubject.Type = append(c.CredentialSubject.Type, "x")
			}
			tok, err := Sign(c, k.signer, k.alg, k.kid)
			checkErr(t, err, tt.want, "skills")
			if err == nil {
				if _, err := Parse(tok); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestHeaderSize: a header longer than maxHeaderBytes is refused before
// its JSON is read; the longest one the other rules accept fits.
func TestHeaderSize(t *testing.T) {
	k := newTestKey(t, keys.ES256)
	esc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	longest := `{"` + esc("alg") + `":"` + esc("ES256") + `","` + esc("kid") + `":"` + esc(strings.Repeat("k", maxKidLength)) +
		`","` + esc("typ") + `":"` + esc(TypVC) + `","` + esc("cty") + `":"` + esc(CtyVC) + `"}`
	padded := func(n int) string {
		return `{"alg":"ES256",` + strings.Repeat(" ", n) + `"kid":"k","typ":"vc+jwt","cty":"vc"}`
	}
	tests := []struct {
		name   string
		header string
		want   error
	}{
		{"ok/longest kid, all escaped", longest, nil},
		{"ok/padded to the limit", padded(maxHeaderBytes - len(padded(0))), nil},
		{"error/padded over the limit", padded(maxHeaderBytes - len(padded(0)) + 1), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.header) > maxHeaderBytes && tt.want == nil {
				t.Fatalf("header of %d bytes", len(tt.header))
			}
			_, err := parseJWS(rawToken(t, k, []byte(tt.header), []byte(`{}`)), MaxTokenBytes, nil)
			checkErr(t, err, tt.want, "")
		})
	}
}
