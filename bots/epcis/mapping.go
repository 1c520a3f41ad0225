package epcis

import (
	"fmt"
	"strconv"

	"tracegate/core"
)

// Event is one lot event as EPCIS: the kind decides the event type, action,
// bizStep and disposition (see bizStepOf for the choice of steps).
func (b Builder) Event(ev *core.LotEvent) *Event {
	e := &Event{Type: "ObjectEvent", EventID: b.eventID(ev), EventTime: stamp(ev.At),
		EventTimeZoneOffset: timeZoneOffset, BizStep: bizStepOf(ev.Kind, stepOf(ev))}
	home := &Place{ID: b.Facility(ev.Lot.FacilityID, ev.Lot.GLN)}
	e.ReadPoint, e.BizLocation = home, home
	lot := b.LotClass(ev.Lot)
	switch ev.Kind {
	case core.EventActivation:
		e.Action, e.Disposition = "ADD", "active"
		e.EPCList, e.SerialRanges = b.stamps(ev.Stamps)
		e.ILMD = &ILMD{LotNumber: ev.Lot.Code, Lot: lot}
	case core.EventVoid:
		e.Action, e.Disposition = "DELETE", "inactive"
		e.EPCList, e.SerialRanges = b.stamps(ev.Stamps)
	case core.EventDiary:
		b.diary(e, ev, lot)
	case core.EventInput:
		b.input(e, ev)
	case core.EventShipment:
		e.Action, e.Disposition = "OBSERVE", "in_transit"
		e.QuantityList = []Quantity{quantity(lot, &ev.Shipment.Quantity)}
		e.SourceList = []Source{{Type: "owning_party", Source: home.ID}}
		e.DestinationList = []Destination{{Type: "owning_party",
			Destination: b.party(ev.Buyer, fmt.Sprintf("/id/shipment/%d/buyer", ev.Shipment.ID))}}
		e.BuyerName, e.Channel = ev.Shipment.BuyerName, ev.Shipment.Channel
	case core.EventRecall:
		e.Action, e.Disposition = "OBSERVE", "recalled"
		e.QuantityList = []Quantity{{EPCClass: lot}}
		e.RecallReason = ev.RecallReason
	}
	return e
}

func stepOf(ev *core.LotEvent) core.Step {
	if ev.Entry == nil {
		return ""
	}
	return ev.Entry.Step
}

// stamps is a stamp set as an epcList and its serial ranges.
func (b Builder) stamps(set *core.StampSet) (epcs, ranges []string) {
	if set == nil {
		return nil, nil
	}
	for _, code := range set.Codes {
		epcs = append(epcs, b.Stamp(code))
	}
	for _, r := range set.Ranges {
		ranges = append(ranges, fmt.Sprintf("%d-%d", r.From, r.To))
	}
	return epcs, ranges
}

// diary fills in a diary entry: a harvest creates quantity of the lot
// (ADD, with the lot's master data), processing transforms the lot's
// inputs into it, packing and the care steps observe it.
func (b Builder) diary(e *Event, ev *core.LotEvent, lot string) {
	entry := ev.Entry
	e.Step, e.Channel, e.Note = string(entry.Step), entry.Channel, entry.Note
	if entry.Quantity != nil {
		e.Unit = string(entry.Quantity.Unit)
	}
	if l := entry.Location; l != nil {
		e.ReadPoint = &Place{ID: "geo:" + strconv.FormatFloat(l.Lat, 'f', -1, 64) + "," +
			strconv.FormatFloat(l.Lon, 'f', -1, 64)}
	}
	for n := range entry.Photos {
		e.Photos = append(e.Photos, fmt.Sprintf("%s/photo/%d/%d", b.base(), entry.ID, n))
	}
	master := &ILMD{LotNumber: ev.Lot.Code, CountryOfOrigin: "VN", ProductName: ev.Lot.ProductName}
	switch entry.Step {
	case core.StepHarvest:
		e.Action, e.Disposition, e.ILMD = "ADD", "active", master
		e.QuantityList = []Quantity{quantity(lot, entry.Quantity)}
	case core.StepProcess:
		e.Type, e.Disposition, e.ILMD = "TransformationEvent", "active", master
		// One transformation per lot: several processing entries of a lot
		// are steps of it, which is what transformationID links.
		e.TransformationID = fmt.Sprintf("%s/id/transformation/%d", b.base(), ev.Lot.ID)
		for _, src := range ev.Inputs {
			e.InputQuantityList = append(e.InputQuantityList, quantity(b.inputClass(src), src.Quantity))
		}
		e.OutputQuantityList = []Quantity{quantity(lot, entry.Quantity)}
	case core.StepPack:
		e.Action, e.Disposition = "OBSERVE", "in_progress"
		e.QuantityList = []Quantity{quantity(lot, entry.Quantity)}
	default:
		// A care step's quantity is what was used (bags of feed, millilitres
		// sprayed, the area sown), not an amount of the lot.
		e.Action = "OBSERVE"
		e.QuantityList = []Quantity{{EPCClass: lot}}
		if entry.Quantity != nil {
			e.Amount, e.AmountUOM = measure(*entry.Quantity)
		}
	}
}

// input is receiving what went into the lot, from its supplier.
func (b Builder) input(e *Event, ev *core.LotEvent) {
	src := ev.Input
	e.Action, e.Disposition = "OBSERVE", "in_progress"
	e.QuantityList = []Quantity{quantity(b.inputClass(src), src.Quantity)}
	e.SourceList = []Source{{Type: "owning_party",
		Source: b.party(&src.Supplier, fmt.Sprintf("/id/input/%d/supplier", src.ID))}}
	e.DestinationList = []Destination{{Type: "owning_party", Destination: e.BizLocation.ID}}
	e.What, e.SupplierName, e.SupplierLot, e.Channel = src.What, src.SupplierName, src.SupplierLot, src.Channel
}
