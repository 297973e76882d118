package credential

import (
	"errors"
	"testing"

	"github.com/skillpass-nl/skillpass/statuslist"
)

func TestURLBuilders(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"issuer", IssuerURL(testBase, "opleider"), "https://skillpass.example/issuers/opleider"},
		{"sector", SectorURL(testBase, "zorg"), "https://skillpass.example/sectors/zorg"},
		{"profile", ProfileURL(testBase, "zorg", "verzorgende-ig", 12), "https://skillpass.example/sectors/zorg/profiles/verzorgende-ig/versions/12"},
		{"status list", StatusListURL(testBase, "opleider", statuslist.PurposeSuspension, 3), "https://skillpass.example/issuers/opleider/status/suspension/3"},
		{"achievement", AchievementID(ProfileURL(testBase, "zorg", "p", 1), "c"), "https://skillpass.example/sectors/zorg/profiles/p/versions/1#c"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s URL = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestParseIssuerURL(t *testing.T) {
	tests := []struct {
		name, base, u, want string
	}{
		{"ok", testBase, testBase + "/issuers/opleider", "opleider"},
		{"ok/base with path", "https://x.example/skillpass", "https://x.example/skillpass/issuers/opleider", "opleider"},
		{"error/another origin", testBase, "https://evil.example/issuers/opleider", ""},
		{"error/origin prefix trick", testBase, "https://skillpass.example.evil.example/issuers/opleider", ""},
		{"error/http", testBase, "http://skillpass.example/issuers/opleider", ""},
		{"error/extra segment", testBase, testBase + "/issuers/opleider/keys", ""},
		{"error/trailing slash", testBase, testBase + "/issuers/opleider/", ""},
		{"error/query", testBase, testBase + "/issuers/opleider?x=1", ""},
		{"error/fragment", testBase, testBase + "/issuers/opleider#x", ""},
		{"error/escaped id", testBase, testBase + "/issuers/opl%65ider", ""},
		{"error/dot segment", testBase, testBase + "/issuers/../issuers/opleider", ""},
		{"error/invalid id", testBase, testBase + "/issuers/Opleider", ""},
		{"error/sector url", testBase, testBase + "/sectors/opleider", ""},
		{"error/empty base", "", "/issuers/opleider", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIssuerURL(tt.base, tt.u)
			if tt.want == "" {
				checkErr(t, err, ErrNotCredential, "")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseIssuerURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestParseSectorURL(t *testing.T) {
	if id, err := ParseSectorURL(testBase, testBase+"/sectors/zorg"); err != nil || id != "zorg" {
		t.Errorf("ParseSectorURL = %q, %v", id, err)
	}
	for _, u := range []string{testBase + "/issuers/zorg", testBase + "/sectors/zorg/profiles", "https://evil.example/sectors/zorg"} {
		if _, err := ParseSectorURL(testBase, u); !errors.Is(err, ErrNotCredential) {
			t.Errorf("ParseSectorURL(%q) error = %v, want ErrNotCredential", u, err)
		}
	}
}

func TestParseProfileURL(t *testing.T) {
	tests := []struct {
		name            string
		u               string
		sector, profile string
		version         int32
	}{
		{"ok", testBase + "/sectors/zorg/profiles/verzorgende-ig/versions/12", "zorg", "verzorgende-ig", 12},
		{"ok/largest version", testBase + "/sectors/zorg/profiles/p1/versions/2147483647", "zorg", "p1", 2147483647},
		{"error/version zero", testBase + "/sectors/zorg/profiles/p1/versions/0", "", "", 0},
		{"error/version leading zero", testBase + "/sectors/zorg/profiles/p1/versions/01", "", "", 0},
		{"error/version signed", testBase + "/sectors/zorg/profiles/p1/versions/+1", "", "", 0},
		{"error/version overflows", testBase + "/sectors/zorg/profiles/p1/versions/2147483648", "", "", 0},
		{"error/wrong collection", testBase + "/sectors/zorg/profile/p1/versions/1", "", "", 0},
		{"error/invalid profile id", testBase + "/sectors/zorg/profiles/P_1/versions/1", "", "", 0},
		{"error/fragment", testBase + "/sectors/zorg/profiles/p1/versions/1#c", "", "", 0},
		{"error/missing version", testBase + "/sectors/zorg/profiles/p1", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, p, v, err := ParseProfileURL(testBase, tt.u)
			if tt.sector == "" {
				checkErr(t, err, ErrNotCredential, "")
				return
			}
			if err != nil || s != tt.sector || p != tt.profile || v != tt.version {
				t.Fatalf("ParseProfileURL = %q %q %d, %v", s, p, v, err)
			}
			if back := ProfileURL(testBase, s, p, v); back != tt.u {
				t.Errorf("ProfileURL of the parts = %q, want %q", back, tt.u)
			}
		})
	}
}

func TestParseStatusListURL(t *testing.T) {
	tests := []struct {
		name    string
		u       string
		issuer  string
		purpose statuslist.Purpose
		list    int32
	}{
		{"ok/revocation", testBase + "/issuers/opleider/status/revocation/0", "opleider", statuslist.PurposeRevocation, 0},
		{"ok/suspension", testBase + "/issuers/opleider/status/suspension/17", "opleider", statuslist.PurposeSuspension, 17},
		{"error/refresh purpose", testBase + "/issuers/opleider/status/refresh/0", "", "", 0},
		{"error/negative list", testBase + "/issuers/opleider/status/revocation/-1", "", "", 0},
		{"error/list leading zero", testBase + "/issuers/opleider/status/revocation/00", "", "", 0},
		{"error/not status", testBase + "/issuers/opleider/lists/revocation/0", "", "", 0},
		{"error/query", testBase + "/issuers/opleider/status/revocation/0?x", "", "", 0},
		{"error/extra segment", testBase + "/issuers/opleider/status/revocation/0/1", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, p, l, err := ParseStatusListURL(testBase, tt.u)
			if tt.issuer == "" {
				checkErr(t, err, ErrNotCredential, "")
				return
			}
			if err != nil || i != tt.issuer || p != tt.purpose || l != tt.list {
				t.Fatalf("ParseStatusListURL = %q %q %d, %v", i, p, l, err)
			}
			if back := StatusListURL(testBase, i, p, l); back != tt.u {
				t.Errorf("StatusListURL of the parts = %q, want %q", back, tt.u)
			}
		})
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		name, base string
		ok         bool
	}{
		{"ok", "https://skillpass.example", true},
		{"ok/with port and path", "https://skillpass.example:8443/nl", true},
		{"error/empty", "", false},
		{"error/http", "http://skillpass.example", false},
		{"error/trailing slash", "https://skillpass.example/", false},
		{"error/query", "https://skillpass.example?x=1", false},
		{"error/fragment", "https://skillpass.example#x", false},
		{"error/user info", "https://u@skillpass.example", false},
		{"error/escaped path", "https://skillpass.example/a%2Fb", false},
		{"error/relative", "skillpass.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckBaseURL("base_url", tt.base)
			if tt.ok {
				checkErr(t, err, nil, "")
			} else {
				checkErr(t, err, errInvalid, "base_url")
			}
		})
	}
}

func TestDigestConversions(t *testing.T) {
	// SHA-256 of "abc" (FIPS 180-2 test vector), in every spelling.
	const hexDigest = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	const sri = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
	const multibase = "uEiC6eBa_jwHP6kFBQN5driIjsANho5YXepy0EP9h8gAVrQ"
	if got, err := DigestSRI(hexDigest); err != nil || got != sri {
		t.Errorf("DigestSRI = %q, %v; want %q", got, err, sri)
	}
	if got, err := ParseDigestSRI(sri); err != nil || got != hexDigest {
		t.Errorf("ParseDigestSRI = %q, %v; want %q", got, err, hexDigest)
	}
	if got, err := DigestMultibase(hexDigest); err != nil || got != multibase {
		t.Errorf("DigestMultibase = %q, %v; want %q", got, err, multibase)
	}
	if got, err := ParseDigestMultibase(multibase); err != nil || got != hexDigest {
		t.Errorf("ParseDigestMultibase = %q, %v; want %q", got, err, hexDigest)
	}
	bad := []struct {
		name string
		f    func() error
	}{
		{"error/hex upper case", func() error {
			_, err := DigestSRI("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")
			return err
		}},
		{"error/hex short", func() error { _, err := DigestSRI("sha256:ba78"); return err }},
		{"error/other algorithm", func() error {
			_, err := DigestMultibase("sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
			return err
		}},
		{"error/sri sha384", func() error {
			_, err := ParseDigestSRI("sha384-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
			return err
		}},
		{"error/sri url alphabet", func() error {
			_, err := ParseDigestSRI("sha256-ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=")
			return err
		}},
		{"error/sri without padding", func() error {
			_, err := ParseDigestSRI("sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0")
			return err
		}},
		{"error/multibase other base", func() error {
			_, err := ParseDigestMultibase("zEiC6eBa_jwHP6kFBQN5driIjsANho5YXepy0EP9h8gAVrQ")
			return err
		}},
		{"error/multibase other hash", func() error {
			_, err := ParseDigestMultibase("uEyC6eBa_jwHP6kFBQN5driIjsANho5YXepy0EP9h8gAVrQ")
			return err
		}},
		{"error/multibase truncated", func() error {
			_, err := ParseDigestMultibase("uEiC6eBa_jwHP6kFBQN5driIjsANho5YXepy0EP9h8gAV")
			return err
		}},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if b.f() == nil {
				t.Fatal("accepted")
			}
		})
	}
}
