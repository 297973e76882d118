package server

import (
	"context"
	"errors"
	"log/slog"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	"github.com/skillpass-nl/skillpass/credential"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
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

	// Issuance refusals. Those about one request field also carry a
	// BadRequest field violation (see toStatus); the reason tells which
	// rule the content broke.
	{issuer.ErrNotAccredited, codes.FailedPrecondition},
	{issuer.ErrCompetencyNotInProfile, codes.InvalidArgument},
	{issuer.ErrLevelOffScale, codes.InvalidArgument},
	{issuer.ErrDuplicateCompetency, codes.InvalidArgument},
	{issuer.ErrNoSkills, codes.InvalidArgument},
	{issuer.ErrValidityNotGrantable, codes.InvalidArgument},
	{issuer.ErrHolderIDNotPseudonymous, codes.InvalidArgument},
	{issuer.ErrBatchTooLarge, codes.InvalidArgument},

	// Key lifecycle: states of the issuer's key set a caller can change.
	{keys.ErrKeyUnknown, codes.NotFound},
	{keys.ErrKeyCompromised, codes.FailedPrecondition},
	{keys.ErrKeyNotActive, codes.FailedPrecondition},
	{keys.ErrNoSigningKey, codes.FailedPrecondition},
	{keys.ErrRotationPending, codes.FailedPrecondition},
	{keys.ErrKeySetFull, codes.FailedPrecondition},
	// Key material the server holds is unusable: the operator's problem
	// (wrong or damaged KEK, damaged database), never the caller's.
	// Internal, with the reason so an operator can search the log for it.
	{keys.ErrKEKInvalid, codes.Internal},
	{keys.ErrWrongKEK, codes.Internal},
	{keys.ErrSealedMalformed, codes.Internal},
	{keys.ErrUnsealFailed, codes.Internal},
	{keys.ErrKeyBinding, codes.Internal},

	// Token problems. A verification reports them inside its verdict, not
	// as a call error; if one ever escapes, the caller's token is at fault.
	{credential.ErrTooLarge, codes.InvalidArgument},
	{credential.ErrMalformed, codes.InvalidArgument},
	{credential.ErrUnsupportedAlg, codes.InvalidArgument},
	{credential.ErrForbiddenHeader, codes.InvalidArgument},
	{credential.ErrWrongType, codes.InvalidArgument},
	{credential.ErrMissingKid, codes.InvalidArgument},
	{credential.ErrMultipleSignatures, codes.InvalidArgument},
	{credential.ErrPayloadNotJSON, codes.InvalidArgument},
	{credential.ErrDuplicateKey, codes.InvalidArgument},
	{credential.ErrNotCredential, codes.InvalidArgument},
	{credential.ErrIssuerMismatch, codes.InvalidArgument},
	{credential.ErrSignatureInvalid, codes.InvalidArgument},
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
	// A refusal may be both a sentinel and a field violation (issuer's
	// "level not on scale" names the skill's level field): the sentinel
	// gives the code and reason, the violation the BadRequest detail.
	var verr *model.ValidationError
	errors.As(err, &verr)
	for _, e := range errorCodes {
		if errors.Is(err, e.err) {
			return sentinelStatus(log, method, err, e.err, e.code, verr)
		}
	}
	if verr != nil {
		return validationStatus(verr)
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

// sentinelStatus is the status of an error that wraps sentinel: code, an
// ErrorInfo with the sentinel's reason (and, for an accreditation refusal,
// which check failed), and the field violations if there are any.
func sentinelStatus(log *slog.Logger, method string, err error, sentinel *model.Error, code codes.Code, verr *model.ValidationError) *status.Status {
	info := &errdetails.ErrorInfo{Reason: sentinel.Reason, Domain: errorDomain}
	var refusal *issuer.AccreditationRefusal
	if errors.As(err, &refusal) {
		info.Metadata = map[string]string{"check": refusal.Check}
		if refusal.AccreditationID != "" {
			info.Metadata["accreditation"] = model.AccreditationName(refusal.IssuerID, refusal.AccreditationID)
		}
	}
	msg := err.Error()
	if code == codes.Internal {
		// The detail may name files or key ids: log it, do not send it.
		if log != nil {
			log.Error("internal error", "method", method, "reason", sentinel.Reason, "error", err)
		}
		msg = internalMessage
	}
	details := []protoadapt.MessageV1{info}
	if verr != nil {
		details = append(details, badRequest(verr))
	}
	return withDetails(status.New(code, msg), details...)
}

// validationStatus is InvalidArgument with one BadRequest field violation
// per invalid field, so clients can point at what to fix.
func validationStatus(verr *model.ValidationError) *status.Status {
	return withDetails(status.New(codes.InvalidArgument, verr.Error()),
		&errdetails.ErrorInfo{Reason: reasonInvalidArgument, Domain: errorDomain}, badRequest(verr))
}

func badRequest(verr *model.ValidationError) *errdetails.BadRequest {
	br := &errdetails.BadRequest{}
	for _, v := range verr.Violations {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{
			Field:       v.Field,
			Description: v.Description,
		})
	}
	return br
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
