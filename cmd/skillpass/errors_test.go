package main

import (
	"bytes"
	"errors"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestRenderError(t *testing.T) {
	bad := status.New(codes.InvalidArgument, "invalid argument: issuer.kvk_number: must be exactly 8 digits, got \"123\"")
	bad, err := bad.WithDetails(
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "issuer.kvk_number", Description: `must be exactly 8 digits, got "123"`},
			{Field: "issuer.legal_name", Description: "is required"},
		}},
		&errdetails.ErrorInfo{Reason: "INVALID_ARGUMENT", Domain: "skillpass.nl"},
	)
	if err != nil {
		t.Fatal(err)
	}
	denied, err := status.New(codes.PermissionDenied, "permission denied").WithDetails(
		&errdetails.ErrorInfo{Reason: "PERMISSION_DENIED", Domain: "skillpass.nl", Metadata: map[string]string{"principal": "principals/x", "action": "create_sector"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "ok/field violations and reason",
			err:  bad.Err(),
			want: "error: InvalidArgument: invalid argument: issuer.kvk_number: must be exactly 8 digits, got \"123\"\n" +
				"  issuer.kvk_number: must be exactly 8 digits, got \"123\"\n" +
				"  issuer.legal_name: is required\n" +
				"  reason: INVALID_ARGUMENT (skillpass.nl)\n",
		},
		{
			name: "ok/reason with sorted metadata",
			err:  denied.Err(),
			want: "error: PermissionDenied: permission denied\n  reason: PERMISSION_DENIED (skillpass.nl)\n  action: create_sector\n  principal: principals/x\n",
		},
		{
			name: "ok/plain status",
			err:  status.Error(codes.Unauthenticated, "no valid credentials"),
			want: "error: Unauthenticated: no valid credentials\n",
		},
		{
			name: "ok/local error",
			err:  errors.New("profile file x.json: no such file"),
			want: "error: profile file x.json: no such file\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			renderError(&b, tt.err)
			if b.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), tt.want)
			}
		})
	}
}
