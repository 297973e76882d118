package server

import (
	"context"
	"errors"
	"log/slog"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	"github.com/skillpass-nl/skillpass/model"
)

// errorDomain is the ErrorInfo domain of every Skillpass error.
const errorDomain = "skillpass.nl"

// reasonInvalidArgument is the ErrorInfo reason of a request that failed
// validation; the field violations are in a BadRequest detail.
const reasonInvalidArgument = "INVALID_ARGUMENT"

// errorCodes is the one table that turns domain sentinels into gRPC codes.
// The domain and store never speak gRPC; everything they return passes
// through here (see toStatus).
var errorCodes = []struct {
	err  *model.Error
	code codes.Code
}{
	{model.ErrNotFound, codes.NotFound},
	{model.ErrSectorUnknown, codes.NotFound},
	{model.ErrProfileUnknown, codes.NotFound},
	{model.ErrIssuerUnknown, codes.NotFound},
	{model.ErrPrincipalUnknown, codes.NotFound},
	{model.ErrAlreadyExists, codes.AlreadyExists},
	{model.ErrUnauthenticated, codes.Unauthenticated},
	{model.ErrTokenRevoked, codes.Unauthenticated},
	{model.ErrPermissionDenied, codes.PermissionDenied},
	{model.ErrProfileNotDraft, codes.FailedPrecondition},
	{model.ErrProfileNotPublished, codes.FailedPrecondition},
	{model.ErrInvalidTransition, codes.FailedPrecondition},
	{model.ErrRequestIDReused, codes.FailedPrecondition},
	{model.ErrBackupInvalid, codes.InvalidArgument},
}

// internalMessage is all a client learns about an unexpected error: the
// real error may name files, keys or internals and goes to the log only.
const internalMessage = "internal error"

// toStatus converts any error a handler or the domain returns into a gRPC
// status. Errors that are not in the table become Internal with a generic
// message; the real error is logged with log (which may be nil).
func toStatus(log *slog.Logger, method string, err error) *status.Status {
	if err == nil {
		return nil
	}
	var verr *model.ValidationError
	if errors.As(err, &verr) {
		return validationStatus(verr)
	}
	for _, e := range errorCodes {
		if errors.Is(err, e.err) {
			return withDetails(status.New(e.code, err.Error()),
				&errdetails.ErrorInfo{Reason: e.err.Reason, Domain: errorDomain})
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return status.New(codes.Canceled, "the call was cancelled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.New(codes.DeadlineExceeded, "the call's deadline passed")
	}
	// A status made by the transport (a failed Send, a limit we enforce)
	// already says what happened.
	if s, ok := status.FromError(err); ok && s.Code() != codes.Unknown {
		return s
	}
	if log != nil {
		log.Error("internal error", "method", method, "error", err)
	}
	return status.New(codes.Internal, internalMessage)
}

// validationStatus is InvalidArgument with one BadRequest field violation
// per invalid field, so clients can point at what to fix.
func validationStatus(verr *model.ValidationError) *status.Status {
	br := &errdetails.BadRequest{}
	for _, v := range verr.Violations {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{
			Field:       v.Field,
			Description: v.Description,
		})
	}
	return withDetails(status.New(codes.InvalidArgument, verr.Error()),
		&errdetails.ErrorInfo{Reason: reasonInvalidArgument, Domain: errorDomain}, br)
}

// withDetails attaches details. Attaching can only fail for a status with
// code OK, which is never built here; if it did, the plain status is still
// the right answer.
func withDetails(s *status.Status, details ...protoadapt.MessageV1) *status.Status {
	ds, err := s.WithDetails(details...)
	if err != nil {
		return s
	}
	return ds
}
