package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// fill is the second pass: what the picked events refer to, by id.
type fill struct {
	lots      map[int64]*core.LotRef
	reasons   map[int64]string // recall reasons by lot
	entries   map[int64]*core.DiaryEntry
	inputs    map[int64]*core.Source
	byLot     map[int64][]*core.Source // every input of the lots that were processed
	shipments map[int64]*core.Shipment
	buyers    map[int64]*core.PartyRef // by shipment
	stamps    map[groupKey]*core.StampSet
}

// groupKey is stamps changed by one call: the lot, the kind of change and
// its moment.
type groupKey struct {
	kind  core.EventKind
	lotID int64
	at    int64 // microseconds, as Postgres keeps times
}

func keyOf(kind core.EventKind, lotID int64, at time.Time) groupKey {
	return groupKey{kind, lotID, at.UnixMicro()}
}

func fillEvents(ctx context.Context, tx pgx.Tx, keys []eventKey) ([]*core.LotEvent, error) {
	var lotIDs, entryIDs, inputIDs, shipmentIDs []int64
	for _, k := range keys {
		lotIDs = append(lotIDs, k.lotID)
		switch k.kind {
		case core.EventDiary:
			entryIDs = append(entryIDs, k.ref)
		case core.EventInput:
			inputIDs = append(inputIDs, k.ref)
		case core.EventShipment:
			shipmentIDs = append(shipmentIDs, k.ref)
		}
	}
	f := &fill{}
	steps := []func() error{
		func() (err error) { f.entries, err = loadEntries(ctx, tx, entryIDs); return err },
		func() (err error) {
			f.inputs, f.byLot, err = loadSources(ctx, tx, inputIDs, processedLots(keys))
			return err
		},
		func() (err error) { f.shipments, f.buyers, err = loadShipments(ctx, tx, shipmentIDs); return err },
		func() (err error) { f.stamps, err = loadStampSets(ctx, tx, keys); return err },
		func() (err error) {
			f.lots, f.reasons, err = loadLotRefs(ctx, tx, append(lotIDs, f.supplierLotIDs()...))
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	f.linkSupplierLots()
	events := make([]*core.LotEvent, 0, len(keys))
	for _, k := range keys {
		events = append(events, f.event(k))
	}
	return events, nil
}

// processedLots are the lots with a processing entry among keys: their
// TransformationEvent takes every input of the lot.
func processedLots(keys []eventKey) []int64 {
	var ids []int64
	for _, k := range keys {
		if k.kind == core.EventDiary && k.step == core.StepProcess {
			ids = append(ids, k.lotID)
		}
	}
	return ids
}

func (f *fill) supplierLotIDs() []int64 {
	var ids []int64
	for _, src := range f.inputs {
		if src.SupplierLotID != nil {
			ids = append(ids, *src.SupplierLotID)
		}
	}
	for _, srcs := range f.byLot {
		for _, src := range srcs {
			if src.SupplierLotID != nil {
				ids = append(ids, *src.SupplierLotID)
			}
		}
	}
	return ids
}

func (f *fill) linkSupplierLots() {
	link := func(src *core.Source) {
		if src.SupplierLotID != nil {
			src.FromLot = f.lots[*src.SupplierLotID]
		}
	}
	for _, src := range f.inputs {
		link(src)
	}
	for _, srcs := range f.byLot {
		for _, src := range srcs {
			link(src)
		}
	}
}

func (f *fill) event(k eventKey) *core.LotEvent {
	ev := &core.LotEvent{Kind: k.kind, At: k.at, Lot: f.lots[k.lotID]}
	switch k.kind {
	case core.EventActivation, core.EventVoid:
		ev.Stamps = f.stamps[keyOf(k.kind, k.lotID, k.at)]
	case core.EventDiary:
		ev.Entry = f.entries[k.ref]
		if k.step == core.StepProcess {
			ev.Inputs = f.byLot[k.lotID]
		}
	case core.EventInput:
		ev.Input = f.inputs[k.ref]
	case core.EventShipment:
		ev.Shipment, ev.Buyer = f.shipments[k.ref], f.buyers[k.ref]
	case core.EventRecall:
		ev.RecallReason = f.reasons[k.lotID]
	}
	return ev
}
