package credential

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/statuslist"
)

// The hand-written decoder (fastdecode.go) against the v2 pass it stands
// in front of. The reference is decodePayload into a plain *Credential:
// checkAmount, the strict v2 decode and explainRefusal, with no
// hand-written code on the way.

// checkFastAgrees fails if fastDecode accepts what the v2 pass refuses or
// decodes differently, or if Parse's path (decodePayload into a
// credentialDecode) differs from the v2 pass in result or error. It
// reports whether fastDecode accepted.
func checkFastAgrees(t *testing.T, payload []byte) bool {
	t.Helper()
	var fast Credential
	fastOK := fastDecode(payload, &fast, nil)
	ref := new(Credential)
	refErr := decodePayload(payload, ref)
	if fastOK && refErr != nil {
		t.Fatalf("fast path accepts what the v2 pass refuses (%v):\n%q", refErr, payload)
	}
	if fastOK && !reflect.DeepEqual(&fast, ref) {
		t.Fatalf("fast path decodes differently:\nfast %+v\nv2   %+v\ninput %q", fast, *ref, payload)
	}
	if !fastOK && !reflect.DeepEqual(fast, Credential{}) {
		t.Fatalf("fast path declined but wrote %+v", fast)
	}
	d := new(credentialDecode)
	err := decodePayload(payload, d)
	if fmt.Sprint(err) != fmt.Sprint(refErr) {
		t.Fatalf("Parse's decode says %v; the v2 pass says %v\ninput %q", err, refErr, payload)
	}
	if err == nil && !reflect.DeepEqual(&d.Credential, ref) {
		t.Fatalf("Parse's decode differs:\ngot %+v\nv2  %+v", d.Credential, *ref)
	}
	return fastOK
}

// fastShapeProfile is the test profile with a third competency that has
// a five-level scale with descriptions, and texts that the encoder must
// escape or that are not ASCII.
func fastShapeProfile(t testing.TB) *model.ProfileVersion {
	t.Helper()
	p := testProfile(t)
	var levels []model.Level
	for i := 1; i <= 5; i++ {
		levels = append(levels, model.Level{
			ID:          strconv.Itoa(i),
			Name:        model.Text{NL: fmt.Sprintf("Niveau %d", i), EN: fmt.Sprintf(`Level "%d" <&>`, i)},
			Description: model.Text{NL: "Beschrijving\tmet tab\nen regel", EN: "Crème brûlée 😀 \u2028 \\ back"},
		})
	}
	p.Competencies = append(p.Competencies, model.Competency{
		ID:          "storing-verhelpen",
		Name:        model.Text{NL: "Storingen verhelpen", EN: "Fix \"faults\""},
		Description: model.Text{EN: "Diagnoses — and fixes — faults."},
		Alignments: []model.Alignment{
			{Framework: model.FrameworkESCO, FrameworkVersion: "1.2.0", TargetURL: "http://data.europa.eu/esco/skill/1d2a1f3e-4b5c-4d6e-8f70-1a2b3c4d5e6f", TargetName: "fix faults"},
			{Framework: model.FrameworkCompetentNL, FrameworkVersion: "2024", TargetCode: "CNL-0043"},
			{Framework: model.FrameworkCompetentNL, FrameworkVersion: "2025", TargetCode: "CNL-0044"},
		},
		Levels: levels,
	})
	d, err := model.ProfileDigest(p)
	if err != nil {
		t.Fatal(err)
	}
	p.Digest = d
	return p
}

// fastShapes are payloads of every shape build.go emits: with and without
// a holder key (both key types), evidence, validUntil, and with one to
// three skills, each as New builds it and jsonMarshal writes it.
func fastShapes(t testing.TB) map[string][]byte {
	t.Helper()
	profile := fastShapeProfile(t)
	ecKey := newTestKey(t, keys.ES256).jwk
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edKey := jose.JSONWebKey{Key: edPub, KeyID: "holder-ed", Algorithm: "EdDSA", Use: "sig"}
	evidence := []EvidenceRef{
		{URL: "https://evidence.example/portfolio/123", Name: "Praktijkopdracht \"koelen\"", Digest: "sha256:" + hexOf([32]byte{1})},
		{URL: "https://evidence.example/report?id=7&v=2"},
	}
	skills := []Skill{
		{CompetencyID: "warmtepomp-installeren", LevelID: "2", Method: "PRACTICAL_ASSESSMENT", Evidence: evidence},
		{CompetencyID: "koudemiddelen", LevelID: "basis", Method: "EXAM"},
		{CompetencyID: "storing-verhelpen", LevelID: "5", Method: "EVC_PORTFOLIO", Evidence: evidence[:1]},
	}
	variants := map[string]func(in *BuildInput){
		"default":      func(*BuildInput) {},
		"one skill":    func(in *BuildInput) { in.Skills = in.Skills[1:2] },
		"three skills": func(in *BuildInput) { in.Skills = skills },
		"no evidence": func(in *BuildInput) {
			in.Skills = []Skill{skills[1], {CompetencyID: "storing-verhelpen", LevelID: "1", Method: "OTHER"}}
		},
		"no validUntil":      func(in *BuildInput) { in.ValidUntil = time.Time{} },
		"holder key ES256":   func(in *BuildInput) { in.HolderKey = &ecKey },
		"holder key Ed25519": func(in *BuildInput) { in.HolderKey = &edKey; in.Skills = skills },
		"large status index": func(in *BuildInput) { in.StatusIndex, in.StatusList = 131071, 7 },
		"urn holder":         func(in *BuildInput) { in.HolderID = "urn:uuid:" + testUUID },
	}
	out := make(map[string][]byte, len(variants))
	for name, change := range variants {
		in := testInput(t)
		in.Profile = profile
		change(&in)
		c, err := New(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = payloadOf(t, c)
	}
	// Texts from the registry (legal names) with what jsonMarshal escapes.
	c := testCredential(t)
	c.Issuer.Name = "Opleiding \"De Koude\" & Zn <b> \u0001 \u2029 é 😀"
	out["escaped issuer name"] = payloadOf(t, c)
	return out
}

// reshaped is payload with its members sorted by name and white space of
// all four kinds around every token: the same credential, spelled as
// other software might.
func reshaped(t testing.TB, payload []byte) []byte {
	t.Helper()
	var v any
	if err := jsonv2.Unmarshal(payload, &v); err != nil {
		t.Fatal(err)
	}
	b, err := jsonv2.Marshal(v, jsonv2.Deterministic(true))
	if err != nil {
		t.Fatal(err)
	}
	val := jsontext.Value(b)
	if err := val.Indent(jsontext.WithIndentPrefix(" "), jsontext.WithIndent("\t")); err != nil {
		t.Fatal(err)
	}
	return append([]byte(" \r\n"), bytes.ReplaceAll(val, []byte("\n"), []byte("\r\n"))...)
}

// TestFastDecodeShapes: every shape Skillpass emits, also reordered and
// spaced out, is decoded by the fast path (else it would save nothing),
// and exactly as by the v2 pass.
func TestFastDecodeShapes(t *testing.T) {
	for name, payload := range fastShapes(t) {
		for _, form := range []struct {
			name    string
			payload []byte
		}{{"ok/" + name, payload}, {"ok/" + name + " reordered and spaced", reshaped(t, payload)}} {
			t.Run(form.name, func(t *testing.T) {
				if !checkFastAgrees(t, form.payload) {
					t.Fatalf("fast path declines a payload Skillpass emits:\n%s", form.payload)
				}
			})
		}
	}
}

// TestFastDecodeDifferential: near misses of a genuine payload, the
// payloads of the Parse, hostile and decode test tables, and every prefix
// of genuine payloads. The fast path may decline anything; what it
// accepts must agree with v2, and it must accept what wantFast says.
func TestFastDecodeDifferential(t *testing.T) {
	good := string(payloadOf(t, testCredential(t)))
	holderKey := newTestKey(t, keys.ES256)
	holder := holderKey.jwk.Public()
	withCnf := testCredential(t)
	withCnf.Cnf = &Confirmation{JWK: &holder}
	cnf := string(payloadOf(t, withCnf))
	emptyCriteria := testCredential(t)
	emptyCriteria.CredentialSubject.Achievement[0].Criteria = Criteria{} // "criteria":{}
	absentLists := testCredential(t)
	absentLists.Evidence = nil // omitted
	absentLists.CredentialSubject.Achievement[1].Alignment = []Alignment{}
	rep := func(s, old, new string) []byte {
		if !strings.Contains(s, old) {
			t.Fatalf("no %q in the payload", old)
		}
		return []byte(strings.Replace(s, old, new, 1))
	}
	tests := []struct {
		name     string
		payload  []byte
		wantFast bool
	}{
		{"ok", []byte(good), true},
		{"ok/holder key", []byte(cnf), true},
		{"ok/escapes in values", rep(good, `"name":"Heat pump installer"`, `"name":"H\u0065at \"pump\" \\ \/ \b\f\n\r\t \ud83d\ude00 \u00E9"`), true},
		{"ok/NUL, BOM and the extreme escapes", rep(good, `"name":"Heat pump installer"`, `"name":"\u0000 \ufeff \uFFFF \ud800\udc00 \uDBFF\uDFFF \u007f \u0080 \u07ff \u0800"`), true},
		{"ok/raw non-ASCII", rep(good, `"name":"Heat pump installer"`, "\"name\":\"\u0080 \u07ff \u0800 \ufffd \ufffe \U0010FFFF \U00010000\""), true},
		{"ok/as many escapes as the fast path reads", rep(good, `"name":"Heat pump installer"`, `"name":"`+strings.Repeat(`\u00e9`, maxFastEscapes)+`"`), true},
		{"ok/empty lists", rep(good, `"type":["AchievementSubject"]`, `"type":[]`), true},
		{"ok/empty object", payloadOf(t, emptyCriteria), true},
		{"ok/iat zero", rep(good, `"iat":1795694400`, `"iat":0`), true},
		{"ok/iat max", rep(good, `"iat":1795694400`, `"iat":9223372036854775807`), true},
		{"ok/absent lists", payloadOf(t, absentLists), true},
		{"ok/iat absent", rep(good, `,"iat":1795694400`, ``), true},
		{"ok/cnf empty object", rep(good, `"iat":`, `"cnf":{},"iat":`), true},
		{"ok/cnf with unknown jwk member", rep(cnf, `"jwk":{`, `"jwk":{"ext":true,`), true},
		{"ok/cnf nested to the limit", rep(cnf, `"jwk":{`, `"jwk":{"ext":`+strings.Repeat("[", maxJSONDepth-3)+strings.Repeat("]", maxJSONDepth-3)+`,`), true},

		{"error/cnf nested too deep", rep(cnf, `"jwk":{`, `"jwk":{"ext":`+strings.Repeat("[", maxJSONDepth-2)+strings.Repeat("]", maxJSONDepth-2)+`,`), false},
		{"error/cnf duplicate", rep(cnf, `"jwk":{`, `"jwk":{"kty":"EC",`), false},
		{"error/cnf case variant", rep(cnf, `"crv":`, `"CRV":`), false},
		{"error/cnf not an object", rep(good, `"iat":`, `"cnf":[],"iat":`), false},
		{"error/cnf truncated", []byte(cnf[:strings.Index(cnf, `"jwk":{`)+10]), false},
		{"error/duplicate top level", rep(good, `"iat":`, `"iss":"x","iat":`), false},
		{"error/duplicate in subject", rep(good, `"type":["AchievementSubject"]`, `"type":["AchievementSubject"],"id":"did:example:x"`), false},
		{"error/duplicate in achievement", rep(good, `"achievementType":"Competency"`, `"achievementType":"Competency","achievementType":"Badge"`), false},
		{"error/duplicate in status entry", rep(good, `"statusPurpose":"revocation"`, `"statusPurpose":"revocation","statusPurpose":"suspension"`), false},
		{"error/duplicate list", rep(good, `"@context":`, `"@context":[],"@context":`), false},
		{"error/case variant", rep(good, `"iat":`, `"IAT":`), false},
		{"error/case variant nested", rep(good, `"narrative":`, `"Narrative":`), false},
		{"error/unicode case variant", rep(good, `"iss":`, `"i\u017fs":`), false},
		{"error/escaped name", rep(good, `"iss":`, `"\u0069ss":`), false},
		{"error/unknown member", rep(good, `"iat":`, `"extra":1,"iat":`), false},
		{"error/vc claim", rep(good, `"iat":`, `"vc":{},"iat":`), false},
		{"error/null string", rep(good, `"name":"Heat pump installer"`, `"name":null`), false},
		{"error/null list", rep(good, `"type":["AchievementSubject"]`, `"type":null`), false},
		{"error/null in list", rep(good, `"type":["AchievementSubject"]`, `"type":[null]`), false},
		{"error/null object", rep(good, `"criteria":{`, `"criteria":null,"x":{`), false},
		{"error/null cnf", rep(good, `"iat":`, `"cnf":null,"iat":`), false},
		{"error/number for string", rep(good, `"name":"Heat pump installer"`, `"name":1`), false},
		{"error/string for list", rep(good, `"type":["AchievementSubject"]`, `"type":"AchievementSubject"`), false},
		{"error/object for list", rep(good, `"type":["AchievementSubject"]`, `"type":{}`), false},
		{"error/string for iat", rep(good, `"iat":1795694400`, `"iat":"1795694400"`), false},
		{"error/fraction for iat", rep(good, `"iat":1795694400`, `"iat":1795694400.5`), false},
		{"error/exponent for iat", rep(good, `"iat":1795694400`, `"iat":1.7956944e9`), false},
		{"error/negative iat", rep(good, `"iat":1795694400`, `"iat":-1795694400`), false},
		{"error/minus zero iat", rep(good, `"iat":1795694400`, `"iat":-0`), false},
		{"error/leading zero iat", rep(good, `"iat":1795694400`, `"iat":01795694400`), false},
		{"error/iat overflows", rep(good, `"iat":1795694400`, `"iat":9223372036854775808`), false},
		{"error/iat 20 digits", rep(good, `"iat":1795694400`, `"iat":10000000000000000000`), false},
		{"error/true for string", rep(good, `"name":"Heat pump installer"`, `"name":true`), false},
		{"error/fast only: more escapes than the fast path reads", rep(good, `"name":"Heat pump installer"`, `"name":"`+strings.Repeat(`\u00e9`, maxFastEscapes+1)+`"`), false},
		{"error/fast only: iat of 48 KB", rep(good, `"iat":1795694400`, `"iat":1`+strings.Repeat("0", 48<<10)), false},
		{"error/trailing data", []byte(good + " {}"), false},
		{"error/trailing comma", []byte(good[:len(good)-1] + ",}"), false},
		{"error/trailing comma in list", rep(good, `"type":["AchievementSubject"]`, `"type":["AchievementSubject",]`), false},
		{"error/missing comma", rep(good, `,"iat":`, ` "iat":`), false},
		{"error/missing colon", rep(good, `"iat":`, `"iat" `), false},
		{"error/invalid UTF-8", rep(good, "Heat pump", "Heat \xff pump"), false},
		{"error/encoded surrogate", rep(good, "Heat pump", "Heat \xed\xa0\x80 pump"), false},
		{"error/overlong encoding", rep(good, "Heat pump", "Heat \xc0\xaf pump"), false},
		{"error/control character", rep(good, "Heat pump", "Heat\x01pump"), false},
		{"error/raw tab in string", rep(good, "Heat pump", "Heat\tpump"), false},
		{"error/lone high surrogate", rep(good, "Heat pump", `Heat \ud800 pump`), false},
		{"error/lone low surrogate", rep(good, "Heat pump", `Heat \udc00 pump`), false},
		{"error/two high surrogates", rep(good, "Heat pump", `Heat \ud800\ud800 pump`), false},
		{"error/surrogate then other escape", rep(good, "Heat pump", `Heat \ud800\n pump`), false},
		{"error/short unicode escape", rep(good, "Heat pump", `Heat \u00e pump`), false},
		{"error/unknown escape", rep(good, "Heat pump", `Heat \x41 pump`), false},
		{"error/not an object", []byte(`[` + good + `]`), false},
		{"error/empty", nil, false},
		{"error/vertical tab as space", []byte("\v" + good), false},
		{"error/non-breaking space as space", []byte("\u00a0" + good), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkFastAgrees(t, tt.payload); got != tt.wantFast {
				t.Errorf("fast path accepts = %v, want %v", got, tt.wantFast)
			}
		})
	}
	t.Run("corpora", func(t *testing.T) {
		for name, p := range fastCorpus(t) {
			t.Run(name, func(t *testing.T) { checkFastAgrees(t, p) })
		}
	})
	t.Run("prefixes", func(t *testing.T) {
		for _, p := range [][]byte{[]byte(good), []byte(cnf), reshaped(t, []byte(cnf))} {
			for i := range len(p) {
				if checkFastAgrees(t, p[:i]) {
					t.Fatalf("fast path accepts a prefix of %d bytes", i)
				}
			}
		}
	})
}

// fastCorpus is every payload of the other tables: Parse's cases, the
// hostile shapes, the committed fuzz corpora of both decode fuzzers and of
// FuzzParse.
func fastCorpus(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	k := newTestKey(t, keys.ES256)
	for _, c := range parseCases() {
		if p, ok := payloadOfToken(c.token(t, k)); ok {
			out["parse/"+c.name] = p
		}
	}
	for _, s := range hostileShapes() {
		out["hostile/"+s.name] = s.payload(hostileSeedBytes)
	}
	for _, target := range []string{"FuzzDecodeDifferential", "FuzzFastDecodeDifferential", "FuzzParse"} {
		dir := filepath.Join("testdata", "fuzz", target)
		entries, _ := os.ReadDir(dir) // FuzzFastDecodeDifferential may have none
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			v := corpusValue(t, b)
			if target == "FuzzParse" {
				var ok bool
				if v, ok = payloadOfToken(string(v)); !ok {
					continue
				}
			}
			out[target+"/"+e.Name()] = v
		}
	}
	return out
}

// payloadOfToken is the decoded payload of a compact JWS, if it has one.
func payloadOfToken(tok string) ([]byte, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, false
	}
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	return p, err == nil
}

// corpusValue reads the one []byte or string value of a corpus file.
func corpusValue(t testing.TB, file []byte) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(file)), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		t.Fatalf("not a one-value corpus file: %.80q", file)
	}
	lit := lines[1]
	for _, prefix := range []string{"[]byte(", "string("} {
		if strings.HasPrefix(lit, prefix) && strings.HasSuffix(lit, ")") {
			s, err := strconv.Unquote(lit[len(prefix) : len(lit)-1])
			if err != nil {
				t.Fatal(err)
			}
			return []byte(s)
		}
	}
	t.Fatalf("unknown corpus value %.80q", lit)
	return nil
}

// TestFastDecodeListsAreCapped: the lists of a decoded credential share
// arenas; appending to any of them must not write into another.
func TestFastDecodeListsAreCapped(t *testing.T) {
	payload := fastShapes(t)["three skills"]
	var c Credential
	if !fastDecode(payload, &c, nil) {
		t.Fatal("fast path declines a genuine payload")
	}
	want := new(Credential)
	if err := decodePayload(payload, want); err != nil {
		t.Fatal(err)
	}
	n := 0
	var appendAll func(v reflect.Value)
	appendAll = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				appendAll(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					appendAll(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				appendAll(v.Index(i))
			}
			// An element unlike any decoded one, so an overwrite shows.
			e := reflect.New(v.Type().Elem()).Elem()
			if e.Kind() == reflect.String {
				e.SetString("appended")
			}
			_ = reflect.Append(v, e)
			n++
		}
	}
	c.Cnf = nil // go-jose's own fields are not the arenas'
	appendAll(reflect.ValueOf(&c))
	c.Cnf = want.Cnf
	if n < 20 {
		t.Fatalf("appended to only %d lists", n)
	}
	if !reflect.DeepEqual(&c, want) {
		t.Fatal("appending to a decoded list changed another")
	}
}

// FuzzFastDecodeDifferential: on any input, the fast path accepts only
// what the v2 pass accepts, with the same result.
func FuzzFastDecodeDifferential(f *testing.F) {
	for _, p := range fastShapes(f) {
		f.Add(p)
		f.Add(reshaped(f, p))
	}
	for _, p := range fastCorpus(f) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkFastAgrees(t, payload)
	})
}

// BenchmarkFastDecode decodes one genuine payload (two skills, evidence)
// with the v2 pass (as Parse did: a credentialDecode, achievements from
// the warm cache) and with the fast path, interleaved in one loop so that
// load on the machine weighs on both; fast/v2 is the ratio.
func BenchmarkFastDecode(b *testing.B) {
	payload := payloadOf(b, testCredential(b))
	var v2, fast time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := checkAmount(payload); err != nil {
			b.Fatal(err)
		}
		if err := new(credentialDecode).unmarshalV2(payload); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := checkAmount(payload); err != nil {
			b.Fatal(err)
		}
		if d := new(credentialDecode); !fastDecode(payload, &d.Credential, &d.fast) {
			b.Fatal("fast path declined")
		}
		fast += time.Since(t1)
		v2 += t1.Sub(t0)
	}
	reportNsPerOp(b, v2, "v2-ns/op")
	reportNsPerOp(b, fast, "fast-ns/op")
	b.ReportMetric(float64(fast)/float64(v2), "fast/v2")
}

// BenchmarkFastDecodeAllocs measures each pass alone, for -benchmem.
func BenchmarkFastDecodeAllocs(b *testing.B) {
	payload := payloadOf(b, testCredential(b))
	b.Run("v2", func(b *testing.B) {
		b.SetBytes(int64(len(payload)))
		for b.Loop() {
			if err := new(credentialDecode).unmarshalV2(payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(payload)))
		for b.Loop() {
			if d := new(credentialDecode); !fastDecode(payload, &d.Credential, &d.fast) {
				b.Fatal("fast path declined")
			}
		}
	})
}

// TestPlainRun holds the word-at-a-time scan to the byte-at-a-time
// definition, for every byte value at every position of a word.
func TestPlainRun(t *testing.T) {
	naive := func(s string, i int) int {
		for i < len(s) && plainByte[s[i]] {
			i++
		}
		return i
	}
	for c := range 256 {
		for pos := range 20 {
			b := []byte(strings.Repeat("a", 20))
			b[pos] = byte(c)
			// A second special byte after the first: the first must win.
			b[19] = '"'
			for start := range pos + 1 {
				if got, want := plainRun(string(b), start), naive(string(b), start); got != want {
					t.Fatalf("byte %#x at %d from %d: plainRun = %d, want %d", c, pos, start, got, want)
				}
			}
		}
	}
}

// TestFastDecodeNames: each type's member names are its struct's json
// names in order, so member i is field i; a field added to a struct
// without the fast path knowing fails here (until then such payloads
// would only go to the v2 pass).
func TestFastDecodeNames(t *testing.T) {
	tests := []struct {
		name  string
		typ   reflect.Type
		names []string
	}{
		{"ok/credential", reflect.TypeFor[Credential](), credentialNames},
		{"ok/issuer", reflect.TypeFor[Issuer](), issuerNames},
		{"ok/creator", reflect.TypeFor[Creator](), creatorNames},
		{"ok/subject", reflect.TypeFor[Subject](), subjectNames},
		{"ok/achievement", reflect.TypeFor[Achievement](), achievementNames},
		{"ok/criteria", reflect.TypeFor[Criteria](), criteriaNames},
		{"ok/alignment", reflect.TypeFor[Alignment](), alignmentNames},
		{"ok/result description", reflect.TypeFor[ResultDescription](), resultDescriptionNames},
		{"ok/rubric level", reflect.TypeFor[RubricCriterionLevel](), rubricLevelNames},
		{"ok/result", reflect.TypeFor[Result](), resultNames},
		{"ok/evidence", reflect.TypeFor[Evidence](), evidenceNames},
		{"ok/related resource", reflect.TypeFor[RelatedResource](), relatedResourceNames},
		{"ok/status entry", reflect.TypeFor[statuslist.Entry](), statusEntryNames},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for f := range tt.typ.Fields() {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				want = append(want, name)
			}
			if !slices.Equal(tt.names, want) || len(want) > 32 {
				t.Fatalf("names %q, want the json names %q (at most 32)", tt.names, want)
			}
		})
	}
}
