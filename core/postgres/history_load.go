package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

func loadLotRefs(ctx context.Context, tx pgx.Tx, ids []int64) (map[int64]*core.LotRef, map[int64]string, error) {
	refs, reasons := map[int64]*core.LotRef{}, map[int64]string{}
	rows, err := tx.Query(ctx, `
		SELECT l.id, l.facility_id, l.code, p.name, coalesce(p.gtin, ''), coalesce(f.gln, ''), l.recall_reason
		FROM lots l JOIN products p ON p.id = l.product_id JOIN facilities f ON f.id = l.facility_id
		WHERE l.id = ANY($1)`, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("load lots: %w", err)
	}
	var ref core.LotRef
	var reason string
	_, err = pgx.ForEachRow(rows, []any{&ref.ID, &ref.FacilityID, &ref.Code, &ref.ProductName, &ref.GTIN, &ref.GLN, &reason},
		func() error {
			r := ref
			refs[r.ID], reasons[r.ID] = &r, reason
			return nil
		})
	if err != nil {
		return nil, nil, fmt.Errorf("load lots: %w", err)
	}
	return refs, reasons, nil
}

func loadEntries(ctx context.Context, tx pgx.Tx, ids []int64) (map[int64]*core.DiaryEntry, error) {
	entries := map[int64]*core.DiaryEntry{}
	if len(ids) == 0 {
		return entries, nil
	}
	rows, err := tx.Query(ctx, `
		SELECT `+entryColumns+` FROM diary_entries e JOIN lots l ON l.id = e.lot_id
		WHERE e.id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("load entries: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.DiaryEntry, error) {
		return scanEntry(row)
	})
	if err != nil {
		return nil, fmt.Errorf("load entries: %w", err)
	}
	for _, e := range list {
		entries[e.ID] = e
	}
	return entries, nil
}

// loadSources loads the inputs ids and every input of the lots lotIDs,
// with their suppliers.
func loadSources(ctx context.Context, tx pgx.Tx, ids, lotIDs []int64) (map[int64]*core.Source, map[int64][]*core.Source, error) {
	byID, byLot := map[int64]*core.Source{}, map[int64][]*core.Source{}
	if len(ids) == 0 && len(lotIDs) == 0 {
		return byID, byLot, nil
	}
	rows, err := tx.Query(ctx, `
		SELECT `+inputColumns+`, coalesce(f.gln, ''), coalesce(i.id = ANY($1), false)
		FROM lot_inputs i `+inputJoins+`
		WHERE i.id = ANY($1) OR i.lot_id = ANY($2) ORDER BY i.created_at, i.id`, ids, lotIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("load inputs: %w", err)
	}
	for rows.Next() {
		src, picked, err := scanSource(rows)
		if err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("load inputs: %w", err)
		}
		if picked {
			byID[src.ID] = src
		}
		byLot[src.LotID] = append(byLot[src.LotID], src)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("load inputs: %w", err)
	}
	return byID, byLot, nil
}

func scanSource(rows pgx.Rows) (src *core.Source, picked bool, err error) {
	var gln string
	in, err := scanInputWith(rows, &gln, &picked)
	if err != nil {
		return nil, false, err
	}
	src = &core.Source{Input: in}
	src.Supplier.Name, src.Supplier.GLN = in.SupplierName, gln
	if in.SupplierFacilityID != nil {
		src.Supplier.FacilityID = *in.SupplierFacilityID
	}
	return src, picked, nil
}

func loadShipments(ctx context.Context, tx pgx.Tx, ids []int64) (map[int64]*core.Shipment, map[int64]*core.PartyRef, error) {
	shipments, buyers := map[int64]*core.Shipment{}, map[int64]*core.PartyRef{}
	if len(ids) == 0 {
		return shipments, buyers, nil
	}
	rows, err := tx.Query(ctx, `
		SELECT `+shipmentColumns+`, coalesce(f.gln, '') FROM lot_shipments s `+shipmentJoins+`
		WHERE s.id = ANY($1)`, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("load shipments: %w", err)
	}
	for rows.Next() {
		var buyer core.PartyRef
		sh, err := scanShipment(rows, &buyer.GLN)
		if err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("load shipments: %w", err)
		}
		buyer.Name = sh.BuyerName
		if sh.BuyerFacilityID != nil {
			buyer.FacilityID = *sh.BuyerFacilityID
		}
		shipments[sh.ID], buyers[sh.ID] = sh, &buyer
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("load shipments: %w", err)
	}
	return shipments, buyers, nil
}

// loadStampSets loads the stamps of the activations and voids among keys,
// in serial order, as ranges and codes.
func loadStampSets(ctx context.Context, tx pgx.Tx, keys []eventKey) (map[groupKey]*core.StampSet, error) {
	sets := map[groupKey]*core.StampSet{}
	var lotIDs []int64
	var times []time.Time
	for _, k := range keys {
		if k.kind == core.EventActivation || k.kind == core.EventVoid {
			sets[keyOf(k.kind, k.lotID, k.at)] = &core.StampSet{}
			lotIDs, times = append(lotIDs, k.lotID), append(times, k.at)
		}
	}
	if len(sets) == 0 {
		return sets, nil
	}
	// The pairs cross (lot A at lot B's moment); the map keeps only the
	// groups picked.
	rows, err := tx.Query(ctx, `
		SELECT lot_id, activated_at, voided_at, serial, code FROM stamps
		WHERE lot_id = ANY($1) AND (activated_at = ANY($2) OR voided_at = ANY($2))
		ORDER BY lot_id, serial`, lotIDs, times)
	if err != nil {
		return nil, fmt.Errorf("load stamps: %w", err)
	}
	var lotID, serial int64
	var activated, voided *time.Time
	var code core.Code
	_, err = pgx.ForEachRow(rows, []any{&lotID, &activated, &voided, &serial, &code}, func() error {
		if activated != nil {
			addStamp(sets[keyOf(core.EventActivation, lotID, *activated)], serial, code)
		}
		if voided != nil {
			addStamp(sets[keyOf(core.EventVoid, lotID, *voided)], serial, code)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load stamps: %w", err)
	}
	return sets, nil
}

// addStamp adds a stamp to set, if the set was picked, continuing its last
// range when the serial follows it. Stamps come in serial order.
func addStamp(set *core.StampSet, serial int64, code core.Code) {
	if set == nil {
		return
	}
	set.Codes = append(set.Codes, code)
	if n := len(set.Ranges); n > 0 && set.Ranges[n-1].To == serial-1 {
		set.Ranges[n-1].To = serial
		return
	}
	set.Ranges = append(set.Ranges, core.SerialRange{From: serial, To: serial})
}
