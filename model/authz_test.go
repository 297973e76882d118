package model_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/skillpass-nl/skillpass/model"
)

func TestAuthorize(t *testing.T) {
	tests := []struct {
		name    string
		p       model.Principal
		allowed bool
		want    error
	}{
		{"ok/allowed", model.Principal{ID: "root", Kind: model.KindRoot}, true, nil},
		{"error/anonymous", model.Anonymous, false, model.ErrUnauthenticated},
		{"error/zero principal counts as anonymous", model.Principal{}, false, model.ErrUnauthenticated},
		{"error/authenticated", model.Principal{ID: "otib", Kind: model.KindSectorAuthority}, false, model.ErrPermissionDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := model.Authorize(tt.p, tt.allowed, "do things")
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("Authorize = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestAsMissing(t *testing.T) {
	other := errors.New("disk on fire")
	tests := []struct {
		name string
		in   error
		want error
	}{
		{"ok/nil", nil, nil},
		{"ok/not found becomes the sentinel", fmt.Errorf("get: %w", model.ErrNotFound), model.ErrSectorUnknown},
		{"ok/other errors pass", other, other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := model.AsMissing(tt.in, model.ErrSectorUnknown, `sector "bouw"`)
			if (tt.want == nil) != (got == nil) || (tt.want != nil && !errors.Is(got, tt.want)) {
				t.Errorf("AsMissing = %v, want %v", got, tt.want)
			}
		})
	}
}
