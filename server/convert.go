package server

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/skillpass-nl/skillpass/gen/skillpass/v1"
	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/registry"
)

// Conversion between the API messages and the domain's types. Requests are
// converted after validation (validate.go), so resource names parse here;
// output-only fields of requests (times, states, digests) are never copied
// into the domain. Unknown enum values become the domain's zero value, which
// the domain rejects with a field violation.

// enumMap pairs API enum values with domain values, both ways, so each
// mapping is written once.
type enumMap[A comparable, M comparable] []struct {
	api A
	dom M
}

func (e enumMap[A, M]) toModel(a A) M {
	for _, p := range e {
		if p.api == a {
			return p.dom
		}
	}
	var zero M
	return zero
}

func (e enumMap[A, M]) toAPI(m M) A {
	for _, p := range e {
		if p.dom == m {
			return p.api
		}
	}
	var zero A
	return zero
}

var nlqfLevels = enumMap[pb.NlqfLevel, model.NLQFLevel]{
	{pb.NlqfLevel_NLQF_LEVEL_ENTRY, model.NLQFEntry},
	{pb.NlqfLevel_NLQF_LEVEL_1, "1"},
	{pb.NlqfLevel_NLQF_LEVEL_2, "2"},
	{pb.NlqfLevel_NLQF_LEVEL_3, "3"},
	{pb.NlqfLevel_NLQF_LEVEL_4, "4"},
	{pb.NlqfLevel_NLQF_LEVEL_5, "5"},
	{pb.NlqfLevel_NLQF_LEVEL_6, "6"},
	{pb.NlqfLevel_NLQF_LEVEL_7, "7"},
	{pb.NlqfLevel_NLQF_LEVEL_8, "8"},
}

var frameworks = enumMap[pb.Framework, model.Framework]{
	{pb.Framework_FRAMEWORK_ESCO, model.FrameworkESCO},
	{pb.Framework_FRAMEWORK_COMPETENTNL, model.FrameworkCompetentNL},
}

var profileStates = enumMap[pb.ProfileState, model.ProfileState]{
	{pb.ProfileState_PROFILE_STATE_DRAFT, model.ProfileDraft},
	{pb.ProfileState_PROFILE_STATE_PUBLISHED, model.ProfilePublished},
	{pb.ProfileState_PROFILE_STATE_RETIRED, model.ProfileRetired},
}

var accreditationStates = enumMap[pb.AccreditationState, model.AccreditationState]{
	{pb.AccreditationState_ACCREDITATION_STATE_ACTIVE, model.AccreditationActive},
	{pb.AccreditationState_ACCREDITATION_STATE_SUSPENDED, model.AccreditationSuspended},
	{pb.AccreditationState_ACCREDITATION_STATE_WITHDRAWN, model.AccreditationWithdrawn},
}

var principalKinds = enumMap[pb.PrincipalKind, model.PrincipalKind]{
	{pb.PrincipalKind_PRINCIPAL_KIND_ROOT, model.KindRoot},
	{pb.PrincipalKind_PRINCIPAL_KIND_SECTOR_AUTHORITY, model.KindSectorAuthority},
	{pb.PrincipalKind_PRINCIPAL_KIND_ISSUER_CLIENT, model.KindIssuerClient},
	{pb.PrincipalKind_PRINCIPAL_KIND_ANONYMOUS, model.KindAnonymous},
}

// timeToAPI maps the domain's zero time ("not set") to an absent field.
func timeToAPI(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// timeToModel maps an absent field to the zero time. Timestamps were
// checked by the validator, so AsTime does not clamp anything.
func timeToModel(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}

func textToAPI(t model.Text) *pb.LocalizedText {
	return &pb.LocalizedText{Nl: t.NL, En: t.EN}
}

func textToModel(t *pb.LocalizedText) model.Text {
	return model.Text{NL: t.GetNl(), EN: t.GetEn()}
}

// Sectors.

func sectorToAPI(s *model.Sector) *pb.Sector {
	return &pb.Sector{
		Name:        model.SectorName(s.ID),
		DisplayName: textToAPI(s.Name),
		Authority:   s.Authority,
		CreateTime:  timeToAPI(s.CreateTime),
		UpdateTime:  timeToAPI(s.UpdateTime),
	}
}

func sectorToModel(id string, s *pb.Sector) *model.Sector {
	return &model.Sector{ID: id, Name: textToModel(s.GetDisplayName()), Authority: s.GetAuthority()}
}

// Profile versions.

func profileVersionToAPI(p *model.ProfileVersion) *pb.ProfileVersion {
	out := &pb.ProfileVersion{
		Name:        model.ProfileVersionName(p.SectorID, p.ProfileID, p.Version),
		DisplayName: textToAPI(p.Name),
		Description: textToAPI(p.Description),
		NlqfLevel:   nlqfLevels.toAPI(p.NLQFLevel),
		EqfLevel:    int32(p.NLQFLevel.EQF()),
		ReviewBy:    p.ReviewBy,
		State:       profileStates.toAPI(p.State),
		Digest:      p.Digest,
		CreateTime:  timeToAPI(p.CreateTime),
		UpdateTime:  timeToAPI(p.UpdateTime),
		PublishTime: timeToAPI(p.PublishTime),
		RetireTime:  timeToAPI(p.RetireTime),
	}
	for i := range p.Competencies {
		out.Competencies = append(out.Competencies, competencyToAPI(&p.Competencies[i]))
	}
	return out
}

// profileVersionToModel converts the content of a request's profile
// version; the ids come from the request's (validated) resource name.
func profileVersionToModel(ref versionRef, p *pb.ProfileVersion) *model.ProfileVersion {
	out := &model.ProfileVersion{
		SectorID:    ref.sectorID,
		ProfileID:   ref.profileID,
		Version:     ref.version,
		Name:        textToModel(p.GetDisplayName()),
		Description: textToModel(p.GetDescription()),
		NLQFLevel:   nlqfLevels.toModel(p.GetNlqfLevel()),
		ReviewBy:    p.GetReviewBy(),
	}
	for _, c := range p.GetCompetencies() {
		out.Competencies = append(out.Competencies, competencyToModel(c))
	}
	return out
}

func competencyToAPI(c *model.Competency) *pb.Competency {
	out := &pb.Competency{
		Id:          c.ID,
		DisplayName: textToAPI(c.Name),
		Description: textToAPI(c.Description),
	}
	out.Alignments = mapSlice(c.Alignments, alignmentToAPI)
	for _, l := range c.Levels {
		out.Levels = append(out.Levels, &pb.Level{
			Id:          l.ID,
			DisplayName: textToAPI(l.Name),
			Description: textToAPI(l.Description),
		})
	}
	return out
}

func alignmentToAPI(a model.Alignment) *pb.Alignment {
	return &pb.Alignment{
		Framework:        frameworks.toAPI(a.Framework),
		FrameworkVersion: a.FrameworkVersion,
		TargetUrl:        a.TargetURL,
		TargetCode:       a.TargetCode,
		TargetName:       a.TargetName,
	}
}

func competencyToModel(c *pb.Competency) model.Competency {
	out := model.Competency{
		ID:          c.GetId(),
		Name:        textToModel(c.GetDisplayName()),
		Description: textToModel(c.GetDescription()),
	}
	for _, a := range c.GetAlignments() {
		out.Alignments = append(out.Alignments, model.Alignment{
			Framework:        frameworks.toModel(a.GetFramework()),
			FrameworkVersion: a.GetFrameworkVersion(),
			TargetURL:        a.GetTargetUrl(),
			TargetCode:       a.GetTargetCode(),
			TargetName:       a.GetTargetName(),
		})
	}
	for _, l := range c.GetLevels() {
		out.Levels = append(out.Levels, model.Level{
			ID:          l.GetId(),
			Name:        textToModel(l.GetDisplayName()),
			Description: textToModel(l.GetDescription()),
		})
	}
	return out
}

// Issuers.

func issuerToAPI(i *model.Issuer) *pb.Issuer {
	return &pb.Issuer{
		Name:      model.IssuerName(i.ID),
		LegalName: i.LegalName,
		KvkNumber: i.KvKNumber,
		Contact: &pb.Contact{
			Email:   i.Contact.Email,
			Website: i.Contact.Website,
			Phone:   i.Contact.Phone,
		},
		CreateTime: timeToAPI(i.CreateTime),
		UpdateTime: timeToAPI(i.UpdateTime),
	}
}

func issuerToModel(id string, i *pb.Issuer) *model.Issuer {
	c := i.GetContact()
	return &model.Issuer{
		ID:        id,
		LegalName: i.GetLegalName(),
		KvKNumber: i.GetKvkNumber(),
		Contact:   model.Contact{Email: c.GetEmail(), Website: c.GetWebsite(), Phone: c.GetPhone()},
	}
}

// Accreditations.

// accreditationToAPI shows the state in force at now, and the reason and
// effective time of the latest recorded change (which may be scheduled).
func accreditationToAPI(a *model.Accreditation, now time.Time) *pb.Accreditation {
	out := &pb.Accreditation{
		Name:       model.AccreditationName(a.IssuerID, a.ID),
		Profile:    model.ProfileName(a.SectorID, a.ProfileID),
		MinVersion: a.MinVersion,
		MaxVersion: a.MaxVersion,
		ValidFrom:  timeToAPI(a.ValidFrom),
		ValidUntil: timeToAPI(a.ValidUntil),
		State:      accreditationStates.toAPI(a.Current(now).State),
		CreateTime: timeToAPI(a.CreateTime),
	}
	if ev := a.Latest(); ev != nil {
		out.StateReason = ev.Reason
		out.StateTime = timeToAPI(ev.EffectiveTime)
	}
	return out
}

// accreditationToModel converts a request's accreditation terms; the ids
// come from the parsed resource names.
func accreditationToModel(issuerID, sectorID, profileID string, a *pb.Accreditation) *model.Accreditation {
	return &model.Accreditation{
		IssuerID:   issuerID,
		SectorID:   sectorID,
		ProfileID:  profileID,
		MinVersion: a.GetMinVersion(),
		MaxVersion: a.GetMaxVersion(),
		ValidFrom:  timeToModel(a.GetValidFrom()),
		ValidUntil: timeToModel(a.GetValidUntil()),
	}
}

func accreditationEventsToAPI(events []model.AccreditationEvent) []*pb.AccreditationEvent {
	out := make([]*pb.AccreditationEvent, len(events))
	for i, ev := range events {
		out[i] = &pb.AccreditationEvent{
			State:         accreditationStates.toAPI(ev.State),
			Reason:        ev.Reason,
			EffectiveTime: timeToAPI(ev.EffectiveTime),
			RecordTime:    timeToAPI(ev.RecordTime),
			Actor:         model.PrincipalName(ev.Actor),
			Sequence:      int32(i + 1),
		}
	}
	return out
}

func checkToAPI(c *registry.Check) *pb.CheckAccreditationResponse {
	out := &pb.CheckAccreditationResponse{
		Accredited:  c.Accredited,
		StateAtTime: accreditationStates.toAPI(c.StateAtTime),
		Reason:      c.Reason,
	}
	if c.Accreditation != nil {
		out.Accreditation = model.AccreditationName(c.Accreditation.IssuerID, c.Accreditation.ID)
	}
	return out
}

// Principals and tokens.

func principalToAPI(p *model.Principal) *pb.Principal {
	out := &pb.Principal{
		Name:        model.PrincipalName(p.ID),
		Kind:        principalKinds.toAPI(p.Kind),
		DisplayName: p.DisplayName,
		CreateTime:  timeToAPI(p.CreateTime),
	}
	for _, s := range p.SectorIDs {
		out.Sectors = append(out.Sectors, model.SectorName(s))
	}
	if p.IssuerID != "" {
		out.Issuer = model.IssuerName(p.IssuerID)
	}
	return out
}

// principalToModel converts a request's principal, parsing the names of
// its sectors and issuer.
func principalToModel(id string, p *pb.Principal) (*model.Principal, error) {
	out := &model.Principal{
		ID:          id,
		Kind:        principalKinds.toModel(p.GetKind()),
		DisplayName: p.GetDisplayName(),
	}
	for i, s := range p.GetSectors() {
		sectorID, err := parseSectorName(s)
		if err != nil {
			return nil, badName(fmt.Sprintf("principal.sectors[%d]", i), err)
		}
		out.SectorIDs = append(out.SectorIDs, sectorID)
	}
	if p.GetIssuer() != "" {
		issuerID, err := parseIssuerName(p.GetIssuer())
		if err != nil {
			return nil, badName("principal.issuer", err)
		}
		out.IssuerID = issuerID
	}
	return out, nil
}

func tokenToAPI(t *model.Token) *pb.Token {
	return &pb.Token{
		Name:        model.TokenName(t.PrincipalID, t.ID),
		Description: t.Description,
		CreateTime:  timeToAPI(t.CreateTime),
		ExpireTime:  timeToAPI(t.ExpireTime),
		RevokeTime:  timeToAPI(t.RevokeTime),
	}
}
