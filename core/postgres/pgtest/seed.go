package pgtest

import (
	"context"
	"testing"
	"time"

	"tracegate/core"
)

// Seed is a honey cooperative in Cà Mau for tests that need a producer:
// a product, a farmer, a lot with a harvest in its diary, and stamps of
// which the first Activated are on the lot.
type Seed struct {
	Stamps    int        // issued (default 100)
	Activated int64      // serials 1..Activated go on the lot (default 10)
	FarmerURN []core.URN // default the farmer's phone, tel:+84912345678
}

// Seeded is what Seed created.
type Seeded struct {
	Facility *core.Facility
	Product  *core.Product
	Farmer   *core.Member
	Lot      *core.Lot
	Codes    []core.Code // by serial: Codes[0] is serial 1
}

// Plant creates the seed through the services, so it obeys every rule.
func (sd Seed) Plant(t testing.TB, s core.Services) *Seeded {
	t.Helper()
	if sd.Stamps == 0 {
		sd.Stamps = 100
	}
	if sd.Activated == 0 {
		sd.Activated = 10
	}
	if len(sd.FarmerURN) == 0 {
		sd.FarmerURN = []core.URN{"tel:+84912345678"}
	}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	stars := 4
	out := &Seeded{
		Facility: &core.Facility{Name: "HTX Mật ong U Minh", Province: "Cà Mau"},
		Farmer:   &core.Member{Name: "Chị Lan", URNs: sd.FarmerURN},
	}
	must(s.Facilities.CreateFacility(ctx, out.Facility))
	out.Product = &core.Product{FacilityID: out.Facility.ID, Code: "MATONG", Name: "Mật ong rừng U Minh Hạ", OCOPStars: &stars}
	must(s.Products.CreateProduct(ctx, out.Product))
	out.Farmer.FacilityID = out.Facility.ID
	must(s.Members.CreateMember(ctx, out.Farmer))
	_, err := s.Stamps.IssueBatch(ctx, out.Facility.ID, sd.Stamps, false)
	must(err)
	out.Lot, err = s.Lots.OpenLot(ctx, out.Farmer, "MATONG", "")
	must(err)
	must(s.Diary.RecordEntry(ctx, out.Farmer, &core.DiaryEntry{LotCode: out.Lot.Code, Step: core.StepHarvest,
		Channel: "sms", HappenedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}))
	_, err = s.Stamps.Activate(ctx, out.Farmer, out.Lot.Code, core.SerialRange{From: 1, To: sd.Activated})
	must(err)
	stamps, err := s.Stamps.FindStamps(ctx, out.Facility.ID, core.SerialRange{From: 1, To: int64(sd.Stamps)})
	must(err)
	for _, st := range stamps {
		out.Codes = append(out.Codes, st.Code)
	}
	return out
}
