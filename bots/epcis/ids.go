package epcis

import (
	"fmt"
	"net/url"
	"strings"

	"tracegate/core"
)

// Identifiers: GS1 Digital Link URIs where the GS1 key exists (a GTIN for
// the product, a GLN for the facility), which need no company-prefix
// length, unlike EPC URNs; else stable https URIs under the base URL.
// Lots get one form only, so a receiver never sees one lot under two names.

const digitalLink = "https://id.gs1.org"

// LotClass identifies a lot as a class of objects: the LGTIN as a Digital
// Link (GTIN-14 and lot), or /id/lot/{id}.
func (b Builder) LotClass(l *core.LotRef) string {
	if l.GTIN != "" {
		return fmt.Sprintf("%s/01/%s/10/%s", digitalLink, gtin14(l.GTIN), url.PathEscape(l.Code))
	}
	return fmt.Sprintf("%s/id/lot/%d", b.base(), l.ID)
}

// Facility identifies a facility as a place and a party: its GLN, or
// /id/facility/{id}.
func (b Builder) Facility(id int64, gln string) string {
	if gln != "" {
		return digitalLink + "/414/" + gln
	}
	return fmt.Sprintf("%s/id/facility/%d", b.base(), id)
}

// Stamp identifies one stamp by the page its QR code opens.
func (b Builder) Stamp(code core.Code) string {
	return b.base() + "/t/" + string(code)
}

// party identifies a supplier or buyer: the facility when it is one here,
// else the party of one input or shipment (what is known is a name).
func (b Builder) party(p *core.PartyRef, fallback string) string {
	if p != nil && p.FacilityID != 0 {
		return b.Facility(p.FacilityID, p.GLN)
	}
	return b.base() + fallback
}

// inputClass identifies what went in: the supplier's lot when known, else
// the material of that one input.
func (b Builder) inputClass(src *core.Source) string {
	if src.FromLot != nil {
		return b.LotClass(src.FromLot)
	}
	return fmt.Sprintf("%s/id/input/%d", b.base(), src.ID)
}

// eventID names an event by the rows it comes from, so the same fact has
// the same id in every export and a repository can drop repeats.
func (b Builder) eventID(ev *core.LotEvent) string {
	var tail string
	switch ev.Kind {
	case core.EventActivation, core.EventVoid:
		tail = fmt.Sprintf("%d/%d", ev.Lot.ID, ev.At.UnixMicro())
	case core.EventDiary:
		tail = fmt.Sprint(ev.Entry.ID)
	case core.EventInput:
		tail = fmt.Sprint(ev.Input.ID)
	case core.EventShipment:
		tail = fmt.Sprint(ev.Shipment.ID)
	default:
		tail = fmt.Sprint(ev.Lot.ID)
	}
	return fmt.Sprintf("%s/id/event/%s/%s", b.base(), ev.Kind, tail)
}

func gtin14(gtin string) string {
	return strings.Repeat("0", 14-len(gtin)) + gtin
}
