package main

import (
	"context"
	"errors"
	"fmt"

	"tracegate/core"
)

// What passes between the demo's producers: the farm's shrimp dried by the
// processor (a chain across facilities), the honey sold to a shop, and the
// fish sauce recalled.
const (
	demoFarm         = "Trại tôm Rạch Gốc"
	demoProcessor    = "HTX Tôm khô Năm Căn"
	demoRecalled     = "Cơ sở Nước mắm Sông Đốc"
	demoRecallReason = "Kiểm nghiệm thấy histamin cao hơn mức cho phép"
)

// Suppliers and buyers outside the gateway are named freely, as a farmer
// would type them.
var (
	demoFarmInputs = []core.Input{
		{What: "Tôm giống", Quantity: &core.Quantity{Value: "20000", Unit: "con"}, SupplierName: "Trại giống tôm Hai Thành", SupplierLot: "G12"},
		{What: "Thức ăn tôm", Quantity: &core.Quantity{Value: "50", Unit: "kg"}, SupplierName: "Đại lý thủy sản Út Hiền"},
	}
	demoHoneyInputs = []core.Input{
		{What: "Kèo tràm", Quantity: &core.Quantity{Value: "120", Unit: "cay"}, SupplierName: "Tổ hợp tác ấp 10"},
		{What: "Chai thủy tinh 500 ml", Quantity: &core.Quantity{Value: "400", Unit: "chai"}, SupplierName: "Cơ sở bao bì Tân Thành"},
	}
	demoHoneySale = core.Shipment{Quantity: core.Quantity{Value: "120", Unit: "chai"}, BuyerName: "Cửa hàng đặc sản Đất Mũi"}
	// The recalled lot has every kind of event, so its EPCIS document shows
	// them all: what went in, a sale before the recall.
	demoSauceInputs = []core.Input{
		{What: "Cá cơm than", Quantity: &core.Quantity{Value: "3", Unit: "tan"}, SupplierName: "Tàu cá CM-91234", SupplierLot: "chuyến 14/9"},
		{What: "Muối hạt", Quantity: &core.Quantity{Value: "1", Unit: "tan"}, SupplierName: "Diêm dân Bạc Liêu"},
	}
	demoSauceSale = core.Shipment{Quantity: core.Quantity{Value: "24", Unit: "thung"}, BuyerName: "Đại lý nước mắm Năm Căn"}
)

func loadChain(ctx context.Context, s core.Services, loaded map[string]demoLoaded) error {
	if err := dryShrimp(ctx, s, loaded[demoFarm], loaded[demoProcessor]); err != nil {
		return fmt.Errorf("shrimp chain: %w", err)
	}
	honey := loaded[demoHoneyFacility]
	if err := recordInputs(ctx, s, honey, demoHoneyInputs); err != nil {
		return fmt.Errorf("honey inputs: %w", err)
	}
	sale := demoHoneySale
	sale.LotCode, sale.Channel = honey.lot.Code, "demo"
	if err := s.Chain.RecordShipment(ctx, honey.member, &sale); err != nil {
		return fmt.Errorf("honey sale: %w", err)
	}
	r := loaded[demoRecalled]
	if err := recordInputs(ctx, s, r, demoSauceInputs); err != nil {
		return fmt.Errorf("fish sauce inputs: %w", err)
	}
	sauce := demoSauceSale
	sauce.LotCode, sauce.Channel = r.lot.Code, "demo"
	if err := s.Chain.RecordShipment(ctx, r.member, &sauce); err != nil {
		return fmt.Errorf("fish sauce sale: %w", err)
	}
	if _, err := s.Lots.RecallLot(ctx, r.member, r.lot.Code, demoRecallReason); err != nil {
		return fmt.Errorf("recall: %w", err)
	}
	return nil
}

// dryShrimp records what went into the farm's lot, ships the harvest to
// the processor, which takes it as an input of its lot, and closes the
// farm's lot: sold out.
func dryShrimp(ctx context.Context, s core.Services, farm, processor demoLoaded) error {
	if err := recordInputs(ctx, s, farm, demoFarmInputs); err != nil {
		return err
	}
	sh := &core.Shipment{LotCode: farm.lot.Code, Quantity: core.Quantity{Value: "120", Unit: "kg"},
		BuyerName: demoProcessor, Channel: "demo"}
	if err := s.Chain.RecordShipment(ctx, farm.member, sh); err != nil {
		return err
	}
	if sh.BuyerFacilityID == nil {
		return errors.New("the shipment is not linked to the processor")
	}
	in := &core.Input{LotCode: processor.lot.Code, ShipmentID: &sh.ID, Channel: "demo"}
	if err := s.Chain.TakeShipment(ctx, processor.member, in); err != nil {
		return err
	}
	_, err := s.Lots.CloseLot(ctx, farm.member, farm.lot.Code)
	return err
}

func recordInputs(ctx context.Context, s core.Services, p demoLoaded, inputs []core.Input) error {
	for _, in := range inputs {
		in.LotCode, in.Channel = p.lot.Code, "demo" // in is a copy: the list stays as written
		if in.Quantity != nil {
			q := *in.Quantity // Validate rewrites it
			in.Quantity = &q
		}
		if err := s.Chain.RecordInput(ctx, p.member, &in); err != nil {
			return err
		}
	}
	return nil
}
