package postgres_test

import (
	"context"
	"testing"

	"tracegate/core"
)

// A shrimp farm ships to a processor; the processor takes the shipment
// as an input of its own lot, and the chain links lot to lot. Suppliers
// and buyers are linked by name without accents or by phone, and only
// when one facility fits.
func TestChainAcrossFacilities(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	farm := s.newProducer(t, "Trại tôm Rạch Gốc", "0912000001")
	processor := s.newProducer(t, "HTX Tôm khô Năm Căn", "0912000002")
	farmLot, dryLot := s.openLot(t, farm), s.openLot(t, processor)

	seed := &core.Input{LotCode: farmLot.Code, What: "tôm giống", Quantity: &core.Quantity{Value: "20000", Unit: "con"},
		SupplierName: "Trại giống Minh Phú", SupplierLot: "G12", Channel: "sms"}
	if err := s.Chain.RecordInput(ctx, farm.member, seed); err != nil || seed.SupplierFacilityID != nil {
		t.Fatalf("a free-named supplier: %+v, %v", seed, err)
	}
	sh := &core.Shipment{LotCode: farmLot.Code, Quantity: core.Quantity{Value: "200", Unit: "kg"},
		BuyerName: "htx tom kho nam can", Channel: "sms"}
	if err := s.Chain.RecordShipment(ctx, farm.member, sh); err != nil || sh.BuyerFacilityID == nil || *sh.BuyerFacilityID != processor.facility.ID {
		t.Fatalf("a buyer named without accents is not linked: %+v, %v", sh, err)
	}
	byPhone := &core.Shipment{LotCode: farmLot.Code, Quantity: core.Quantity{Value: "5", Unit: "kg"}, BuyerName: "0912 000 002", Channel: "sms"}
	if err := s.Chain.RecordShipment(ctx, farm.member, byPhone); err != nil || byPhone.BuyerFacilityID == nil {
		t.Fatalf("a buyer named by a member's phone is not linked: %+v, %v", byPhone, err)
	}

	take := func(m producer, lot *core.Lot) (*core.Input, error) {
		in := &core.Input{LotCode: lot.Code, ShipmentID: &sh.ID, Channel: "telegram"}
		return in, s.Chain.TakeShipment(ctx, m.member, in)
	}
	_, err := take(farm, farmLot)
	wantReason(t, err, core.ReasonNoShipment) // not shipped to the farm
	in, err := take(processor, dryLot)
	if err != nil || in.SupplierLotID == nil || *in.SupplierLotID != farmLot.ID || in.SupplierLot != farmLot.Code ||
		in.Quantity.Value != "200" || in.SupplierName != "Trại tôm Rạch Gốc" {
		t.Fatalf("the shipment taken as an input: %+v, %v", in, err)
	}
	_, err = take(processor, dryLot)
	wantReason(t, err, core.ReasonShipmentTaken)

	inputs, err := s.Chain.FindInputs(ctx, dryLot.ID)
	if err != nil || len(inputs) != 1 || *inputs[0].ShipmentID != sh.ID {
		t.Fatalf("the processor's inputs: %+v, %v", inputs, err)
	}
	shipments, err := s.Chain.FindShipments(ctx, farmLot.ID)
	if err != nil || len(shipments) != 2 || shipments[0].BuyerName != "htx tom kho nam can" {
		t.Fatalf("the farm's shipments: %+v, %v", shipments, err)
	}
	// Another facility's lot is as good as absent; a closed lot takes no input.
	farmL2 := s.openLot(t, farm) // the processor has no L2
	wantCode(t, s.Chain.RecordInput(ctx, processor.member, &core.Input{LotCode: farmL2.Code, What: "x", Channel: "sms"}), core.ENOTFOUND)
	if _, err := s.Lots.CloseLot(ctx, farm.member, farmLot.Code); err != nil {
		t.Fatal(err)
	}
	wantReason(t, s.Chain.RecordInput(ctx, farm.member, &core.Input{LotCode: farmLot.Code, What: "x", Channel: "sms"}), core.ReasonLotClosed)
	late := &core.Shipment{LotCode: farmLot.Code, Quantity: core.Quantity{Value: "1", Unit: "kg"}, Channel: "sms"}
	if err := s.Chain.RecordShipment(ctx, farm.member, late); err != nil {
		t.Fatalf("a closed lot's harvest can still be sold: %v", err)
	}
	wantCode(t, s.Chain.RecordInput(ctx, farm.member, &core.Input{LotCode: "L1", What: "", Channel: "sms"}), core.EINVALID)
}

// Two facilities of one name: the name links neither.
func TestAmbiguousNameLinksNothing(t *testing.T) {
	s := newServices(t)
	a := s.newProducer(t, "HTX Mật ong", "0912000001")
	s.newProducer(t, "HTX Mat ong", "0912000002")
	s.newProducer(t, "HTX MẬT ONG", "0912000003")
	lot := s.openLot(t, a)
	sh := &core.Shipment{LotCode: lot.Code, Quantity: core.Quantity{Value: "1", Unit: "chai"}, BuyerName: "HTX Mat Ong", Channel: "sms"}
	if err := s.Chain.RecordShipment(context.Background(), a.member, sh); err != nil || sh.BuyerFacilityID != nil {
		t.Fatalf("an ambiguous buyer was linked: %+v, %v", sh, err)
	}
}
