package credential

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/skillpass-nl/skillpass/keys"
)

// Fuzz targets for the two parsers that read input from outside. The seed
// corpora in testdata/fuzz hold valid tokens for both algorithms and the
// hostile tokens of the Parse tests; rewrite them with
// "go test -run TestFuzzSeeds -update".
//
// Invariants: Parse never panics; a token it accepts re-serialises to the
// same bytes; its TokenHash is its SHA-256 or, for a high-s ES256
// signature, that of its low-s twin, and the twin verifies alike (so a
// token hash names one token); iss equals issuer.id; Verify on anything
// accepted does not panic either.

func FuzzParse(f *testing.F) {
	k := newTestKey(f, "ES256")
	for _, s := range seedTokens(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		p, err := Parse(tok)
		if err != nil {
			if p != nil {
				t.Fatal("Parse returned a token and an error")
			}
			return
		}
		checkAccepted(t, tok, p.TokenHash, p.tok)
		if p.Credential.Iss != p.Credential.Issuer.ID {
			t.Fatalf("accepted iss %q != issuer.id %q", p.Credential.Iss, p.Credential.Issuer.ID)
		}
		// The accepted credential must survive its own JSON round trip
		// and the checks Sign applies.
		if err := p.Credential.validate(); err != nil {
			t.Fatalf("accepted credential fails validation: %v", err)
		}
		checkTwin(t, tok, p, &k)
		_, _ = p.Credential.Awarded(testBase)
		_, _ = p.Credential.StatusPosition(testBase)
	})
}

func FuzzParseStatusList(f *testing.F) {
	k := newTestKey(f, "ES256")
	for _, s := range seedStatusLists(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		p, err := ParseStatusList(tok)
		if err != nil {
			if p != nil {
				t.Fatal("ParseStatusList returned a list and an error")
			}
			return
		}
		checkAccepted(t, tok, p.TokenHash, p.tok)
		if p.Credential.Iss != p.Credential.Issuer {
			t.Fatalf("accepted iss %q != issuer %q", p.Credential.Iss, p.Credential.Issuer)
		}
		if p.List.Len() < 131072 {
			t.Fatalf("accepted a list of %d entries", p.List.Len())
		}
		_ = p.Verify(&k.jwk)
		_, _, _, _ = p.Locate(testBase)
	})
}

// checkTwin: an accepted ES256 token and its twin (r, n-s) have one token
// hash and one verification outcome.
func checkTwin(t *testing.T, tok string, p *Parsed, k *testKey) {
	t.Helper()
	err := p.Verify(&k.jwk)
	if p.Header.Alg != "ES256" || len(p.tok.signature) != 64 {
		return
	}
	twin, twinErr := Parse(malleate(t, tok))
	if twinErr != nil {
		t.Fatalf("twin refused: %v", twinErr)
	}
	if twin.TokenHash != p.TokenHash {
		t.Fatal("a token and its low/high-s twin have different token hashes")
	}
	if twinErr := twin.Verify(&k.jwk); (err == nil) != (twinErr == nil) {
		t.Fatalf("token verifies %v, its twin %v", err, twinErr)
	}
}

// checkAccepted: the token is the one spelling of what Parse decoded
// (header bytes, payload bytes, signature bytes), and TokenHash hashes it.
// go-jose's own CompactSerialize is no oracle here: it re-encodes the
// header JSON (escaping '&' as \u0026, for one).
func checkAccepted(t *testing.T, tok string, hash [32]byte, parsed *token) {
	t.Helper()
	if hash != wantTokenHash(t, tok) {
		t.Fatal("TokenHash is not the SHA-256 of the token (or of its low-s twin)")
	}
	again := b64(parsed.rawHeader) + "." + b64(parsed.payload) + "." + b64(parsed.signature)
	if again != tok {
		t.Fatalf("accepted token re-serialises differently:\n got %q\nwant %q", again, tok)
	}
}

// seedTokens are valid credentials for both algorithms and the hostile
// tokens of TestParse.
func seedTokens(tb testing.TB) []string {
	ed := newTestKey(tb, keys.EdDSA)
	out := []string{signTest(tb, testCredential(tb), ed)}
	k := newTestKey(tb, keys.ES256)
	for _, c := range parseCases() {
		if c.want == ErrTooLarge {
			continue // 64 KiB of nothing; the fuzzer learns nothing from it
		}
		out = append(out, c.token(tb, k))
	}
	for _, s := range hostileShapes() {
		out = append(out, hostileToken(tb, k, s, hostileSeedBytes))
	}
	return out
}

// hostileSeedBytes is the size of the hostile seeds: past every limit of
// jsoncheck.go, yet small enough for the fuzzer to mutate quickly.
const hostileSeedBytes = 12 << 10

func seedStatusLists(tb testing.TB) []string {
	var out []string
	for _, alg := range []string{"ES256", "EdDSA"} {
		k := newTestKey(tb, keys.Algorithm(alg))
		tok, err := SignStatusList(testListInput(tb, 1, 2, 3, 4242), k.signer, k.alg, k.kid)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, tok, rawToken(tb, k, header(tb, k, nil), payloadOf(tb, specListCredential())))
	}
	return out
}

// TestFuzzSeeds writes the seed corpora with -update; without it, it
// checks that the committed corpora exist, so the fuzz targets always
// start from real tokens.
func TestFuzzSeeds(t *testing.T) {
	targets := map[string]func(testing.TB) []string{"FuzzParse": seedTokens, "FuzzParseStatusList": seedStatusLists}
	for name, seeds := range targets {
		dir := filepath.Join("testdata", "fuzz", name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for i, s := range seeds(t) {
				body := "go test fuzz v1\nstring(" + strconv.Quote(s) + ")\n"
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%03d", i)), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) < 4 {
			t.Errorf("%s: seed corpus missing (%d entries, %v); run go test -run TestFuzzSeeds -update", dir, len(entries), err)
		}
	}
}
