package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/core"
)

// Story is a seeded honey lot with every kind of event a lot can have,
// and a processor's lot made from part of it: what an export of lots is
// tested on. The seed's facility and product have no GS1 keys; the
// processor has a GLN and its product a GTIN, so both kinds of identifier
// show.
type Story struct {
	*Seeded
	Processor *core.Facility
	Jar       *core.Product
	Worker    *core.Member
	Batch     *core.Lot // the processor's lot
	// ToProcessor is the farm's shipment the processor took as an input.
	ToProcessor *core.Shipment
}

// The GS1 keys of the story's processor and its product.
var (
	StoryGLN  = withCheckDigit("893000000001")
	StoryGTIN = withCheckDigit("893000000010")
)

func withCheckDigit(body string) string {
	d, _ := core.GS1CheckDigit(body)
	return body + string(d)
}

// PlantStory plants the seed and then its story, through the services
// except for the recall (see Recall). The farm lot gets, in this order:
// the seed's harvest and activation of 1-10, a diary entry for every other
// step (one more entry, undone), a void of 9-10 and of the issued 13, an
// activation of 11-15 (so 11-12 and 14-15), an input, a shipment to the
// processor, another to a buyer known only by name, and a recall. Stamps,
// inputs and shipments take the database's clock, after the diary's dates. The
// processor's lot takes the shipment, processes, packs and ships.
func (sd Seed) PlantStory(t testing.TB, s core.Services, pool *pgxpool.Pool) *Story {
	t.Helper()
	st := &Story{Seeded: sd.Plant(t, s)}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("story: %v", err)
		}
	}
	st.plantProcessor(t, s)
	farm, lot := st.Farmer, st.Lot.Code
	day := func(d int) time.Time { return time.Date(2026, 2, d, 2, 0, 0, 0, time.UTC) }
	q := func(v string, u core.Unit) *core.Quantity { return &core.Quantity{Value: v, Unit: u} }
	entries := []*core.DiaryEntry{
		{Step: core.StepSow, HappenedAt: day(1), Quantity: q("2", "cong"), Note: "đặt 40 thùng ong"},
		{Step: core.StepPlant, HappenedAt: day(2), Quantity: q("30", "cay"), Note: "trồng tràm"},
		{Step: core.StepFeed, HappenedAt: day(3), Quantity: q("1,5", "bao"), Note: "đường cho ong"},
		{Step: core.StepSpray, HappenedAt: day(4), Quantity: q("250", "ml"), Note: "thuốc trị ve"},
		{Step: core.StepWater, HappenedAt: day(5), Quantity: q("20", "l")},
		{Step: core.StepOther, HappenedAt: day(6), Note: "kiểm tra tổ"},
		{Step: core.StepPack, HappenedAt: time.Date(2026, 3, 3, 3, 0, 0, 0, time.UTC), Quantity: q("200", "chai")},
	}
	for _, e := range entries {
		e.LotCode, e.Channel = lot, "sms"
		must(s.Diary.RecordEntry(ctx, farm, e))
	}
	must(s.Diary.RecordEntry(ctx, farm, &core.DiaryEntry{LotCode: lot, Step: core.StepOther, Note: "nhầm", Channel: "sms"}))
	_, err := s.Diary.UndoLastEntry(ctx, farm)
	must(err)
	_, err = s.Stamps.Void(ctx, farm, core.SerialRange{From: 9, To: 10})
	must(err)
	_, err = s.Stamps.Void(ctx, farm, core.SerialRange{From: 13, To: 13})
	must(err)
	_, err = s.Stamps.Activate(ctx, farm, lot, core.SerialRange{From: 11, To: 15})
	must(err)
	must(s.Chain.RecordInput(ctx, farm, &core.Input{LotCode: lot, What: "thùng ong", Quantity: q("40", "thung"),
		SupplierName: "Đại lý Ong Việt", SupplierLot: "T-7", Channel: "sms"}))
	st.ToProcessor = &core.Shipment{LotCode: lot, Quantity: *q("2", "ta"), BuyerName: "cong ty che bien song doc",
		Channel: "sms"}
	must(s.Chain.RecordShipment(ctx, farm, st.ToProcessor))
	must(s.Chain.RecordShipment(ctx, farm, &core.Shipment{LotCode: lot, Quantity: *q("5", "yen"),
		BuyerName: "Chợ Cà Mau", Channel: "sms"}))
	st.plantBatch(t, s)
	_, err = s.Lots.RecallLot(ctx, farm, lot, "dư lượng kháng sinh")
	must(err)
	return st
}

// plantProcessor creates the processor: a facility with a GLN, a product
// with a GTIN, a worker and an open lot.
func (st *Story) plantProcessor(t testing.TB, s core.Services) {
	t.Helper()
	ctx := context.Background()
	st.Processor = &core.Facility{Name: "Công ty Chế biến Sông Đốc", Province: "Cà Mau", GLN: StoryGLN}
	st.Jar = &core.Product{Code: "MATONGHU", Name: "Mật ong hũ 500 g", GTIN: StoryGTIN}
	st.Worker = &core.Member{Name: "Anh Tư", URNs: []core.URN{"tel:+84987654321"}}
	err := s.Facilities.CreateFacility(ctx, st.Processor)
	if err == nil {
		st.Jar.FacilityID, st.Worker.FacilityID = st.Processor.ID, st.Processor.ID
		err = s.Products.CreateProduct(ctx, st.Jar)
	}
	if err == nil {
		err = s.Members.CreateMember(ctx, st.Worker)
	}
	if err == nil {
		st.Batch, err = s.Lots.OpenLot(ctx, st.Worker, st.Jar.Code, "")
	}
	if err != nil {
		t.Fatalf("story: processor: %v", err)
	}
}

// plantBatch takes the farm's shipment into the processor's lot, then
// processes, packs and ships it.
func (st *Story) plantBatch(t testing.TB, s core.Services) {
	t.Helper()
	ctx := context.Background()
	lot := st.Batch.Code
	err := s.Chain.TakeShipment(ctx, st.Worker, &core.Input{LotCode: lot, ShipmentID: &st.ToProcessor.ID, Channel: "telegram"})
	for _, e := range []*core.DiaryEntry{
		{Step: core.StepProcess, HappenedAt: time.Date(2026, 3, 6, 1, 0, 0, 0, time.UTC),
			Quantity: &core.Quantity{Value: "180", Unit: "kg"}, Note: "lọc, cô đặc"},
		{Step: core.StepPack, HappenedAt: time.Date(2026, 3, 7, 1, 0, 0, 0, time.UTC),
			Quantity: &core.Quantity{Value: "360", Unit: "hop"}},
	} {
		if err == nil {
			e.LotCode, e.Channel = lot, "telegram"
			err = s.Diary.RecordEntry(ctx, st.Worker, e)
		}
	}
	if err == nil {
		err = s.Chain.RecordShipment(ctx, st.Worker, &core.Shipment{LotCode: lot,
			Quantity: core.Quantity{Value: "100", Unit: "hop"}, BuyerName: "Siêu thị Co.op Cà Mau",
			Channel: "telegram"})
	}
	if err != nil {
		t.Fatalf("story: the processor's lot: %v", err)
	}
}
