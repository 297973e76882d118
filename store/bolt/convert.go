package bolt

// Conversions between the domain types of package model and their on-disk
// protobuf encoding (gen/skillpass/storage/v1). Every record is stored as a
// storagev1 message so fields can be added later without rewriting the
// database; these functions are the only place that knows the mapping.

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	storagev1 "github.com/skillpass-nl/skillpass/gen/skillpass/storage/v1"
	"github.com/skillpass-nl/skillpass/model"
)

// Times: the zero time means "not set" in the domain (e.g. RetireTime of a
// live profile), so it is stored as an absent Timestamp rather than as year 1.
func tsToPB(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// tsFromPB returns times in UTC: the instant is what is stored, not the zone
// the writer happened to use.
func tsFromPB(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime()
}

func textToPB(t model.Text) *storagev1.Text {
	if t == (model.Text{}) {
		return nil
	}
	return &storagev1.Text{Nl: t.NL, En: t.EN}
}

func textFromPB(t *storagev1.Text) model.Text {
	return model.Text{NL: t.GetNl(), EN: t.GetEn()}
}

// hashFromPB turns a stored byte string back into a fixed-size hash; any
// other length means the record is damaged, which must not pass silently
// for a token hash or a request fingerprint.
func hashFromPB(field string, b []byte) ([32]byte, error) {
	var h [32]byte
	if len(b) != len(h) {
		return h, fmt.Errorf("corrupt record: %s has %d bytes, want %d", field, len(b), len(h))
	}
	copy(h[:], b)
	return h, nil
}

func sectorToPB(s *model.Sector) *storagev1.Sector {
	return &storagev1.Sector{
		Id:         s.ID,
		Name:       textToPB(s.Name),
		Authority:  s.Authority,
		CreateTime: tsToPB(s.CreateTime),
		UpdateTime: tsToPB(s.UpdateTime),
	}
}

func sectorFromPB(p *storagev1.Sector) *model.Sector {
	return &model.Sector{
		ID:         p.GetId(),
		Name:       textFromPB(p.GetName()),
		Authority:  p.GetAuthority(),
		CreateTime: tsFromPB(p.GetCreateTime()),
		UpdateTime: tsFromPB(p.GetUpdateTime()),
	}
}

func competencyToPB(c *model.Competency) *storagev1.Competency {
	out := &storagev1.Competency{
		Id:          c.ID,
		Name:        textToPB(c.Name),
		Description: textToPB(c.Description),
	}
	for _, a := range c.Alignments {
		out.Alignments = append(out.Alignments, &storagev1.Alignment{
			Framework:        string(a.Framework),
			FrameworkVersion: a.FrameworkVersion,
			TargetUrl:        a.TargetURL,
			TargetCode:       a.TargetCode,
			TargetName:       a.TargetName,
		})
	}
	for _, l := range c.Levels {
		out.Levels = append(out.Levels, &storagev1.Level{
			Id:          l.ID,
			Name:        textToPB(l.Name),
			Description: textToPB(l.Description),
		})
	}
	return out
}

func competencyFromPB(p *storagev1.Competency) model.Competency {
	out := model.Competency{
		ID:          p.GetId(),
		Name:        textFromPB(p.GetName()),
		Description: textFromPB(p.GetDescription()),
	}
	for _, a := range p.GetAlignments() {
		out.Alignments = append(out.Alignments, model.Alignment{
			Framework:        model.Framework(a.GetFramework()),
			FrameworkVersion: a.GetFrameworkVersion(),
			TargetURL:        a.GetTargetUrl(),
			TargetCode:       a.GetTargetCode(),
			TargetName:       a.GetTargetName(),
		})
	}
	for _, l := range p.GetLevels() {
		out.Levels = append(out.Levels, model.Level{
			ID:          l.GetId(),
			Name:        textFromPB(l.GetName()),
			Description: textFromPB(l.GetDescription()),
		})
	}
	return out
}

func profileToPB(p *model.ProfileVersion) *storagev1.ProfileVersion {
	out := &storagev1.ProfileVersion{
		SectorId:    p.SectorID,
		ProfileId:   p.ProfileID,
		Version:     p.Version,
		Name:        textToPB(p.Name),
		Description: textToPB(p.Description),
		NlqfLevel:   string(p.NLQFLevel),
		ReviewBy:    p.ReviewBy,
		State:       string(p.State),
		Digest:      p.Digest,
		CreateTime:  tsToPB(p.CreateTime),
		UpdateTime:  tsToPB(p.UpdateTime),
		PublishTime: tsToPB(p.PublishTime),
		RetireTime:  tsToPB(p.RetireTime),
	}
	for i := range p.Competencies {
		out.Competencies = append(out.Competencies, competencyToPB(&p.Competencies[i]))
	}
	return out
}

func profileFromPB(p *storagev1.ProfileVersion) *model.ProfileVersion {
	out := &model.ProfileVersion{
		SectorID:    p.GetSectorId(),
		ProfileID:   p.GetProfileId(),
		Version:     p.GetVersion(),
		Name:        textFromPB(p.GetName()),
		Description: textFromPB(p.GetDescription()),
		NLQFLevel:   model.NLQFLevel(p.GetNlqfLevel()),
		ReviewBy:    p.GetReviewBy(),
		State:       model.ProfileState(p.GetState()),
		Digest:      p.GetDigest(),
		CreateTime:  tsFromPB(p.GetCreateTime()),
		UpdateTime:  tsFromPB(p.GetUpdateTime()),
		PublishTime: tsFromPB(p.GetPublishTime()),
		RetireTime:  tsFromPB(p.GetRetireTime()),
	}
	for _, c := range p.GetCompetencies() {
		out.Competencies = append(out.Competencies, competencyFromPB(c))
	}
	return out
}

func issuerToPB(i *model.Issuer) *storagev1.Issuer {
	out := &storagev1.Issuer{
		Id:         i.ID,
		LegalName:  i.LegalName,
		KvkNumber:  i.KvKNumber,
		CreateTime: tsToPB(i.CreateTime),
		UpdateTime: tsToPB(i.UpdateTime),
	}
	if i.Contact != (model.Contact{}) {
		out.Contact = &storagev1.Contact{Email: i.Contact.Email, Website: i.Contact.Website, Phone: i.Contact.Phone}
	}
	return out
}

func issuerFromPB(p *storagev1.Issuer) *model.Issuer {
	c := p.GetContact()
	return &model.Issuer{
		ID:         p.GetId(),
		LegalName:  p.GetLegalName(),
		KvKNumber:  p.GetKvkNumber(),
		Contact:    model.Contact{Email: c.GetEmail(), Website: c.GetWebsite(), Phone: c.GetPhone()},
		CreateTime: tsFromPB(p.GetCreateTime()),
		UpdateTime: tsFromPB(p.GetUpdateTime()),
	}
}

func eventToPB(e *model.AccreditationEvent) *storagev1.AccreditationEvent {
	return &storagev1.AccreditationEvent{
		State:         string(e.State),
		Reason:        e.Reason,
		EffectiveTime: tsToPB(e.EffectiveTime),
		RecordTime:    tsToPB(e.RecordTime),
		Actor:         e.Actor,
	}
}

func eventFromPB(p *storagev1.AccreditationEvent) model.AccreditationEvent {
	return model.AccreditationEvent{
		State:         model.AccreditationState(p.GetState()),
		Reason:        p.GetReason(),
		EffectiveTime: tsFromPB(p.GetEffectiveTime()),
		RecordTime:    tsFromPB(p.GetRecordTime()),
		Actor:         p.GetActor(),
	}
}

func accreditationToPB(a *model.Accreditation) *storagev1.Accreditation {
	out := &storagev1.Accreditation{
		IssuerId:   a.IssuerID,
		Id:         a.ID,
		SectorId:   a.SectorID,
		ProfileId:  a.ProfileID,
		MinVersion: a.MinVersion,
		MaxVersion: a.MaxVersion,
		ValidFrom:  tsToPB(a.ValidFrom),
		ValidUntil: tsToPB(a.ValidUntil),
		CreateTime: tsToPB(a.CreateTime),
	}
	for i := range a.Events {
		out.Events = append(out.Events, eventToPB(&a.Events[i]))
	}
	return out
}

func accreditationFromPB(p *storagev1.Accreditation) *model.Accreditation {
	out := &model.Accreditation{
		IssuerID:   p.GetIssuerId(),
		ID:         p.GetId(),
		SectorID:   p.GetSectorId(),
		ProfileID:  p.GetProfileId(),
		MinVersion: p.GetMinVersion(),
		MaxVersion: p.GetMaxVersion(),
		ValidFrom:  tsFromPB(p.GetValidFrom()),
		ValidUntil: tsFromPB(p.GetValidUntil()),
		CreateTime: tsFromPB(p.GetCreateTime()),
	}
	for _, e := range p.GetEvents() {
		out.Events = append(out.Events, eventFromPB(e))
	}
	return out
}

func principalToPB(p *model.Principal) *storagev1.Principal {
	return &storagev1.Principal{
		Id:          p.ID,
		Kind:        string(p.Kind),
		DisplayName: p.DisplayName,
		SectorIds:   p.SectorIDs,
		IssuerId:    p.IssuerID,
		CreateTime:  tsToPB(p.CreateTime),
	}
}

func principalFromPB(p *storagev1.Principal) *model.Principal {
	return &model.Principal{
		ID:          p.GetId(),
		Kind:        model.PrincipalKind(p.GetKind()),
		DisplayName: p.GetDisplayName(),
		SectorIDs:   p.GetSectorIds(),
		IssuerID:    p.GetIssuerId(),
		CreateTime:  tsFromPB(p.GetCreateTime()),
	}
}

func tokenToPB(t *model.Token) *storagev1.Token {
	return &storagev1.Token{
		PrincipalId: t.PrincipalID,
		Id:          t.ID,
		SecretHash:  t.SecretHash[:],
		Description: t.Description,
		CreateTime:  tsToPB(t.CreateTime),
		ExpireTime:  tsToPB(t.ExpireTime),
		RevokeTime:  tsToPB(t.RevokeTime),
	}
}

func tokenFromPB(p *storagev1.Token) (*model.Token, error) {
	h, err := hashFromPB("token secret_hash", p.GetSecretHash())
	if err != nil {
		return nil, err
	}
	return &model.Token{
		PrincipalID: p.GetPrincipalId(),
		ID:          p.GetId(),
		SecretHash:  h,
		Description: p.GetDescription(),
		CreateTime:  tsFromPB(p.GetCreateTime()),
		ExpireTime:  tsFromPB(p.GetExpireTime()),
		RevokeTime:  tsFromPB(p.GetRevokeTime()),
	}, nil
}

func requestToPB(r *model.RequestRecord) *storagev1.RequestRecord {
	return &storagev1.RequestRecord{
		Fingerprint: r.Fingerprint[:],
		ResultName:  r.ResultName,
		Result:      r.Result,
		CreateTime:  tsToPB(r.CreateTime),
	}
}

func requestFromPB(p *storagev1.RequestRecord) (*model.RequestRecord, error) {
	fp, err := hashFromPB("request fingerprint", p.GetFingerprint())
	if err != nil {
		return nil, err
	}
	return &model.RequestRecord{
		Fingerprint: fp,
		ResultName:  p.GetResultName(),
		Result:      p.GetResult(),
		CreateTime:  tsFromPB(p.GetCreateTime()),
	}, nil
}
