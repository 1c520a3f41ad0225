package core

import (
	"context"
	"time"
)

// EventKind is what kind of fact about a lot a LotEvent is.
type EventKind string

const (
	EventActivation EventKind = "activation" // stamps activated on the lot together
	EventVoid       EventKind = "void"       // stamps of the lot voided together
	EventDiary      EventKind = "diary"      // a diary entry that is not undone
	EventInput      EventKind = "input"      // something that went into the lot
	EventShipment   EventKind = "shipment"   // part of the lot sent to a buyer
	EventRecall     EventKind = "recall"     // the lot's recall
)

// MaxEvents is the most events one query of the history returns: a
// screen's worth times ten, and no call holds the database for long.
const MaxEvents = 1000

// LotRef names a lot with what an exchange format identifies it by: its
// product's GTIN and its facility's GLN, each empty when there is none.
type LotRef struct {
	ID          int64  `json:"id"`
	FacilityID  int64  `json:"facility_id"`
	Code        string `json:"code"`
	ProductName string `json:"product_name"`
	GTIN        string `json:"gtin,omitempty"`
	GLN         string `json:"gln,omitempty"`
}

// PartyRef is a supplier or buyer: a facility here (FacilityID, with its
// GLN if it has one) or only a name.
type PartyRef struct {
	FacilityID int64  `json:"facility_id,omitempty"`
	GLN        string `json:"gln,omitempty"`
	Name       string `json:"name,omitempty"`
}

// Source is an input with what it links to.
type Source struct {
	*Input
	Supplier PartyRef `json:"supplier"`
	// FromLot is the supplier's lot, when the input was taken from a
	// shipment of a facility here.
	FromLot *LotRef `json:"from_lot,omitempty"`
}

// StampSet is stamps that changed together: their serials as ranges and
// their codes in serial order.
type StampSet struct {
	Ranges []SerialRange `json:"ranges"`
	Codes  []Code        `json:"codes"`
}

// LotEvent is one fact about a lot at one moment. Which of the optional
// fields is set follows from Kind.
type LotEvent struct {
	Kind EventKind `json:"kind"`
	At   time.Time `json:"at"`
	Lot  *LotRef   `json:"lot"`
	// Stamps are the stamps of an activation or a void.
	Stamps *StampSet `json:"stamps,omitempty"`
	// Entry is a diary event's entry.
	Entry *DiaryEntry `json:"entry,omitempty"`
	// Input is an input event's input.
	Input *Source `json:"input,omitempty"`
	// Inputs is every input of the lot, on a diary event whose step is
	// process: what the processing turned into the lot.
	Inputs []*Source `json:"inputs,omitempty"`
	// Shipment and Buyer are a shipment event's.
	Shipment *Shipment `json:"shipment,omitempty"`
	Buyer    *PartyRef `json:"buyer,omitempty"`
	// RecallReason is a recall event's reason, as given.
	RecallReason string `json:"recall_reason,omitempty"`
}

// EventFilter selects events. Zero fields select everything: any lot, any
// time. Kinds and Steps together say which events: those of a kind in
// Kinds and diary events whose step is in Steps; both empty means all.
type EventFilter struct {
	LotID      int64
	FacilityID int64
	From       time.Time // inclusive
	To         time.Time // exclusive
	Kinds      []EventKind
	Steps      []Step
	Limit      int // 1 to MaxEvents
}

// Validate checks the filter names a lot or a facility (so a query never
// scans every stamp there is), a time range the right way round and a limit
// within bounds.
func (f *EventFilter) Validate() error {
	if f.LotID < 0 || f.FacilityID < 0 {
		return Errorf(EINVALID, "lot and facility ids must be positive")
	}
	if f.LotID == 0 && f.FacilityID == 0 {
		return Errorf(EINVALID, "a lot or a facility is required")
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return Errorf(EINVALID, "from must be before to")
	}
	if f.Limit < 1 || f.Limit > MaxEvents {
		return Errorf(EINVALID, "limit must be from 1 to %d", MaxEvents)
	}
	return nil
}

// HistoryService reads what happened to lots, for export: EPCIS documents
// and the like.
type HistoryService interface {
	// LotHistory returns every event of a lot in the order they happened;
	// ENOTFOUND for no such lot.
	LotHistory(ctx context.Context, lotID int64) ([]*LotEvent, error)
	// FindEvents returns the events f selects in the order they happened,
	// at most f.Limit.
	FindEvents(ctx context.Context, f EventFilter) ([]*LotEvent, error)
}
