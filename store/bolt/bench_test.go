package bolt

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/skillpass-nl/skillpass/model"
	"github.com/skillpass-nl/skillpass/store"
)

// benchProfile is a profile version of realistic size: a dozen
// competencies, each with two alignments and a four-step scale.
func benchProfile(sectorID, profileID string, version int32) *model.ProfileVersion {
	p := &model.ProfileVersion{
		SectorID: sectorID, ProfileID: profileID, Version: version,
		Name:      model.Text{NL: "Monteur elektrotechnische installaties", EN: "Electrical installation fitter"},
		NLQFLevel: "3", ReviewBy: "2027-06-30", State: model.ProfilePublished,
		Digest:     "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
		CreateTime: time.Now(), PublishTime: time.Now(),
	}
	for i := range 12 {
		c := model.Competency{
			ID:   fmt.Sprintf("competency-%02d", i),
			Name: model.Text{NL: "Installeren en aansluiten", EN: "Install and connect"},
			Alignments: []model.Alignment{
				{Framework: model.FrameworkESCO, FrameworkVersion: "v1.2.0", TargetURL: "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-0000000000" + fmt.Sprintf("%02d", i)},
				{Framework: model.FrameworkCompetentNL, FrameworkVersion: "2025", TargetCode: fmt.Sprintf("CNL-%04d", i)},
			},
		}
		for _, l := range []string{"basis", "gevorderd", "zelfstandig", "expert"} {
			c.Levels = append(c.Levels, model.Level{ID: l, Name: model.Text{NL: l, EN: l}})
		}
		p.Competencies = append(p.Competencies, c)
	}
	return p
}

// BenchmarkGetProfileVersion is the verifier's hot read: one View, one
// profile version lookup among 20 profiles of 5 versions each.
func BenchmarkGetProfileVersion(b *testing.B) {
	s := openTemp(b)
	err := s.Update(context.Background(), func(tx store.Tx) error {
		for p := range 20 {
			for v := int32(1); v <= 5; v++ {
				if err := tx.CreateProfileVersion(benchProfile("installatie", fmt.Sprintf("profile-%02d", p), v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		err := s.View(ctx, func(tx store.ReadTx) error {
			_, err := tx.GetProfileVersion("installatie", "profile-07", 3)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateSmall is one small durable write: a request record, as
// every idempotent mutation adds. It is dominated by the commit's fsync.
func BenchmarkUpdateSmall(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	rec := &model.RequestRecord{Fingerprint: model.HashSecret("fp"), ResultName: "sectors/installatie", CreateTime: time.Now()}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		err := s.Update(ctx, func(tx store.Tx) error { return tx.PutRequest(fmt.Sprintf("root\x00CreateSector\x00%d", i), rec) })
		if err != nil {
			b.Fatal(err)
		}
	}
}
