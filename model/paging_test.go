package model_test

import (
	"encoding/base64"
	"slices"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
)

func TestParsePage(t *testing.T) {
	tok := model.NextPageToken("sectors", "cursor-7")
	tests := []struct {
		name       string
		size       int
		token      string
		wantLimit  int
		wantCursor string
		wantFields []string
	}{
		{"ok/default size", 0, "", 50, "", nil},
		{"ok/size kept", 7, "", 7, "", nil},
		{"ok/size clamped", 5000, "", 1000, "", nil},
		{"ok/token of this list", 10, tok, 10, "cursor-7", nil},
		{"error/negative size", -1, "", 0, "", []string{"page_size"}},
		{"error/token of another list", 10, model.NextPageToken("issuers", "cursor-7"), 10, "", []string{"page_token"}},
		{"error/token of a list with a longer name", 10, model.NextPageToken("sectors-x", "c"), 10, "", []string{"page_token"}},
		{"error/garbled token", 10, "!!not base64!!", 10, "", []string{"page_token"}},
		{"error/base64 without list", 10, base64.RawURLEncoding.EncodeToString([]byte("cursor")), 10, "", []string{"page_token"}},
		{"error/empty cursor", 10, base64.RawURLEncoding.EncodeToString([]byte("sectors\x00")), 10, "", []string{"page_token"}},
		{"error/both", -3, "x", 0, "", []string{"page_size", "page_token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit, cursor, err := model.ParsePage("sectors", tt.size, tt.token)
			if got := violatedFields(t, err); !slices.Equal(got, tt.wantFields) {
				t.Fatalf("violated fields = %q, want %q (error %v)", got, tt.wantFields, err)
			}
			if err == nil && (limit != tt.wantLimit || cursor != tt.wantCursor) {
				t.Errorf("ParsePage = %d, %q, want %d, %q", limit, cursor, tt.wantLimit, tt.wantCursor)
			}
		})
	}
	if got := model.NextPageToken("sectors", ""); got != "" {
		t.Errorf("NextPageToken after the last page = %q, want empty", got)
	}
}

func TestParseNames(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		wantS  string
		wantP  string
		wantV  int32
		wantOK bool
	}{
		{"ok", model.ProfileVersionName("zorg", "helpende", 12), "zorg", "helpende", 12, true},
		{"error/version zero", "sectors/zorg/profiles/helpende/versions/0", "", "", 0, false},
		{"error/version with sign", "sectors/zorg/profiles/helpende/versions/+1", "", "", 0, false},
		{"error/version leading zero", "sectors/zorg/profiles/helpende/versions/01", "", "", 0, false},
		{"error/wrong collection", "sectors/zorg/profile/helpende/versions/1", "", "", 0, false},
		{"error/empty id", "sectors//profiles/helpende/versions/1", "", "", 0, false},
		{"error/too short", "sectors/zorg/profiles/helpende", "", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, p, v, ok := model.ParseProfileVersionName(tt.in)
			if s != tt.wantS || p != tt.wantP || v != tt.wantV || ok != tt.wantOK {
				t.Errorf("ParseProfileVersionName(%q) = %q, %q, %d, %v", tt.in, s, p, v, ok)
			}
		})
	}
	ids, ok := model.ParseName(model.AccreditationName("roc", "abc"), "issuers", "accreditations")
	if !ok || !slices.Equal(ids, []string{"roc", "abc"}) {
		t.Errorf("ParseName(accreditation) = %q, %v", ids, ok)
	}
}
