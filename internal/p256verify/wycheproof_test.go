package p256verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// wycheproofFile is a trimmed copy of Project Wycheproof's P-256/SHA-256
// IEEE P1363 vectors (see testdata/WYCHEPROOF_NOTICE).
type wycheproofFile struct {
	NumberOfTests int `json:"numberOfTests"`
	TestGroups    []struct {
		PublicKey string `json:"publicKey"`
		Tests     []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Msg     string   `json:"msg"`
			Sig     string   `json:"sig"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// loadWycheproof reads the trimmed copy of Wycheproof's P-256 SHA-256
// P1363 vectors.
func loadWycheproof(t *testing.T) *wycheproofFile {
	t.Helper()
	raw, err := os.ReadFile("testdata/wycheproof_ecdsa_secp256r1_sha256_p1363.json")
	if err != nil {
		t.Fatal(err)
	}
	var f wycheproofFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestWycheproof(t *testing.T) {
	f := loadWycheproof(t)
	ran := 0
	for _, g := range f.TestGroups {
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), mustHex(t, g.PublicKey))
		if err != nil {
			t.Fatalf("public key %s: %v", g.PublicKey, err)
		}
		k := mustKey(t, pub)
		for _, tv := range g.Tests {
			ran++
			t.Run(fmt.Sprintf("%d/%s/%s", tv.TcID, tv.Result, tv.Comment), func(t *testing.T) {
				digest := sha256.Sum256(mustHex(t, tv.Msg))
				sig := mustHex(t, tv.Sig)
				r, s, ok := splitP1363(sig)
				// What crypto/ecdsa decides for the same integers; a
				// signature of the wrong length is rejected by both.
				ref := ok && ecdsa.Verify(pub, digest[:], r, s)
				got := k.VerifyP1363(digest[:], sig)
				var want bool
				switch tv.Result {
				case "valid":
					want = true
				case "invalid":
					want = false
				case "acceptable":
					want = ref
				default:
					t.Fatalf("unknown result %q", tv.Result)
				}
				if got != want || ref != want {
					t.Fatalf("flags %v: Key.VerifyP1363 = %v, crypto/ecdsa = %v, want %v", tv.Flags, got, ref, want)
				}
			})
		}
	}
	if ran != f.NumberOfTests {
		t.Fatalf("ran %d vectors, file declares %d", ran, f.NumberOfTests)
	}
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}
