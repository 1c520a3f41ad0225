package core

import (
	"context"
	"time"
)

// CaptureItem is one event waiting in the outbox to be pushed to an EPCIS
// repository: the lot, the kind and time of the event and, for a diary
// entry, input or shipment, its row. The event itself is read back from
// the history when it is pushed.
type CaptureItem struct {
	ID    int64
	LotID int64
	Kind  EventKind
	At    time.Time
	Ref   int64
	// Attempt counts the pushes of the item, this one included.
	Attempt int
}

// Is reports whether ev is the event the item names.
func (it *CaptureItem) Is(ev *LotEvent) bool {
	if ev.Kind != it.Kind || ev.Lot == nil || ev.Lot.ID != it.LotID || !ev.At.Equal(it.At) {
		return false
	}
	switch it.Kind {
	case EventDiary:
		return ev.Entry != nil && ev.Entry.ID == it.Ref
	case EventInput:
		return ev.Input != nil && ev.Input.Input != nil && ev.Input.ID == it.Ref
	case EventShipment:
		return ev.Shipment != nil && ev.Shipment.ID == it.Ref
	}
	return true
}

// CaptureOutbox is the events to push to an EPCIS repository, filled in
// the transaction of each fact. Settling an item takes the attempt it was
// claimed for, so a pusher whose lease ran out (and whose item another
// pusher claimed since) changes nothing.
type CaptureOutbox interface {
	// Claim takes up to n due items; no other caller gets them before
	// lease has passed or they are settled.
	Claim(ctx context.Context, n int, lease time.Duration) ([]*CaptureItem, error)
	// Pushed records that the repository accepted the item, with the
	// capture job's location.
	Pushed(ctx context.Context, it *CaptureItem, location string) error
	// Retry makes the item due again after wait, saying why it was not
	// pushed.
	Retry(ctx context.Context, it *CaptureItem, wait time.Duration, reason string) error
	// Fail gives the item up for good.
	Fail(ctx context.Context, it *CaptureItem, reason string) error
	// Skip settles an item whose event is gone (an entry undone before it
	// was pushed).
	Skip(ctx context.Context, it *CaptureItem) error
}
