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

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
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
		{"issuance refusal with its field", errors.Join(issuer.ErrLevelOffScale, model.Invalid("credential.skills[0].level_id", "got \"9\"")),
			codes.InvalidArgument, "LEVEL_NOT_ON_SCALE", []string{"credential.skills[0].level_id"}, ""},
		{"not accredited", &issuer.AccreditationRefusal{IssuerID: "acme", SectorID: "bouw", ProfileID: "metselaar", Version: 1, Check: "SUSPENDED"},
			codes.FailedPrecondition, "NOT_ACCREDITED", nil, ""},
		{"no signing key", fmt.Errorf("issue: %w", keys.ErrNoSigningKey), codes.FailedPrecondition, "NO_SIGNING_KEY", nil, ""},
		{"unknown kid", fmt.Errorf("%w: abc", keys.ErrKeyUnknown), codes.NotFound, "KEY_UNKNOWN", nil, ""},
		{"error/wrong KEK hides its detail", fmt.Errorf("open key k1 of issuer acme in /var/lib/x: %w", keys.ErrWrongKEK), codes.Internal, "KEK_MISMATCH", nil, internalMessage},
		{"token too large", credential.ErrTooLarge, codes.InvalidArgument, "TOKEN_TOO_LARGE", nil, ""},
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

func TestToStatusAccreditationRefusalSaysWhichCheck(t *testing.T) {
	err := toStatus(nil, "/test/Method", &issuer.AccreditationRefusal{
		IssuerID: "acme", SectorID: "bouw", ProfileID: "metselaar", Version: 2, Check: "VERSION_NOT_COVERED", AccreditationID: "a1",
	}).Err()
	requireStatus(t, err, codes.FailedPrecondition, "NOT_ACCREDITED")
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			want := map[string]string{"check": "VERSION_NOT_COVERED", "accreditation": "issuers/acme/accreditations/a1"}
			if fmt.Sprint(info.GetMetadata()) != fmt.Sprint(want) {
				t.Errorf("got metadata %v, want %v", info.GetMetadata(), want)
			}
		}
	}
}

// sentinelPackages are the packages whose exported *model.Error values
// can reach the transport.
var sentinelPackages = []string{"model", "keys", "credential", "issuer"}

// TestErrorTableCoversEverySentinel fails when one of sentinelPackages
// gains an exported sentinel error (a package-level var set to newErr(...)
// or &model.Error{...}) that the table does not map.
func TestErrorTableCoversEverySentinel(t *testing.T) {
	mapped := map[string]bool{}
	for _, e := range errorCodes {
		mapped[e.err.Reason] = true
	}
	found := 0
	for _, pkg := range sentinelPackages {
		for name, reason := range exportedSentinels(t, "../"+pkg) {
			found++
			if !mapped[reason] {
				t.Errorf("%s.%s (reason %s) is not in errorCodes", pkg, name, reason)
			}
		}
	}
	if found < len(errorCodes) {
		t.Errorf("found %d sentinels in %v, fewer than the %d the table maps", found, sentinelPackages, len(errorCodes))
	}
}

// exportedSentinels returns the reason of every exported package-level
// *model.Error var in the non-test sources of dir, by var name.
func exportedSentinels(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("find sources of %s: %v", dir, err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !name.IsExported() || i >= len(vs.Values) {
						continue
					}
					if reason, ok := sentinelReason(vs.Values[i]); ok {
						out[name.Name] = reason
					}
				}
			}
		}
	}
	return out
}

// sentinelReason recognises newErr("REASON", ...) and
// &model.Error{Reason: "REASON", ...} (or &Error{...} inside model).
func sentinelReason(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "newErr" && len(e.Args) > 0 {
			return stringLit(e.Args[0])
		}
	case *ast.UnaryExpr:
		lit, ok := e.X.(*ast.CompositeLit)
		if !ok || e.Op != token.AND || !isModelError(lit.Type) {
			return "", false
		}
		for _, el := range lit.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Reason" {
					return stringLit(kv.Value)
				}
			}
		}
	}
	return "", false
}

func isModelError(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		pkg, ok := e.X.(*ast.Ident)
		return ok && pkg.Name == "model" && e.Sel.Name == "Error"
	case *ast.Ident:
		return e.Name == "Error"
	}
	return false
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
