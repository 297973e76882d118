// Package modeltest provides valid domain records for tests in every
// package, so that each test changes only what it is about.
package modeltest

import (
	"time"

	"github.com/skillpass-nl/skillpass/model"
)

// Profile returns a valid DRAFT profile version of the installation sector
// with two competencies; the caller owns the result and may change it.
func Profile(sectorID, profileID string) *model.ProfileVersion {
	return &model.ProfileVersion{
		SectorID:    sectorID,
		ProfileID:   profileID,
		Version:     1,
		Name:        model.Text{NL: "Monteur warmtepompen", EN: "Heat pump installer"},
		Description: model.Text{NL: "Installeert en onderhoudt warmtepompen.", EN: "Installs and maintains heat pumps."},
		NLQFLevel:   "3",
		ReviewBy:    "2027-06-30",
		State:       model.ProfileDraft,
		Competencies: []model.Competency{
			{
				ID:   "warmtepomp-installeren",
				Name: model.Text{NL: "Warmtepomp installeren", EN: "Install a heat pump"},
				Alignments: []model.Alignment{
					{Framework: model.FrameworkESCO, FrameworkVersion: "1.2.0", TargetURL: "http://data.europa.eu/esco/skill/8b3c2c5e-6f0a-4c1d-9a57-0e1f2a3b4c5d", TargetName: "install heat pump"},
					{Framework: model.FrameworkCompetentNL, FrameworkVersion: "2024", TargetCode: "CNL-0042"},
				},
				Levels: []model.Level{
					{ID: "1", Name: model.Text{NL: "Onder begeleiding", EN: "Supervised"}},
					{ID: "2", Name: model.Text{NL: "Zelfstandig", EN: "Independent"}},
				},
			},
			{
				ID:          "koudemiddelen",
				Name:        model.Text{NL: "Veilig werken met koudemiddelen"},
				Description: model.Text{NL: "F-gassen: lekdichtheid, terugwinning."},
				Alignments: []model.Alignment{
					{Framework: model.FrameworkESCO, FrameworkVersion: "1.2.0", TargetURL: "http://data.europa.eu/esco/skill/0d2a1f3e-4b5c-4d6e-8f70-1a2b3c4d5e6f"},
				},
				Levels: []model.Level{{ID: "basis", Name: model.Text{NL: "Basis", EN: "Basic"}}},
			},
		},
	}
}

// Sector returns a valid sector.
func Sector(id string) *model.Sector {
	return &model.Sector{ID: id, Name: model.Text{NL: "Installatietechniek", EN: "Installation technology"}, Authority: "OTIB"}
}

// Issuer returns a valid issuer.
func Issuer(id string) *model.Issuer {
	return &model.Issuer{
		ID: id, LegalName: "Opleidingscentrum Installatie B.V.", KvKNumber: "12345678",
		Contact: model.Contact{Email: "info@example.nl", Website: "https://example.nl", Phone: "+31 30 123 4567"},
	}
}

// Accreditation returns accreditation terms for the issuer and profile,
// versions 1 and up, valid from from for a year.
func Accreditation(issuerID, sectorID, profileID string, from time.Time) *model.Accreditation {
	return &model.Accreditation{
		IssuerID: issuerID, SectorID: sectorID, ProfileID: profileID,
		MinVersion: 1, ValidFrom: from, ValidUntil: from.AddDate(1, 0, 0),
	}
}
