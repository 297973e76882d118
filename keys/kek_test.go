package keys

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rawKEK is a fixed 32-byte key with bytes outside the text alphabet, as a
// random key has.
var rawKEK = func() []byte {
	b := make([]byte, KEKSize)
	for i := range b {
		b[i] = byte(0x80 + i*3)
	}
	return b
}()

func TestLoadKEKFile(t *testing.T) {
	want, err := NewKEK(rawKEK)
	if err != nil {
		t.Fatal(err)
	}
	short := rawKEK[:16]
	tests := []struct {
		name    string
		data    []byte
		mode    os.FileMode
		dir     bool
		missing bool
		wantErr error
	}{
		{name: "ok/raw bytes mode 0600", data: rawKEK, mode: 0o600},
		{name: "ok/raw bytes mode 0400", data: rawKEK, mode: 0o400},
		{name: "ok/hex with newline", data: []byte(hex.EncodeToString(rawKEK) + "\n"), mode: 0o600},
		{name: "ok/upper-case hex", data: []byte(strings.ToUpper(hex.EncodeToString(rawKEK))), mode: 0o600},
		{name: "ok/base64 standard", data: []byte(base64.StdEncoding.EncodeToString(rawKEK) + "\n"), mode: 0o600},
		{name: "ok/base64url unpadded", data: []byte(base64.RawURLEncoding.EncodeToString(rawKEK)), mode: 0o600},
		{name: "error/mode 0644", data: rawKEK, mode: 0o644, wantErr: ErrKEKInvalid},
		{name: "error/mode 0640 group readable", data: rawKEK, mode: 0o640, wantErr: ErrKEKInvalid},
		{name: "error/mode 0604 world readable", data: rawKEK, mode: 0o604, wantErr: ErrKEKInvalid},
		{name: "error/mode 0620 group writable", data: rawKEK, mode: 0o620, wantErr: ErrKEKInvalid},
		{name: "error/31 raw bytes", data: rawKEK[:31], mode: 0o600, wantErr: ErrKEKInvalid},
		{name: "error/33 raw bytes", data: append(bytes.Clone(rawKEK), 0x99), mode: 0o600, wantErr: ErrKEKInvalid},
		{name: "error/hex of 16 bytes is 32 text bytes, not a raw key", data: []byte(hex.EncodeToString(short)), mode: 0o600, wantErr: ErrKEKInvalid},
		{name: "error/base64 of 31 bytes", data: []byte(base64.StdEncoding.EncodeToString(rawKEK[:31])), mode: 0o600, wantErr: ErrKEKInvalid},
		{name: "error/not an encoding", data: []byte("correct horse battery staple!!"), mode: 0o600, wantErr: ErrKEKInvalid},
		{name: "error/empty", data: nil, mode: 0o600, wantErr: ErrKEKInvalid},
		{name: "error/too large", data: bytes.Repeat([]byte("a"), 4096), mode: 0o600, wantErr: ErrKEKInvalid},
		{name: "error/directory", dir: true, wantErr: ErrKEKInvalid},
		{name: "error/missing file", missing: true, wantErr: ErrKEKInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kek")
			switch {
			case tt.dir:
				if err := os.Mkdir(path, 0o700); err != nil {
					t.Fatal(err)
				}
			case !tt.missing:
				if err := os.WriteFile(path, tt.data, 0o600); err != nil {
					t.Fatal(err)
				}
				// Chmod after writing: WriteFile's mode is filtered by umask.
				if err := os.Chmod(path, tt.mode); err != nil {
					t.Fatal(err)
				}
			}
			got, err := LoadKEKFile(path)
			checkErr(t, err, tt.wantErr, "")
			if err != nil {
				assertNoKeyMaterial(t, err, tt.data)
				return
			}
			if got.ID() != want.ID() || !bytes.Equal(got.key[:], rawKEK) {
				t.Errorf("loaded KEK %v; want %v", got, want)
			}
		})
	}
}

func TestParseKEK(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		wantErr error
	}{
		{name: "ok/hex", text: hex.EncodeToString(rawKEK)},
		{name: "ok/base64 standard padded", text: base64.StdEncoding.EncodeToString(rawKEK)},
		{name: "ok/base64 standard unpadded", text: base64.RawStdEncoding.EncodeToString(rawKEK)},
		{name: "ok/base64url padded", text: base64.URLEncoding.EncodeToString(rawKEK)},
		{name: "ok/surrounding whitespace", text: "  " + hex.EncodeToString(rawKEK) + "\n"},
		{name: "error/empty", text: "", wantErr: ErrKEKInvalid},
		{name: "error/whitespace only", text: " \n", wantErr: ErrKEKInvalid},
		{name: "error/hex of 31 bytes", text: hex.EncodeToString(rawKEK[:31]), wantErr: ErrKEKInvalid},
		{name: "error/hex of 33 bytes", text: hex.EncodeToString(append(bytes.Clone(rawKEK), 1)), wantErr: ErrKEKInvalid},
		{name: "error/base64 of 64 bytes", text: base64.StdEncoding.EncodeToString(append(bytes.Clone(rawKEK), rawKEK...)), wantErr: ErrKEKInvalid},
		{name: "error/raw bytes are not text", text: string(rawKEK), wantErr: ErrKEKInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKEK(tt.text)
			checkErr(t, err, tt.wantErr, "")
			if err != nil {
				assertNoKeyMaterial(t, err, []byte(tt.text))
				return
			}
			if !bytes.Equal(got.key[:], rawKEK) {
				t.Error("ParseKEK decoded other bytes than were encoded")
			}
		})
	}
}

// assertNoKeyMaterial fails if an error message quotes the input in any of
// the encodings a KEK may be written in.
func assertNoKeyMaterial(t *testing.T, err error, input []byte) {
	t.Helper()
	msg := err.Error()
	trimmed := strings.TrimSpace(string(input))
	for _, s := range []string{trimmed, hex.EncodeToString(input), base64.StdEncoding.EncodeToString(input)} {
		if len(s) >= 8 && strings.Contains(msg, s) {
			t.Fatalf("error %q contains key material", msg)
		}
	}
}

func TestKEKFormatPrintsIDOnly(t *testing.T) {
	k, err := NewKEK(rawKEK)
	if err != nil {
		t.Fatal(err)
	}
	want := "KEK(" + k.ID() + ")"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%d", "%q"} {
		for _, v := range []any{k, *k, []*KEK{k}} {
			got := fmt.Sprintf(verb, v)
			if !strings.Contains(got, want) || strings.Contains(got, fmt.Sprintf("%x", rawKEK[:4])) {
				t.Errorf("Sprintf(%s, %T) = %q; want it to show %q and no key bytes", verb, v, got, want)
			}
		}
	}
	if len(k.ID()) != 11 {
		t.Errorf("ID %q has %d characters; want 11 (8 bytes base64url)", k.ID(), len(k.ID()))
	}
	other := testKEK(t)
	if other.ID() == k.ID() {
		t.Error("two different KEKs have the same id")
	}
}

func TestWriteKEKFile(t *testing.T) {
	k := testKEK(t)
	path := filepath.Join(t.TempDir(), "kek")
	if err := WriteKEKFile(path, k); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("KEK file mode %04o is accessible to group or others", perm)
	}
	got, err := LoadKEKFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID() != k.ID() {
		t.Errorf("reloaded KEK id %s; want %s", got.ID(), k.ID())
	}
	if err := WriteKEKFile(path, testKEK(t)); err == nil {
		t.Error("WriteKEKFile overwrote an existing KEK file")
	}
	again, err := LoadKEKFile(path)
	if err != nil || again.ID() != k.ID() {
		t.Errorf("after refused overwrite: KEK %v, err %v; want the original %v", again, err, k)
	}
}

func TestKEKDestroy(t *testing.T) {
	k := testKEK(t)
	k.Destroy()
	if !bytes.Equal(k.key[:], make([]byte, KEKSize)) {
		t.Error("Destroy left key bytes in place")
	}
}
