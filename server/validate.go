package server

import (
	"fmt"
	"regexp"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/skillpass-nl/skillpass/credential"
	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/verifier"
)

// Request-shape validation, apart from the handlers and run by the
// validation interceptor before any handler: resource names, presence of
// required messages, well-formed timestamps and durations, and
// digests — what must hold before a request can be converted to the
// domain's types at all. Content rules (ids, names, reasons, page sizes,
// update masks, enum values, KvK numbers, ESCO URIs...) belong to the
// domain, which checks them once for every transport; they are not repeated
// here.

// validator checks one request message and returns a *model.ValidationError
// or nil.
type validator func(req any) error

// validateAs adapts a typed check to a validator. A request of another type
// means the table below is wired wrongly: that is a bug, not bad input.
func validateAs[T any](check func(T, *model.Violations)) validator {
	return func(req any) error {
		r, ok := req.(T)
		if !ok {
			var want T
			return fmt.Errorf("validator for %T got a %T", want, req)
		}
		var vs model.Violations
		check(r, &vs)
		return vs.Err()
	}
}

// validators holds the check of every RPC's request, by full method name.
// For streaming RPCs it checks each message received. A test fails when an
// RPC of a registered service is missing here.
var validators = map[string]validator{
	pb.RegistryService_CreateSector_FullMethodName:            validateAs(validateCreateSector),
	pb.RegistryService_GetSector_FullMethodName:               validateAs(validateGetSector),
	pb.RegistryService_ListSectors_FullMethodName:             validateAs(noShapeRules[*pb.ListSectorsRequest]),
	pb.RegistryService_UpdateSector_FullMethodName:            validateAs(validateUpdateSector),
	pb.RegistryService_CreateProfileVersion_FullMethodName:    validateAs(validateCreateProfileVersion),
	pb.RegistryService_GetProfileVersion_FullMethodName:       validateAs(validateGetProfileVersion),
	pb.RegistryService_ListProfileVersions_FullMethodName:     validateAs(validateListProfileVersions),
	pb.RegistryService_UpdateProfileVersion_FullMethodName:    validateAs(validateUpdateProfileVersion),
	pb.RegistryService_PublishProfileVersion_FullMethodName:   validateAs(validatePublishProfileVersion),
	pb.RegistryService_RetireProfileVersion_FullMethodName:    validateAs(validateRetireProfileVersion),
	pb.RegistryService_CreateIssuer_FullMethodName:            validateAs(validateCreateIssuer),
	pb.RegistryService_GetIssuer_FullMethodName:               validateAs(validateGetIssuer),
	pb.RegistryService_ListIssuers_FullMethodName:             validateAs(noShapeRules[*pb.ListIssuersRequest]),
	pb.RegistryService_UpdateIssuer_FullMethodName:            validateAs(validateUpdateIssuer),
	pb.RegistryService_CreateAccreditation_FullMethodName:     validateAs(validateCreateAccreditation),
	pb.RegistryService_GetAccreditation_FullMethodName:        validateAs(validateGetAccreditation),
	pb.RegistryService_ListAccreditations_FullMethodName:      validateAs(validateListAccreditations),
	pb.RegistryService_SuspendAccreditation_FullMethodName:    validateAs(validateSuspendAccreditation),
	pb.RegistryService_ReinstateAccreditation_FullMethodName:  validateAs(validateReinstateAccreditation),
	pb.RegistryService_WithdrawAccreditation_FullMethodName:   validateAs(validateWithdrawAccreditation),
	pb.RegistryService_ListAccreditationEvents_FullMethodName: validateAs(validateListAccreditationEvents),
	pb.RegistryService_CheckAccreditation_FullMethodName:      validateAs(validateCheckAccreditation),

	pb.AdminService_CreatePrincipal_FullMethodName: validateAs(validateCreatePrincipal),
	pb.AdminService_GetPrincipal_FullMethodName:    validateAs(validateGetPrincipal),
	pb.AdminService_ListPrincipals_FullMethodName:  validateAs(noShapeRules[*pb.ListPrincipalsRequest]),
	pb.AdminService_GetCaller_FullMethodName:       validateAs(noShapeRules[*pb.GetCallerRequest]),
	pb.AdminService_CreateToken_FullMethodName:     validateAs(validateCreateToken),
	pb.AdminService_ListTokens_FullMethodName:      validateAs(validateListTokens),
	pb.AdminService_RevokeToken_FullMethodName:     validateAs(validateRevokeToken),
	pb.AdminService_Backup_FullMethodName:          validateAs(noShapeRules[*pb.BackupRequest]),
	pb.AdminService_Restore_FullMethodName:         validateAs(validateRestoreChunk),

	pb.IssuanceService_IssueCredential_FullMethodName:       validateAs(validateIssueCredential),
	pb.IssuanceService_BatchIssueCredentials_FullMethodName: validateAs(validateBatchIssueCredentials),
	pb.IssuanceService_GetCredentialRecord_FullMethodName:   validateAs(validateGetCredentialRecord),
	pb.IssuanceService_RevokeCredential_FullMethodName:      validateAs(validateCredentialStatusChange[*pb.RevokeCredentialRequest]),
	pb.IssuanceService_SuspendCredential_FullMethodName:     validateAs(validateCredentialStatusChange[*pb.SuspendCredentialRequest]),
	pb.IssuanceService_ReinstateCredential_FullMethodName:   validateAs(validateCredentialStatusChange[*pb.ReinstateCredentialRequest]),
	pb.IssuanceService_RotateIssuerKey_FullMethodName:       validateAs(validateRotateIssuerKey),
	pb.IssuanceService_CompromiseIssuerKey_FullMethodName:   validateAs(validateIssuerField[*pb.CompromiseIssuerKeyRequest]),
	pb.IssuanceService_ListIssuerKeys_FullMethodName:        validateAs(validateIssuerField[*pb.ListIssuerKeysRequest]),

	pb.VerificationService_VerifyCredential_FullMethodName: validateAs(validateVerifyCredential),
	pb.VerificationService_VerifyPassport_FullMethodName:   validateAs(validateVerifyPassport),
	pb.VerificationService_GetIssuerJwks_FullMethodName:    validateAs(validateIssuerField[*pb.GetIssuerJwksRequest]),
	pb.VerificationService_GetStatusList_FullMethodName:    validateAs(validateIssuerField[*pb.GetStatusListRequest]),
}

// The limits on batch and passport sizes are the domain's (issuer.MaxBatch,
// verifier.MaxPassportCredentials); checking them here, before anything
// is decoded, bounds the work one call can ask for.

// noShapeRules is the validator of requests with nothing to check before
// the domain sees them (page sizes and tokens are the domain's).
func noShapeRules[T any](T, *model.Violations) {}

func validateCreateSector(r *pb.CreateSectorRequest, vs *model.Violations) {
	requireMessage(vs, "sector", r.GetSector() != nil)
}

func validateGetSector(r *pb.GetSectorRequest, vs *model.Violations) {
	checkSectorName(vs, "name", r.GetName())
}

func validateUpdateSector(r *pb.UpdateSectorRequest, vs *model.Violations) {
	if !requireMessage(vs, "sector", r.GetSector() != nil) {
		return
	}
	checkSectorName(vs, "sector.name", r.GetSector().GetName())
}

func validateCreateProfileVersion(r *pb.CreateProfileVersionRequest, vs *model.Violations) {
	checkProfileName(vs, "parent", r.GetParent())
	requireMessage(vs, "profile_version", r.GetProfileVersion() != nil)
}

func validateGetProfileVersion(r *pb.GetProfileVersionRequest, vs *model.Violations) {
	checkProfileVersionName(vs, "name", r.GetName())
}

func validateListProfileVersions(r *pb.ListProfileVersionsRequest, vs *model.Violations) {
	if _, _, err := parseProfileParent(r.GetParent()); err != nil {
		vs.Add("parent", "%v", err)
	}
}

func validateUpdateProfileVersion(r *pb.UpdateProfileVersionRequest, vs *model.Violations) {
	if !requireMessage(vs, "profile_version", r.GetProfileVersion() != nil) {
		return
	}
	checkProfileVersionName(vs, "profile_version.name", r.GetProfileVersion().GetName())
}

func validatePublishProfileVersion(r *pb.PublishProfileVersionRequest, vs *model.Violations) {
	checkProfileVersionName(vs, "name", r.GetName())
}

func validateRetireProfileVersion(r *pb.RetireProfileVersionRequest, vs *model.Violations) {
	checkProfileVersionName(vs, "name", r.GetName())
}

func validateCreateIssuer(r *pb.CreateIssuerRequest, vs *model.Violations) {
	requireMessage(vs, "issuer", r.GetIssuer() != nil)
}

func validateGetIssuer(r *pb.GetIssuerRequest, vs *model.Violations) {
	checkIssuerName(vs, "name", r.GetName())
}

func validateUpdateIssuer(r *pb.UpdateIssuerRequest, vs *model.Violations) {
	if !requireMessage(vs, "issuer", r.GetIssuer() != nil) {
		return
	}
	checkIssuerName(vs, "issuer.name", r.GetIssuer().GetName())
}

func validateCreateAccreditation(r *pb.CreateAccreditationRequest, vs *model.Violations) {
	checkIssuerName(vs, "parent", r.GetParent())
	a := r.GetAccreditation()
	if !requireMessage(vs, "accreditation", a != nil) {
		return
	}
	checkProfileName(vs, "accreditation.profile", a.GetProfile())
	checkTime(vs, "accreditation.valid_from", a.GetValidFrom())
	checkTime(vs, "accreditation.valid_until", a.GetValidUntil())
}

func validateGetAccreditation(r *pb.GetAccreditationRequest, vs *model.Violations) {
	checkAccreditationName(vs, "name", r.GetName())
}

func validateListAccreditations(r *pb.ListAccreditationsRequest, vs *model.Violations) {
	checkIssuerName(vs, "parent", r.GetParent())
}

// stateChange is what the three accreditation state-change requests share.
type stateChange interface {
	GetName() string
	GetEffectiveTime() *timestamppb.Timestamp
}

func validateStateChange(r stateChange, vs *model.Violations) {
	checkAccreditationName(vs, "name", r.GetName())
	checkTime(vs, "effective_time", r.GetEffectiveTime())
}

func validateSuspendAccreditation(r *pb.SuspendAccreditationRequest, vs *model.Violations) {
	validateStateChange(r, vs)
}

func validateReinstateAccreditation(r *pb.ReinstateAccreditationRequest, vs *model.Violations) {
	validateStateChange(r, vs)
}

func validateWithdrawAccreditation(r *pb.WithdrawAccreditationRequest, vs *model.Violations) {
	validateStateChange(r, vs)
}

func validateListAccreditationEvents(r *pb.ListAccreditationEventsRequest, vs *model.Violations) {
	checkAccreditationName(vs, "parent", r.GetParent())
}

func validateCheckAccreditation(r *pb.CheckAccreditationRequest, vs *model.Violations) {
	checkIssuerName(vs, "issuer", r.GetIssuer())
	checkProfileVersionName(vs, "profile_version", r.GetProfileVersion())
	checkTime(vs, "time", r.GetTime())
}

func validateCreatePrincipal(r *pb.CreatePrincipalRequest, vs *model.Violations) {
	p := r.GetPrincipal()
	if !requireMessage(vs, "principal", p != nil) {
		return
	}
	for i, s := range p.GetSectors() {
		checkSectorName(vs, fmt.Sprintf("principal.sectors[%d]", i), s)
	}
	if p.GetIssuer() != "" {
		checkIssuerName(vs, "principal.issuer", p.GetIssuer())
	}
}

func validateGetPrincipal(r *pb.GetPrincipalRequest, vs *model.Violations) {
	checkPrincipalName(vs, "name", r.GetName())
}

func validateCreateToken(r *pb.CreateTokenRequest, vs *model.Violations) {
	checkPrincipalName(vs, "parent", r.GetParent())
	if ttl := r.GetTtl(); ttl != nil {
		if err := ttl.CheckValid(); err != nil {
			vs.Add("ttl", "not a valid duration: %v", err)
		}
	}
}

func validateListTokens(r *pb.ListTokensRequest, vs *model.Violations) {
	checkPrincipalName(vs, "parent", r.GetParent())
}

func validateRevokeToken(r *pb.RevokeTokenRequest, vs *model.Violations) {
	if _, _, err := parseTokenName(r.GetName()); err != nil {
		vs.Add("name", "%v", err)
	}
}

var sha256Digest = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

func validateRestoreChunk(r *pb.RestoreRequest, vs *model.Violations) {
	if d := r.GetSha256(); d != "" && !sha256Digest.MatchString(d) {
		vs.Add("sha256", "got %q, want sha256:<64 lower-case hex digits>", d)
	}
}

// Issuance. The content of a credential is checked while converting it
// (convert_credentials.go), so a batch item gets the same field errors as
// a call of its own, inside its result.

func validateIssueCredential(r *pb.IssueCredentialRequest, vs *model.Violations) {
	checkIssuerName(vs, "parent", r.GetParent())
	requireMessage(vs, "credential", r.GetCredential() != nil)
}

func validateBatchIssueCredentials(r *pb.BatchIssueCredentialsRequest, vs *model.Violations) {
	checkIssuerName(vs, "parent", r.GetParent())
	switch n := len(r.GetRequests()); {
	case n == 0:
		vs.Add("requests", "is required: at least one item")
	case n > issuer.MaxBatch:
		vs.Add("requests", "has %d items, the maximum is %d", n, issuer.MaxBatch)
		return // do not list hundreds of item violations as well
	}
	// AIP-233: an item's parent is empty or the batch's.
	for i, item := range r.GetRequests() {
		if p := item.GetParent(); p != "" && p != r.GetParent() {
			vs.Add(fmt.Sprintf("requests[%d].parent", i), "got %q, want empty or the batch parent %q", p, r.GetParent())
		}
	}
}

func validateGetCredentialRecord(r *pb.GetCredentialRecordRequest, vs *model.Violations) {
	checkCredentialName(vs, "name", r.GetName())
}

func validateCredentialStatusChange[T interface{ GetName() string }](r T, vs *model.Violations) {
	checkCredentialName(vs, "name", r.GetName())
}

func validateRotateIssuerKey(r *pb.RotateIssuerKeyRequest, vs *model.Violations) {
	checkIssuerName(vs, "issuer", r.GetIssuer())
	if d := r.GetPublishDelay(); d != nil {
		if err := d.CheckValid(); err != nil {
			vs.Add("publish_delay", "not a valid duration: %v", err)
		}
	}
}

// validateIssuerField checks requests whose only name is "issuer".
func validateIssuerField[T interface{ GetIssuer() string }](r T, vs *model.Violations) {
	checkIssuerName(vs, "issuer", r.GetIssuer())
}

// Verification.

func validateVerifyCredential(r *pb.VerifyCredentialRequest, vs *model.Violations) {
	checkToken(vs, "jws", r.GetJws())
}

func validateVerifyPassport(r *pb.VerifyPassportRequest, vs *model.Violations) {
	switch n := len(r.GetJws()); {
	case n == 0:
		vs.Add("jws", "is required: at least one credential")
		return
	case n > verifier.MaxPassportCredentials:
		vs.Add("jws", "has %d credentials, the maximum is %d", n, verifier.MaxPassportCredentials)
		return
	}
	total := 0
	for _, tok := range r.GetJws() {
		total += len(tok)
	}
	if total > verifier.MaxPassportBytes {
		vs.Add("jws", "holds %d bytes of credentials, the maximum is %d", total, verifier.MaxPassportBytes)
		return
	}
	for i, tok := range r.GetJws() {
		checkToken(vs, fmt.Sprintf("jws[%d]", i), tok)
	}
}

// checkToken bounds a compact JWS before anything decodes it.
func checkToken(vs *model.Violations, field, tok string) {
	switch {
	case tok == "":
		vs.Add(field, "is required")
	case len(tok) > credential.MaxTokenBytes:
		vs.Add(field, "is %d bytes, the maximum is %d", len(tok), credential.MaxTokenBytes)
	}
}

// Shared checks.

// requireMessage records a violation if a required message is absent and
// reports whether it is present, so callers can skip checks inside it.
func requireMessage(vs *model.Violations, field string, present bool) bool {
	if !present {
		vs.Add(field, "is required")
	}
	return present
}

func checkSectorName(vs *model.Violations, field, name string) {
	if _, err := parseSectorName(name); err != nil {
		vs.Add(field, "%v", err)
	}
}

func checkProfileName(vs *model.Violations, field, name string) {
	if _, _, err := parseProfileName(name); err != nil {
		vs.Add(field, "%v", err)
	}
}

func checkProfileVersionName(vs *model.Violations, field, name string) {
	if _, err := parseProfileVersionName(name); err != nil {
		vs.Add(field, "%v", err)
	}
}

func checkIssuerName(vs *model.Violations, field, name string) {
	if _, err := parseIssuerName(name); err != nil {
		vs.Add(field, "%v", err)
	}
}

func checkAccreditationName(vs *model.Violations, field, name string) {
	if _, _, err := parseAccreditationName(name); err != nil {
		vs.Add(field, "%v", err)
	}
}

func checkCredentialName(vs *model.Violations, field, name string) {
	if _, _, err := parseCredentialName(name); err != nil {
		vs.Add(field, "%v", err)
	}
}

func checkPrincipalName(vs *model.Violations, field, name string) {
	if _, err := parsePrincipalName(name); err != nil {
		vs.Add(field, "%v", err)
	}
}

// checkTime rejects timestamps that cannot be converted (nanos out of range,
// outside years 1-9999); nil is fine here, presence is checked separately.
func checkTime(vs *model.Violations, field string, ts *timestamppb.Timestamp) {
	if ts == nil {
		return
	}
	if err := ts.CheckValid(); err != nil {
		vs.Add(field, "not a valid timestamp: %v", err)
	}
}
