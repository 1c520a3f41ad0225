package core

import (
	"context"
	"time"
)

// Input is something that went into a lot, one step back: seed, fry,
// feed, fertiliser, a raw material, from a supplier named as the farmer
// says it, or a facility here (then linked), with the supplier's own lot.
type Input struct {
	ID           int64     `json:"id"`
	FacilityID   int64     `json:"facility_id"`
	LotID        int64     `json:"lot_id"`
	LotCode      string    `json:"lot_code"`
	What         string    `json:"what"`
	Quantity     *Quantity `json:"quantity,omitempty"`
	SupplierName string    `json:"supplier_name,omitempty"`
	// SupplierFacilityID is the supplier when it is a facility here.
	SupplierFacilityID *int64 `json:"supplier_facility_id,omitempty"`
	SupplierLot        string `json:"supplier_lot,omitempty"` // as typed, or the shipped lot's code
	// ShipmentID and SupplierLotID link an input taken from a supplier's
	// shipment to the lot it came from.
	ShipmentID    *int64    `json:"shipment_id,omitempty"`
	SupplierLotID *int64    `json:"supplier_lot_id,omitempty"`
	MemberID      int64     `json:"member_id"`
	Channel       string    `json:"channel"`
	MessageRef    string    `json:"message_ref,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// Validate checks the input's own fields; the lot is the service's.
func (in *Input) Validate() error {
	var err error
	if in.What, err = cleanText("what", in.What, 1, 200); err != nil {
		return err
	}
	if in.SupplierName, err = cleanText("supplier", in.SupplierName, 0, 200); err != nil {
		return err
	}
	if in.SupplierLot, err = cleanText("supplier's lot", in.SupplierLot, 0, 50); err != nil {
		return err
	}
	return validQuantity(in.Quantity)
}

// Origin is one input of a lot and, when it came from a lot here, that
// lot's product and facility and its own origins.
type Origin struct {
	Input    *Input    `json:"input"`
	Product  string    `json:"product,omitempty"`
	Facility string    `json:"facility,omitempty"`
	From     []*Origin `json:"from,omitempty"`
}

// MaxOriginDepth bounds how far back Origins reads a chain.
const MaxOriginDepth = 5

// Shipment is part of a lot sent to a buyer, one step forward. A buyer
// that is a facility here is linked: the shipment waits among its
// incoming lots, to be taken as an input.
type Shipment struct {
	ID              int64     `json:"id"`
	FacilityID      int64     `json:"facility_id"`
	LotID           int64     `json:"lot_id"`
	LotCode         string    `json:"lot_code"`
	ProductName     string    `json:"product_name"`
	Quantity        Quantity  `json:"quantity"`
	BuyerName       string    `json:"buyer_name,omitempty"`
	BuyerFacilityID *int64    `json:"buyer_facility_id,omitempty"`
	ShippedAt       time.Time `json:"shipped_at"`
	MemberID        int64     `json:"member_id"`
	Channel         string    `json:"channel"`
	MessageRef      string    `json:"message_ref,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
}

// Validate checks the shipment's own fields.
func (s *Shipment) Validate() error {
	var err error
	if s.BuyerName, err = cleanText("buyer", s.BuyerName, 0, 200); err != nil {
		return err
	}
	return validQuantity(&s.Quantity)
}

func validQuantity(q *Quantity) error {
	if q == nil {
		return nil
	}
	parsed, err := ParseQuantity(q.Value, string(q.Unit))
	if err != nil {
		return err
	}
	*q = parsed
	return nil
}

// The refusals of taking a shipment: taken as an input already, or never
// shipped to the taker's facility.
const (
	ReasonShipmentTaken = "shipment_taken"
	ReasonNoShipment    = "no_shipment"
)

// ChainService records a lot's inputs and shipments, within the actor's
// facility.
type ChainService interface {
	// RecordInput adds in to the lot in.LotCode; a supplier named like a
	// facility here (its name, or its or a member's phone) is linked.
	RecordInput(ctx context.Context, actor *Member, in *Input) error
	// RecordShipment adds s to the lot s.LotCode, linking the buyer the
	// same way.
	RecordShipment(ctx context.Context, actor *Member, s *Shipment) error
	// TakeShipment records the shipment in.ShipmentID, sent to the actor's
	// facility, as an input of its lot in.LotCode, filling in what came,
	// how much and from whom: a ReasonNoShipment refusal when no such
	// shipment came to the facility, a ReasonShipmentTaken one when it was
	// taken already, ENOTFOUND for no such lot.
	TakeShipment(ctx context.Context, actor *Member, in *Input) error
	FindInputs(ctx context.Context, lotID int64) ([]*Input, error)
	// Origins is what went into a lot and, for what came from a lot here,
	// what went into that one, as far back as recorded (MaxOriginDepth
	// lots at most). Buyers are never part of it.
	Origins(ctx context.Context, lotID int64) ([]*Origin, error)
	FindShipments(ctx context.Context, lotID int64) ([]*Shipment, error)
}
