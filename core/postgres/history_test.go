package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// newStory is the pgtest story on a fresh database, with its history.
func newStory(t *testing.T) (*pgtest.Story, *postgres.HistoryService) {
	t.Helper()
	pool := pgtest.New(t)
	db := postgres.New(pool)
	return pgtest.Seed{}.PlantStory(t, postgres.NewServices(db), pool), postgres.NewHistoryService(db)
}

// what names an event in a line: its kind, and a diary entry's step.
func what(ev *core.LotEvent) string {
	if ev.Kind == core.EventDiary {
		return string(ev.Entry.Step)
	}
	return string(ev.Kind)
}

func whats(events []*core.LotEvent) []string {
	out := []string{}
	for _, ev := range events {
		out = append(out, what(ev))
	}
	return out
}

func TestLotHistory(t *testing.T) {
	st, h := newStory(t)
	ctx := context.Background()

	farm, err := h.LotHistory(ctx, st.Lot.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"sow", "plant", "feed", "spray", "water", "other", "harvest", "pack",
		"activation", "void", "activation", "input", "shipment", "shipment", "recall"}
	if got := whats(farm); !slices.Equal(got, want) {
		t.Fatalf("the farm lot's events:\n got %v\nwant %v", got, want)
	}
	for _, ev := range farm {
		if ev.Lot == nil || ev.Lot.ID != st.Lot.ID || ev.Lot.Code != "L1" || ev.Lot.GTIN != "" || ev.Lot.GLN != "" {
			t.Fatalf("%s names the lot %+v", what(ev), ev.Lot)
		}
	}
	stamps := []struct {
		i      int
		ranges []core.SerialRange
		codes  []core.Code
	}{
		{8, []core.SerialRange{{From: 1, To: 10}}, st.Codes[0:10]},
		{9, []core.SerialRange{{From: 9, To: 10}}, st.Codes[8:10]},
		{10, []core.SerialRange{{From: 11, To: 12}, {From: 14, To: 15}},
			[]core.Code{st.Codes[10], st.Codes[11], st.Codes[13], st.Codes[14]}},
	}
	for _, tt := range stamps {
		got := farm[tt.i].Stamps
		if got == nil || !slices.Equal(got.Ranges, tt.ranges) || !slices.Equal(got.Codes, tt.codes) {
			t.Errorf("%s %d: %+v, want %v %v", what(farm[tt.i]), tt.i, got, tt.ranges, tt.codes)
		}
	}
	if sh := farm[12]; sh.Shipment.Quantity != (core.Quantity{Value: "2", Unit: "ta"}) ||
		sh.Buyer.FacilityID != st.Processor.ID || sh.Buyer.GLN != pgtest.StoryGLN {
		t.Errorf("the shipment to the processor: %+v to %+v", sh.Shipment, sh.Buyer)
	}
	if sh := farm[13]; sh.Buyer.FacilityID != 0 || sh.Buyer.Name != "Chợ Cà Mau" {
		t.Errorf("the shipment to the market goes to %+v", sh.Buyer)
	}
	if in := farm[11].Input; in.What != "thùng ong" || in.Supplier.Name != "Đại lý Ong Việt" || in.SupplierLot != "T-7" ||
		in.Supplier.FacilityID != 0 || *in.Quantity != (core.Quantity{Value: "40", Unit: "thung"}) {
		t.Errorf("the farm's input: %+v %+v", in.Input, in.Supplier)
	}
	if r := farm[14].RecallReason; r != "dư lượng kháng sinh" {
		t.Errorf("the recall's reason: %q", r)
	}

	batch, err := h.LotHistory(ctx, st.Batch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := whats(batch), []string{"process", "pack", "input", "shipment"}; !slices.Equal(got, want) {
		t.Fatalf("the processor's events: %v, want %v", got, want)
	}
	if l := batch[0].Lot; l.GTIN != pgtest.StoryGTIN || l.GLN != pgtest.StoryGLN {
		t.Errorf("the processor's lot: %+v", l)
	}
	process, input := batch[0], batch[2].Input
	if len(process.Inputs) != 1 || process.Inputs[0].ID != input.ID {
		t.Errorf("processing takes the lot's inputs: %+v", process.Inputs)
	}
	if input.FromLot == nil || input.FromLot.ID != st.Lot.ID || input.Supplier.FacilityID != st.Facility.ID {
		t.Errorf("the taken shipment names the farm lot: %+v from %+v", input.FromLot, input.Supplier)
	}

	_, err = h.LotHistory(ctx, st.Batch.ID+100)
	wantCode(t, err, core.ENOTFOUND)
}

func TestFindEvents(t *testing.T) {
	st, h := newStory(t)
	ctx := context.Background()
	march := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		f    core.EventFilter
		want []string
	}{
		{"a lot, limited", core.EventFilter{LotID: st.Lot.ID, Limit: 3}, []string{"sow", "plant", "feed"}},
		{"a facility's shipments", core.EventFilter{FacilityID: st.Facility.ID, Kinds: []core.EventKind{core.EventShipment}, Limit: 10},
			[]string{"shipment", "shipment"}},
		{"packing anywhere of a facility", core.EventFilter{FacilityID: st.Processor.ID, Steps: []core.Step{core.StepPack}, Limit: 10},
			[]string{"pack"}},
		{"kinds and steps together", core.EventFilter{LotID: st.Lot.ID, Kinds: []core.EventKind{core.EventRecall},
			Steps: []core.Step{core.StepHarvest}, Limit: 10}, []string{"harvest", "recall"}},
		{"from inclusive, to exclusive", core.EventFilter{LotID: st.Lot.ID, From: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC),
			To: time.Date(2026, 3, 4, 1, 0, 0, 0, time.UTC), Limit: 10}, []string{"harvest", "pack"}},
		{"since March, a facility", core.EventFilter{FacilityID: st.Processor.ID, From: march, Limit: 10},
			[]string{"process", "pack", "input", "shipment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events, err := h.FindEvents(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := whats(events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	// Processing picked alone still brings the inputs it transformed.
	process, err := h.FindEvents(ctx, core.EventFilter{FacilityID: st.Processor.ID, Steps: []core.Step{core.StepProcess}, Limit: 10})
	if err != nil || len(process) != 1 || len(process[0].Inputs) != 1 || process[0].Inputs[0].FromLot == nil {
		t.Errorf("processing alone: %v, %v", process, err)
	}

	refused := []core.EventFilter{
		{Limit: 10},
		{LotID: st.Lot.ID},
		{LotID: st.Lot.ID, Limit: core.MaxEvents + 1},
		{LotID: -1, Limit: 1},
		{LotID: st.Lot.ID, From: march, To: march, Limit: 1},
	}
	for _, f := range refused {
		_, err := h.FindEvents(ctx, f)
		wantCode(t, err, core.EINVALID)
	}
}
