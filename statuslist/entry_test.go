package statuslist

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// specEntries is the credentialStatus of Example 1 of the specification.
const specEntries = `[{
    "id": "https://example.com/credentials/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://example.com/credentials/status/3"
  }, {
    "id": "https://example.com/credentials/status/4#23452",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "suspension",
    "statusListIndex": "23452",
    "statusListCredential": "https://example.com/credentials/status/4"
  }]`

// specSubject is the credentialSubject of Example 3 of the specification.
const specSubject = `{
    "id": "https://example.com/status/3#list",
    "type": "BitstringStatusList",
    "statusPurpose": "revocation",
    "encodedList": "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
  }`

func TestSpecExamples(t *testing.T) {
	var entries []Entry
	if err := json.Unmarshal([]byte(specEntries), &entries); err != nil {
		t.Fatal(err)
	}
	var subject Subject
	if err := json.Unmarshal([]byte(specSubject), &subject); err != nil {
		t.Fatal(err)
	}
	list, err := subject.Decode(Decoder{})
	if err != nil {
		t.Fatalf("spec subject: %v", err)
	}
	wantIndex := []int{94567, 23452}
	for n, e := range entries {
		if err := e.Validate(list.Len()); err != nil {
			t.Errorf("spec entry %d: %v", n, err)
		}
		i, err := e.Index(list.Len())
		if err != nil || i != wantIndex[n] {
			t.Errorf("spec entry %d: Index = %d, %v; want %d", n, i, err, wantIndex[n])
		}
		if set, err := list.Get(i); err != nil || set {
			t.Errorf("spec entry %d: status bit = %v, %v; want unset", n, set, err)
		}
	}
}

func TestEntryValidate(t *testing.T) {
	ok := Entry{
		Type:                 TypeEntry,
		StatusPurpose:        PurposeRevocation,
		StatusListIndex:      "94567",
		StatusListCredential: "https://skillpass.example/status/issuer-a/revocation",
	}
	with := func(f func(*Entry)) Entry { e := ok; f(&e); return e }
	tests := []struct {
		name      string
		entry     Entry
		wantErr   error
		wantField string
	}{
		{"ok", ok, nil, ""},
		{"ok/suspension", with(func(e *Entry) { e.StatusPurpose = PurposeSuspension }), nil, ""},
		{"ok/index 0", with(func(e *Entry) { e.StatusListIndex = "0" }), nil, ""},
		{"ok/last index", with(func(e *Entry) { e.StatusListIndex = "131071" }), nil, ""},
		{"ok/http for local deployments", with(func(e *Entry) { e.StatusListCredential = "http://localhost:8080/status/1" }), nil, ""},
		{"ok/with id", with(func(e *Entry) { e.ID = "https://skillpass.example/status/issuer-a/revocation#94567" }), nil, ""},
		{"ok/urn id", with(func(e *Entry) { e.ID = "urn:uuid:0b9d1a8e-2f7c-4e0e-9a43-0a7e6b2d1c55" }), nil, ""},
		{"error/type missing", with(func(e *Entry) { e.Type = "" }), ErrMalformed, "type"},
		{"error/type of the list credential", with(func(e *Entry) { e.Type = TypeCredential }), ErrMalformed, "type"},
		{"error/purpose missing", with(func(e *Entry) { e.StatusPurpose = "" }), ErrMalformed, "statusPurpose"},
		{"error/purpose message unsupported", with(func(e *Entry) { e.StatusPurpose = "message" }), ErrMalformed, "statusPurpose"},
		{"error/purpose wrong case", with(func(e *Entry) { e.StatusPurpose = "Revocation" }), ErrMalformed, "statusPurpose"},
		{"error/index missing", with(func(e *Entry) { e.StatusListIndex = "" }), ErrMalformed, "statusListIndex"},
		{"error/index leading zero", with(func(e *Entry) { e.StatusListIndex = "094567" }), ErrMalformed, "statusListIndex"},
		{"error/index plus sign", with(func(e *Entry) { e.StatusListIndex = "+1" }), ErrMalformed, "statusListIndex"},
		{"error/index negative", with(func(e *Entry) { e.StatusListIndex = "-1" }), ErrMalformed, "statusListIndex"},
		{"error/index with space", with(func(e *Entry) { e.StatusListIndex = " 1" }), ErrMalformed, "statusListIndex"},
		{"error/index hexadecimal", with(func(e *Entry) { e.StatusListIndex = "0x10" }), ErrMalformed, "statusListIndex"},
		{"error/index non-ASCII digit", with(func(e *Entry) { e.StatusListIndex = "١" }), ErrMalformed, "statusListIndex"},
		{"error/index one past the end", with(func(e *Entry) { e.StatusListIndex = "131072" }), ErrRange, "statusListIndex"},
		{"error/index beyond 64 bits", with(func(e *Entry) { e.StatusListIndex = "123456789012345678901234567890" }), ErrRange, "statusListIndex"},
		{"error/credential missing", with(func(e *Entry) { e.StatusListCredential = "" }), ErrMalformed, "statusListCredential"},
		{"error/credential relative", with(func(e *Entry) { e.StatusListCredential = "/status/1" }), ErrMalformed, "statusListCredential"},
		{"error/credential not a URL", with(func(e *Entry) { e.StatusListCredential = "status list 1" }), ErrMalformed, "statusListCredential"},
		{"error/credential ftp", with(func(e *Entry) { e.StatusListCredential = "ftp://skillpass.example/status/1" }), ErrMalformed, "statusListCredential"},
		{"error/credential without host", with(func(e *Entry) { e.StatusListCredential = "https:status/1" }), ErrMalformed, "statusListCredential"},
		{"error/credential with fragment", with(func(e *Entry) { e.StatusListCredential = "https://skillpass.example/status/1#list" }), ErrMalformed, "statusListCredential"},
		{"error/credential with user info", with(func(e *Entry) { e.StatusListCredential = "https://user:pw@skillpass.example/status/1" }), ErrMalformed, "statusListCredential"},
		{"error/credential too long", with(func(e *Entry) {
			e.StatusListCredential = "https://skillpass.example/" + strings.Repeat("a", maxURLLength)
		}), ErrMalformed, "statusListCredential"},
		{"error/id is the list URL", with(func(e *Entry) { e.ID = e.StatusListCredential }), ErrMalformed, "id"},
		{"error/id relative", with(func(e *Entry) { e.ID = "#94567" }), ErrMalformed, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.entry.Validate(MinBits)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Validate error = %v, want %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.wantField {
				t.Errorf("Validate error = %v, want field %q", err, tt.wantField)
			}
			if !strings.HasPrefix(err.Error(), tt.wantField+": ") {
				t.Errorf("message %q does not start with the field name", err)
			}
		})
	}
}

func TestNewEntry(t *testing.T) {
	const listURL = "https://skillpass.example/status/issuer-a/revocation"
	tests := []struct {
		name    string
		url     string
		purpose Purpose
		index   int
		wantErr error
	}{
		{"ok", listURL, PurposeRevocation, 94567, nil},
		{"error/negative index", listURL, PurposeRevocation, -1, ErrMalformed},
		{"error/index outside the list", listURL, PurposeRevocation, MinBits, ErrRange},
		{"error/unsupported purpose", listURL, "refresh", 1, ErrMalformed},
		{"error/bad URL", "not a url", PurposeSuspension, 1, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEntry(tt.url, tt.purpose, tt.index, MinBits)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewEntry error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			want := `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"94567","statusListCredential":"` + listURL + `"}`
			if string(b) != want {
				t.Errorf("JSON = %s\nwant   %s", b, want)
			}
		})
	}
}

func TestSubject(t *testing.T) {
	list := mustNew(t, MinBits)
	if err := list.Set(42, true); err != nil {
		t.Fatal(err)
	}
	const id = "https://skillpass.example/status/issuer-a/revocation#list"
	tests := []struct {
		name      string
		id        string
		purpose   Purpose
		list      *Bitstring
		ttl       time.Duration
		wantErr   error
		wantField string
		wantTTL   int64
	}{
		{"ok", id, PurposeRevocation, list, 0, nil, "", 0},
		{"ok/with ttl", id, PurposeSuspension, list, 5 * time.Minute, nil, "", 300000},
		{"error/ttl below a millisecond", id, PurposeRevocation, list, time.Microsecond, ErrMalformed, "ttl", 0},
		{"error/negative ttl", id, PurposeRevocation, list, -time.Second, ErrMalformed, "ttl", 0},
		{"error/id missing", "", PurposeRevocation, list, 0, ErrMalformed, "id", 0},
		{"error/purpose", id, "message", list, 0, ErrMalformed, "statusPurpose", 0},
		{"error/no list", id, PurposeRevocation, nil, 0, ErrLength, "encodedList", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSubject(tt.id, tt.purpose, tt.list, tt.ttl)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewSubject error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field != tt.wantField {
					t.Errorf("NewSubject error = %v, want field %q", err, tt.wantField)
				}
				return
			}
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var back Subject
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			var raw map[string]any
			_ = json.Unmarshal(b, &raw)
			for _, k := range []string{"id", "type", "statusPurpose", "encodedList"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("JSON %s lacks %q", b, k)
				}
			}
			if _, ok := raw["ttl"]; ok != (tt.wantTTL != 0) || back.TTL != tt.wantTTL {
				t.Errorf("ttl = %d (present %v), want %d", back.TTL, ok, tt.wantTTL)
			}
			got, err := back.Decode(Decoder{})
			if err != nil || !got.Equal(list) {
				t.Errorf("Decode after JSON round trip: %v", err)
			}
		})
	}
}

func TestSubjectDecodeErrors(t *testing.T) {
	var ok Subject
	if err := json.Unmarshal([]byte(specSubject), &ok); err != nil {
		t.Fatal(err)
	}
	with := func(f func(*Subject)) Subject { s := ok; f(&s); return s }
	tests := []struct {
		name      string
		subject   Subject
		wantErr   error
		wantField string
	}{
		{"ok", ok, nil, ""},
		{"error/type", with(func(s *Subject) { s.Type = TypeCredential }), ErrMalformed, "type"},
		{"error/encodedList missing", with(func(s *Subject) { s.EncodedList = "" }), ErrMalformed, "encodedList"},
		{"error/encodedList malformed", with(func(s *Subject) { s.EncodedList = "H4sI" }), ErrDecode, "encodedList"},
		{"error/negative ttl", with(func(s *Subject) { s.TTL = -1 }), ErrMalformed, "ttl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.subject.Decode(Decoder{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Decode error = %v, want %v", err, tt.wantErr)
			}
			var fe *FieldError
			if err != nil && (!errors.As(err, &fe) || fe.Field != tt.wantField) {
				t.Errorf("Decode error = %v, want field %q", err, tt.wantField)
			}
		})
	}
}
