package server

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/skillpass-nl/skillpass/model"
)

func TestToStatus(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantCode   codes.Code
		wantReason string
		wantFields []string
		wantMsg    string // "" to skip
	}{
		{"not found", fmt.Errorf("sector %q: %w", "x", model.ErrNotFound), codes.NotFound, "NOT_FOUND", nil, `sector "x": not found`},
		{"sector unknown", model.ErrSectorUnknown, codes.NotFound, "SECTOR_NOT_FOUND", nil, ""},
		{"profile unknown", model.ErrProfileUnknown, codes.NotFound, "PROFILE_NOT_FOUND", nil, ""},
		{"issuer unknown", model.ErrIssuerUnknown, codes.NotFound, "ISSUER_NOT_FOUND", nil, ""},
		{"principal unknown", model.ErrPrincipalUnknown, codes.NotFound, "PRINCIPAL_NOT_FOUND", nil, ""},
		{"already exists", fmt.Errorf("create: %w", model.ErrAlreadyExists), codes.AlreadyExists, "ALREADY_EXISTS", nil, ""},
		{"unauthenticated", model.ErrUnauthenticated, codes.Unauthenticated, "UNAUTHENTICATED", nil, ""},
		{"token revoked", model.ErrTokenRevoked, codes.Unauthenticated, "TOKEN_REVOKED", nil, ""},
		{"permission denied", model.ErrPermissionDenied, codes.PermissionDenied, "PERMISSION_DENIED", nil, ""},
		{"profile not draft", model.ErrProfileNotDraft, codes.FailedPrecondition, "PROFILE_NOT_DRAFT", nil, ""},
		{"profile not published", model.ErrProfileNotPublished, codes.FailedPrecondition, "PROFILE_NOT_PUBLISHED", nil, ""},
		{"invalid transition", model.ErrInvalidTransition, codes.FailedPrecondition, "INVALID_STATE_TRANSITION", nil, ""},
		{"request id reused", model.ErrRequestIDReused, codes.FailedPrecondition, "REQUEST_ID_REUSED", nil, ""},
		{"backup invalid", model.ErrBackupInvalid, codes.InvalidArgument, "BACKUP_INVALID", nil, ""},
		{"validation", fmt.Errorf("create: %w", model.Invalid("issuer.kvk_number", "must be 8 digits")), codes.InvalidArgument, reasonInvalidArgument, []string{"issuer.kvk_number"}, ""},
		{"canceled", fmt.Errorf("view: %w", context.Canceled), codes.Canceled, "", nil, ""},
		{"deadline", context.DeadlineExceeded, codes.DeadlineExceeded, "", nil, ""},
		{"transport status passes", status.Error(codes.ResourceExhausted, "too big"), codes.ResourceExhausted, "", nil, "too big"},
		{"error/unknown becomes internal", errors.New("open /secret/path: disk on fire"), codes.Internal, "", nil, internalMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := toStatus(nil, "/test/Method", tt.err).Err()
			requireStatus(t, err, tt.wantCode, tt.wantReason)
			if got := violatedFields(err); fmt.Sprint(got) != fmt.Sprint(tt.wantFields) {
				t.Errorf("got field violations %v, want %v", got, tt.wantFields)
			}
			if tt.wantMsg != "" && status.Convert(err).Message() != tt.wantMsg {
				t.Errorf("got message %q, want %q", status.Convert(err).Message(), tt.wantMsg)
			}
		})
	}
}

// TestErrorTableCoversEverySentinel fails when package model gains a
// sentinel error (a newErr call) that the table does not map.
func TestErrorTableCoversEverySentinel(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("../model/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("find model sources: %v", err)
	}
	mapped := map[string]bool{}
	for _, e := range errorCodes {
		mapped[e.err.Reason] = true
	}
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "newErr" || len(call.Args) == 0 {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true
			}
			reason, _ := strconv.Unquote(lit.Value)
			found++
			if !mapped[reason] {
				t.Errorf("model sentinel with reason %s is not in errorCodes", reason)
			}
			return true
		})
	}
	if found < len(errorCodes) {
		t.Errorf("found %d sentinels in model, fewer than the %d the table maps", found, len(errorCodes))
	}
}
