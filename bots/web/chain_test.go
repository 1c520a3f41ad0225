package web_test

import (
	"context"
	"strings"
	"testing"

	"tracegate/core"
)

// A fresh-shrimp lot shipped to a processor, taken into the processor's
// lot: the processor's stamp page shows the chain upward (the farm's lot
// and what went into it), never a buyer; a recall is said first.
func TestChainAndRecallOnThePage(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	svc := s.Services
	farm := &core.Facility{Name: "Trại tôm Rạch Gốc", Province: "Cà Mau"}
	if err := svc.Facilities.CreateFacility(ctx, farm); err != nil {
		t.Fatal(err)
	}
	if err := svc.Products.CreateProduct(ctx, &core.Product{FacilityID: farm.ID, Code: "TOMTUOI", Name: "Tôm sú tươi"}); err != nil {
		t.Fatal(err)
	}
	farmer := &core.Member{FacilityID: farm.ID, Name: "Anh Tư", URNs: []core.URN{"tel:+84918000001"}}
	if err := svc.Members.CreateMember(ctx, farmer); err != nil {
		t.Fatal(err)
	}
	farmLot, err := svc.Lots.OpenLot(ctx, farmer, "TOMTUOI", "")
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(svc.Chain.RecordInput(ctx, farmer, &core.Input{LotCode: farmLot.Code, What: "tôm giống",
		SupplierName: "Trại giống Minh Phú", SupplierLot: "G12", Channel: "sms"}))
	must(svc.Chain.RecordShipment(ctx, farmer, &core.Shipment{LotCode: farmLot.Code,
		Quantity: core.Quantity{Value: "50", Unit: "kg"}, BuyerName: "Chợ đầu mối Bình Điền", Channel: "sms"}))
	toProcessor := &core.Shipment{LotCode: farmLot.Code, Quantity: core.Quantity{Value: "200", Unit: "kg"},
		BuyerName: s.Seeded.Facility.Name, Channel: "sms"}
	must(svc.Chain.RecordShipment(ctx, farmer, toProcessor))
	must(svc.Chain.TakeShipment(ctx, s.Seeded.Farmer, &core.Input{LotCode: s.Seeded.Lot.Code, ShipmentID: &toProcessor.ID, Channel: "sms"}))

	_, page := s.get(t, "/t/"+string(s.Seeded.Codes[0]))
	for _, want := range []string{"Nguồn gốc", "Tôm sú tươi", "Trại tôm Rạch Gốc", "lô L1", "tôm giống", "Trại giống Minh Phú", "lô G12", `class="depth1"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the processor's page lacks %q", want)
		}
	}
	if strings.Contains(page, "Bình Điền") {
		t.Error("the page names a buyer")
	}

	if _, err := svc.Lots.RecallLotByID(ctx, s.Seeded.Lot.ID, "nhiễm khuẩn"); err != nil {
		t.Fatal(err)
	}
	_, page = s.get(t, "/t/"+string(s.Seeded.Codes[0]))
	verdict := strings.Index(page, "THU HỒI")
	if verdict < 0 || verdict > strings.Index(page, "Nguồn gốc") || !strings.Contains(page, "nhiễm khuẩn") {
		t.Fatalf("the recall is not said first on the page:\n%s", page)
	}
}
