package storetest

import (
	"fmt"
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

// Fixture times carry nanoseconds and a non-UTC zone: a backend must keep
// the instant exactly, whatever zone the writer used.
var (
	cet = time.FixedZone("CET", 60*60)
	t0  = time.Date(2025, 3, 14, 9, 26, 53, 589793238, cet)
)

func at(days int) time.Time { return t0.AddDate(0, 0, days) }

func sector(id string) *model.Sector {
	return &model.Sector{
		ID:         id,
		Name:       model.Text{NL: "Installatietechniek " + id, EN: "Installation engineering " + id},
		Authority:  "authority-" + id,
		CreateTime: at(0),
		UpdateTime: at(1),
	}
}

// profile returns a fully populated draft version: every field set, two
// competencies with alignments and level scales.
func profile(sectorID, profileID string, version int32) *model.ProfileVersion {
	levels := []model.Level{
		{ID: "basis", Name: model.Text{NL: "Basis", EN: "Basic"}, Description: model.Text{NL: "Onder begeleiding", EN: "Under supervision"}},
		{ID: "zelfstandig", Name: model.Text{NL: "Zelfstandig", EN: "Independent"}},
	}
	return &model.ProfileVersion{
		SectorID:    sectorID,
		ProfileID:   profileID,
		Version:     version,
		Name:        model.Text{NL: "Monteur warmtepompen", EN: "Heat pump fitter"},
		Description: model.Text{NL: "Installeert warmtepompen", EN: "Installs heat pumps"},
		NLQFLevel:   "3",
		Competencies: []model.Competency{
			{
				ID:          "install-heat-pump",
				Name:        model.Text{NL: "Warmtepomp installeren", EN: "Install heat pumps"},
				Description: model.Text{NL: "Plaatst en sluit aan", EN: "Places and connects"},
				Alignments: []model.Alignment{
					{Framework: model.FrameworkESCO, FrameworkVersion: "v1.2.0", TargetURL: "http://data.europa.eu/esco/skill/3e2e5e52-8d30-4a52-a3c8-9c5a2c6b3f0d", TargetName: "install heat pump"},
					{Framework: model.FrameworkCompetentNL, FrameworkVersion: "2025-01", TargetCode: "CNL-123"},
				},
				Levels: levels,
			},
			{ID: "safety", Name: model.Text{NL: "Veilig werken", EN: "Work safely"}, Levels: levels[:1]},
		},
		ReviewBy:    "2027-01-31",
		State:       model.ProfilePublished,
		Digest:      "sha256:" + fmt.Sprintf("%064x", version),
		CreateTime:  at(0),
		UpdateTime:  at(1),
		PublishTime: at(2),
		RetireTime:  at(3),
	}
}

func issuer(id string) *model.Issuer {
	return &model.Issuer{
		ID:         id,
		LegalName:  "Opleidingscentrum " + id + " B.V.",
		KvKNumber:  "12345678",
		Contact:    model.Contact{Email: "info@" + id + ".example", Website: "https://" + id + ".example", Phone: "+31 20 123 4567"},
		CreateTime: at(0),
		UpdateTime: at(1),
	}
}

func accreditation(issuerID, id, sectorID, profileID string) *model.Accreditation {
	return &model.Accreditation{
		IssuerID:   issuerID,
		ID:         id,
		SectorID:   sectorID,
		ProfileID:  profileID,
		MinVersion: 1,
		MaxVersion: 4,
		ValidFrom:  at(0),
		ValidUntil: at(365),
		Events: []model.AccreditationEvent{
			{State: model.AccreditationActive, Reason: "initial accreditation", EffectiveTime: at(0), RecordTime: at(0), Actor: "authority-" + sectorID},
		},
		CreateTime: at(0),
	}
}

func event(state model.AccreditationState, days int) model.AccreditationEvent {
	return model.AccreditationEvent{State: state, Reason: fmt.Sprintf("%s on day %d", state, days), EffectiveTime: at(days), RecordTime: at(days).Add(time.Minute), Actor: "authority"}
}

func principal(id string) *model.Principal {
	return &model.Principal{
		ID:          id,
		Kind:        model.KindSectorAuthority,
		DisplayName: "Authority " + id,
		SectorIDs:   []string{"cleaning", "installation"},
		CreateTime:  at(0),
	}
}

func token(principalID, id string) *model.Token {
	return &model.Token{
		PrincipalID: principalID,
		ID:          id,
		SecretHash:  model.HashSecret("secret of " + principalID + "/" + id),
		Description: "token " + id,
		CreateTime:  at(0),
		ExpireTime:  at(90),
	}
}

func request(result string) *model.RequestRecord {
	return &model.RequestRecord{
		Fingerprint: model.HashSecret("request " + result),
		ResultName:  result,
		Result:      []byte("eyJhbGciOiJFUzI1NiJ9.result of " + result),
		CreateTime:  at(0),
	}
}

// with applies edits to a fixture and returns it, for one-line variants.
func with[T any](v T, edits ...func(T)) T {
	for _, e := range edits {
		e(v)
	}
	return v
}
