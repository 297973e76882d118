package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/issuer"
	"github.com/skillpass-nl/skillpass/keys"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/verifier"
)

// Conversion for the IssuanceService and the VerificationService. As in
// convert.go, unknown enum values become values the domain refuses with a
// field violation, never a silent default.

// maxHolderJWKBytes bounds holder_public_jwk: a public EC or OKP JWK is
// a few hundred bytes; anything near this is not one.
const maxHolderJWKBytes = 4 << 10

var keyAlgorithms = enumMap[pb.KeyAlgorithm, keys.Algorithm]{
	{pb.KeyAlgorithm_KEY_ALGORITHM_ES256, keys.ES256},
	{pb.KeyAlgorithm_KEY_ALGORITHM_EDDSA, keys.EdDSA},
}

var keyStates = enumMap[pb.KeyState, keys.State]{
	{pb.KeyState_KEY_STATE_PENDING, keys.StatePending},
	{pb.KeyState_KEY_STATE_ACTIVE, keys.StateActive},
	{pb.KeyState_KEY_STATE_RETIRED, keys.StateRetired},
	{pb.KeyState_KEY_STATE_COMPROMISED, keys.StateCompromised},
}

// assessmentMethods maps to credential.AssessmentMethods; UNSPECIFIED and
// unknown numbers become "", which the domain refuses.
var assessmentMethods = enumMap[pb.AssessmentMethod, string]{
	{pb.AssessmentMethod_ASSESSMENT_METHOD_EXAM, "EXAM"},
	{pb.AssessmentMethod_ASSESSMENT_METHOD_PRACTICAL_ASSESSMENT, "PRACTICAL_ASSESSMENT"},
	{pb.AssessmentMethod_ASSESSMENT_METHOD_WORKPLACE_ASSESSMENT, "WORKPLACE_ASSESSMENT"},
	{pb.AssessmentMethod_ASSESSMENT_METHOD_EVC_PORTFOLIO, "EVC_PORTFOLIO"},
	{pb.AssessmentMethod_ASSESSMENT_METHOD_OBSERVATION, "OBSERVATION"},
	{pb.AssessmentMethod_ASSESSMENT_METHOD_OTHER, "OTHER"},
}

var credentialStatuses = enumMap[pb.CredentialStatus, model.CredentialStatus]{
	{pb.CredentialStatus_CREDENTIAL_STATUS_ACTIVE, model.CredentialActive},
	{pb.CredentialStatus_CREDENTIAL_STATUS_SUSPENDED, model.CredentialSuspended},
	{pb.CredentialStatus_CREDENTIAL_STATUS_REVOKED, model.CredentialRevoked},
}

var verdicts = enumMap[pb.Verdict, string]{
	{pb.Verdict_VERDICT_VALID, verifier.Valid},
	{pb.Verdict_VERDICT_INVALID, verifier.Invalid},
}

var checkOutcomes = enumMap[pb.CheckOutcome, verifier.Outcome]{
	{pb.CheckOutcome_CHECK_OUTCOME_PASS, verifier.Pass},
	{pb.CheckOutcome_CHECK_OUTCOME_FAIL, verifier.Fail},
	{pb.CheckOutcome_CHECK_OUTCOME_INFO, verifier.Info},
	{pb.CheckOutcome_CHECK_OUTCOME_SKIPPED, verifier.Skipped},
}

// keyAlgorithmToModel maps UNSPECIFIED to "" (the domain's default, ES256)
// and a number the API does not define to a name the domain refuses, so a
// newer client's algorithm is never silently replaced by the default.
func keyAlgorithmToModel(a pb.KeyAlgorithm) keys.Algorithm {
	if a == pb.KeyAlgorithm_KEY_ALGORITHM_UNSPECIFIED {
		return ""
	}
	if alg := keyAlgorithms.toModel(a); alg != "" {
		return alg
	}
	return keys.Algorithm(fmt.Sprintf("KeyAlgorithm(%d)", int32(a)))
}

// Issuance requests.

// issueRequestToModel converts one IssueCredential request (alone or a
// batch item) for issuerID. Field names are those of the request message,
// so a batch item's errors read as they would for the item on its own.
func issueRequestToModel(issuerID string, req *pb.IssueCredentialRequest) (issuer.IssueRequest, error) {
	var vs model.Violations
	c := req.GetCredential()
	if !requireMessage(&vs, "credential", c != nil) {
		return issuer.IssueRequest{}, vs.Err()
	}
	ref, err := parseProfileVersionName(c.GetProfileVersion())
	if err != nil {
		vs.Add("credential.profile_version", "%v", err)
	}
	holderKey, err := holderKeyToModel(c.GetHolderPublicJwk())
	if err != nil {
		vs.Add("credential.holder_public_jwk", "%v", err)
	}
	checkTime(&vs, "credential.valid_from", c.GetValidFrom())
	checkTime(&vs, "credential.valid_until", c.GetValidUntil())
	if err := vs.Err(); err != nil {
		return issuer.IssueRequest{}, err
	}
	out := issuer.IssueRequest{
		RequestID:  req.GetRequestId(),
		IssuerID:   issuerID,
		SectorID:   ref.sectorID,
		ProfileID:  ref.profileID,
		Version:    ref.version,
		HolderID:   c.GetHolderId(),
		HolderKey:  holderKey,
		ValidFrom:  timeToModel(c.GetValidFrom()),
		ValidUntil: timeToModel(c.GetValidUntil()),
	}
	for _, sk := range c.GetSkills() {
		out.Skills = append(out.Skills, issuer.Skill{
			CompetencyID: sk.GetCompetencyId(),
			LevelID:      sk.GetLevelId(),
			Method:       assessmentMethods.toModel(sk.GetAssessmentMethod()),
			Evidence: mapSlice(sk.GetEvidence(), func(e *pb.EvidenceReference) issuer.EvidenceRef {
				return issuer.EvidenceRef{URL: e.GetUrl(), Name: e.GetDisplayName(), Digest: e.GetDigest()}
			}),
		})
	}
	return out, nil
}

// holderKeyToModel parses the holder's public JWK. A private or symmetric
// key is refused: the holder's private key must never leave the wallet,
// and one that reached us must not be bound into a credential as if it
// were safe. The description never repeats the key.
func holderKeyToModel(s string) (*jose.JSONWebKey, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > maxHolderJWKBytes {
		return nil, fmt.Errorf("is %d bytes, the maximum is %d", len(s), maxHolderJWKBytes)
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON([]byte(s)); err != nil {
		return nil, fmt.Errorf("is not a JSON Web Key (RFC 7517): %v", err)
	}
	if !k.IsPublic() {
		// Never print k.Key: it is the secret.
		return nil, fmt.Errorf("is a private or symmetric key; send only the public key (no \"d\" or \"k\" member)")
	}
	if !k.Valid() {
		return nil, fmt.Errorf("is not a valid public key")
	}
	return &k, nil
}

// Issuance results.

func issuedToAPI(in *issuer.Issued) *pb.IssuedCredential {
	return &pb.IssuedCredential{Jws: in.JWS, Record: credentialRecordToAPI(in.Record)}
}

func credentialName(issuerID, credentialID string) string {
	return model.IssuerName(issuerID) + "/credentials/" + credentialID
}

func credentialRecordToAPI(r *model.CredentialRecord) *pb.CredentialRecord {
	out := &pb.CredentialRecord{
		Name:           credentialName(r.IssuerID, r.ID),
		CredentialId:   "urn:uuid:" + r.ID,
		ProfileVersion: model.ProfileVersionName(r.SectorID, r.ProfileID, r.ProfileVersion),
		HolderIdHash:   hex.EncodeToString(r.HolderHash[:]),
		Kid:            r.Kid,
		StatusList:     r.StatusList,
		StatusIndex:    r.StatusIndex,
		IssueTime:      timeToAPI(r.IssueTime),
		ValidFrom:      timeToAPI(r.ValidFrom),
		ValidUntil:     timeToAPI(r.ValidUntil),
		Status:         credentialStatuses.toAPI(r.Status),
	}
	if r.AccreditationID != "" {
		out.Accreditation = model.AccreditationName(r.IssuerID, r.AccreditationID)
	}
	for _, e := range r.Events {
		out.Events = append(out.Events, &pb.CredentialStatusEvent{
			Status: credentialStatuses.toAPI(e.Status),
			Reason: e.Reason,
			Time:   timeToAPI(e.Time),
			Actor:  principalRef(e.Actor),
		})
	}
	return out
}

// principalRef names a principal, or "" for none.
func principalRef(id string) string {
	if id == "" {
		return ""
	}
	return model.PrincipalName(id)
}

// keySetToAPI shows an issuer's keys: public parts and lifecycle only.
// The sealed private key never leaves the domain.
func keySetToAPI(issuerID string, set keys.Set) (*pb.IssuerKeySet, error) {
	out := &pb.IssuerKeySet{Issuer: model.IssuerName(issuerID)}
	for _, k := range set {
		pk, err := issuerKeyToAPI(k)
		if err != nil {
			return nil, err
		}
		out.Keys = append(out.Keys, pk)
	}
	return out, nil
}

func issuerKeyToAPI(k keys.Key) (*pb.IssuerKey, error) {
	// Public() rather than the JWK as stored: whatever the set holds,
	// only a public key can be marshalled here.
	pub := k.PublicJWK.Public()
	if !pub.Valid() {
		return nil, fmt.Errorf("key %s has no valid public key", k.Kid)
	}
	jwk, err := json.Marshal(pub)
	if err != nil {
		return nil, fmt.Errorf("marshal public key %s: %w", k.Kid, err)
	}
	return &pb.IssuerKey{
		Kid:              k.Kid,
		Algorithm:        keyAlgorithms.toAPI(k.Alg),
		State:            keyStates.toAPI(k.State),
		PublicJwk:        string(jwk),
		PublishTime:      timeToAPI(k.PublishTime),
		ActivateTime:     timeToAPI(k.ActivateTime),
		RetireTime:       timeToAPI(k.RetireTime),
		CompromiseTime:   timeToAPI(k.CompromiseTime),
		CompromiseReason: k.CompromiseReason,
	}, nil
}

// Verdicts.

// verdictToAPI converts the verdict on token. token_hash is the SHA-256 of
// the token as sent, also when it did not parse (the verifier leaves its
// hash zero then): a client can match answers to tokens either way.
// verdictTokenHash is the verdict's token hash in hex; a token too large to be
// hashed by the verifier is hashed here.
func verdictTokenHash(v *verifier.Verdict, token string) string {
	hash := v.TokenHash
	if hash == ([32]byte{}) {
		hash = sha256.Sum256([]byte(token))
	}
	return hex.EncodeToString(hash[:])
}

func verdictToAPI(v *verifier.Verdict, token string, at time.Time) *pb.VerifyCredentialResponse {
	out := &pb.VerifyCredentialResponse{
		Verdict:    verdicts.toAPI(v.Verdict),
		TokenHash:  verdictTokenHash(v, token),
		VerifyTime: timeToAPI(at),
	}
	out.Checks = checksToAPI(v.Checks)
	if c := v.Content; c != nil {
		out.Credential = contentToAPI(c)
	}
	return out
}

// checksToAPI converts itemised checks with one allocation for all checks
// and one for their messages: this runs for every verification.
func checksToAPI(in []verifier.Check) []*pb.Check {
	checks := make([]pb.Check, len(in))
	texts := make([]pb.LocalizedText, len(in))
	out := make([]*pb.Check, len(in))
	for i, c := range in {
		texts[i].Nl, texts[i].En = c.Message.NL, c.Message.EN
		checks[i].Check, checks[i].Outcome, checks[i].Reason = string(c.Name), checkOutcomes.toAPI(c.Outcome), c.Reason
		checks[i].Message = &texts[i]
		out[i] = &checks[i]
	}
	return out
}

func contentToAPI(c *verifier.Content) *pb.CredentialSummary {
	out := &pb.CredentialSummary{
		CredentialId:   c.CredentialID,
		IssuerName:     c.IssuerName,
		IssuerUrl:      c.IssuerURL,
		ProfileName:    textToAPI(c.ProfileName),
		SectorName:     textToAPI(c.SectorName),
		ProfileDigest:  c.ProfileDigest,
		HolderId:       c.HolderID,
		HolderKeyBound: c.HolderKeyBound,
		Competencies:   mapSlice(c.Competencies, verifiedCompetencyToAPI),
		IssueTime:      timeToAPI(c.IssuedAt),
		ValidFrom:      timeToAPI(c.ValidFrom),
		ValidUntil:     timeToAPI(c.ValidUntil),
		Verified:       c.Verified,
	}
	// A token that parsed but names no registered issuer or profile still
	// shows what it claims, without inventing resource names.
	if c.IssuerID != "" {
		out.Issuer = model.IssuerName(c.IssuerID)
	}
	if c.SectorID != "" && c.ProfileID != "" && c.ProfileVersion > 0 {
		out.ProfileVersion = model.ProfileVersionName(c.SectorID, c.ProfileID, c.ProfileVersion)
	}
	return out
}

func verifiedCompetencyToAPI(c verifier.Competency) *pb.VerifiedCompetency {
	return &pb.VerifiedCompetency{
		CompetencyId:     c.ID,
		DisplayName:      textToAPI(c.Name),
		LevelId:          c.LevelID,
		LevelName:        textToAPI(c.LevelName),
		LevelRank:        int32(c.LevelRank),
		LevelCount:       int32(c.LevelCount),
		AssessmentMethod: c.Method,
		Alignments:       mapSlice(c.Alignments, alignmentToAPI),
	}
}

func passportToAPI(p *verifier.PassportVerdict, tokens []string, at time.Time) *pb.VerifyPassportResponse {
	out := &pb.VerifyPassportResponse{
		Results:          make([]*pb.VerifyCredentialResponse, len(p.Credentials)),
		ValidCount:       int32(p.Valid),
		InvalidCount:     int32(p.Invalid),
		HolderConsistent: p.HolderConsistent,
		Checks:           checksToAPI(p.Checks),
		HolderId:         p.HolderID,
		DuplicateOf:      make([]int32, len(p.DuplicateOf)),
	}
	for i, d := range p.DuplicateOf {
		out.DuplicateOf[i] = int32(d)
	}
	for i, v := range p.Credentials {
		tok := ""
		if i < len(tokens) {
			tok = tokens[i]
		}
		if i < len(p.DuplicateOf) && p.DuplicateOf[i] >= 0 {
			// A repeat answers with its verdict and token hash only: a
			// full copy per repeat could push a passport of many repeats
			// past the message limit after all its work was done.
			out.Results[i] = &pb.VerifyCredentialResponse{Verdict: verdicts.toAPI(v.Verdict), TokenHash: verdictTokenHash(v, tok), VerifyTime: timeToAPI(at)}
			continue
		}
		out.Results[i] = verdictToAPI(v, tok, at)
	}
	for _, s := range p.Summary {
		out.Summary = append(out.Summary, &pb.PassportCompetency{
			ProfileVersion: model.ProfileVersionName(s.SectorID, s.ProfileID, s.ProfileVersion),
			Competency:     verifiedCompetencyToAPI(s.Competency),
			CredentialIds:  s.CredentialIDs,
		})
	}
	return out
}
