package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// inputColumns are an input's, the supplier named as typed or, when
// linked and unnamed, as registered.
const (
	inputColumns = `i.id, i.facility_id, i.lot_id, l.code, i.what, i.quantity::text, i.unit,
		coalesce(nullif(i.supplier_name, ''), f.name, ''), i.supplier_facility_id, i.supplier_lot,
		i.shipment_id, i.supplier_lot_id, i.member_id, i.channel, coalesce(i.message_ref, ''), i.created_at`
	inputJoins = `JOIN lots l ON l.id = i.lot_id LEFT JOIN facilities f ON f.id = i.supplier_facility_id`
)

func scanInput(row pgx.CollectableRow) (*core.Input, error) { return scanInputWith(row) }

// scanInputWith scans inputColumns, then the extra columns a query adds.
func scanInputWith(row pgx.Row, extra ...any) (*core.Input, error) {
	var in core.Input
	var qty, unit *string
	err := row.Scan(append([]any{&in.ID, &in.FacilityID, &in.LotID, &in.LotCode, &in.What, &qty, &unit,
		&in.SupplierName, &in.SupplierFacilityID, &in.SupplierLot, &in.ShipmentID, &in.SupplierLotID,
		&in.MemberID, &in.Channel, &in.MessageRef, &in.CreatedAt}, extra...)...)
	if err != nil {
		return nil, err
	}
	in.Quantity, err = storedQuantity(qty, unit)
	return &in, err
}

func (s *ChainService) FindInputs(ctx context.Context, lotID int64) ([]*core.Input, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT `+inputColumns+` FROM lot_inputs i `+inputJoins+`
		WHERE i.lot_id = $1 ORDER BY i.created_at, i.id`, lotID)
	if err != nil {
		return nil, fmt.Errorf("find inputs of lot %d: %w", lotID, err)
	}
	inputs, err := pgx.CollectRows(rows, scanInput)
	if err != nil {
		return nil, fmt.Errorf("find inputs of lot %d: %w", lotID, err)
	}
	return inputs, nil
}

func (s *ChainService) FindShipments(ctx context.Context, lotID int64) ([]*core.Shipment, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT `+shipmentColumns+` FROM lot_shipments s `+shipmentJoins+`
		WHERE s.lot_id = $1 ORDER BY s.shipped_at, s.id`, lotID)
	if err != nil {
		return nil, fmt.Errorf("find shipments of lot %d: %w", lotID, err)
	}
	shipments, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Shipment, error) {
		return scanShipment(row)
	})
	if err != nil {
		return nil, fmt.Errorf("find shipments of lot %d: %w", lotID, err)
	}
	return shipments, nil
}

// shipmentColumns are a shipment's, the buyer named as typed or, when
// linked and unnamed, as registered.
const (
	shipmentColumns = `s.id, s.facility_id, s.lot_id, l.code, p.name, s.quantity::text, s.unit,
		coalesce(nullif(s.buyer_name, ''), f.name, ''), s.buyer_facility_id, s.shipped_at,
		s.member_id, s.channel, coalesce(s.message_ref, ''), s.created_at`
	shipmentJoins = `JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
		LEFT JOIN facilities f ON f.id = s.buyer_facility_id`
)

// scanShipment scans shipmentColumns, then the extra columns a query adds.
func scanShipment(row pgx.Row, extra ...any) (*core.Shipment, error) {
	var sh core.Shipment
	var qty, unit string
	err := row.Scan(append([]any{&sh.ID, &sh.FacilityID, &sh.LotID, &sh.LotCode, &sh.ProductName, &qty, &unit,
		&sh.BuyerName, &sh.BuyerFacilityID, &sh.ShippedAt, &sh.MemberID, &sh.Channel, &sh.MessageRef, &sh.CreatedAt},
		extra...)...)
	if err != nil {
		return nil, err
	}
	sh.Quantity, err = core.ParseQuantity(qty, unit)
	return &sh, err
}

// storedQuantity reads an optional quantity as the database keeps it.
func storedQuantity(qty, unit *string) (*core.Quantity, error) {
	if qty == nil || unit == nil {
		return nil, nil
	}
	q, err := core.ParseQuantity(*qty, *unit)
	if err != nil {
		return nil, fmt.Errorf("stored quantity %s %s: %w", *qty, *unit, err)
	}
	return &q, nil
}

func (s *ChainService) Origins(ctx context.Context, lotID int64) ([]*core.Origin, error) {
	return s.origins(ctx, lotID, core.MaxOriginDepth, map[int64]bool{lotID: true})
}

// origins reads a lot's inputs and, depth-first, those of the lots they
// came from; seen guards against a chain that loops.
func (s *ChainService) origins(ctx context.Context, lotID int64, depth int, seen map[int64]bool) ([]*core.Origin, error) {
	inputs, err := s.FindInputs(ctx, lotID)
	if err != nil || depth == 0 {
		return nil, err
	}
	var origins []*core.Origin
	for _, in := range inputs {
		o := &core.Origin{Input: in}
		if in.SupplierLotID != nil && !seen[*in.SupplierLotID] {
			seen[*in.SupplierLotID] = true
			err := s.db.q.QueryRow(ctx, `
				SELECT p.name, f.name FROM lots l JOIN products p ON p.id = l.product_id JOIN facilities f ON f.id = l.facility_id
				WHERE l.id = $1`, *in.SupplierLotID).Scan(&o.Product, &o.Facility)
			if err != nil {
				return nil, fmt.Errorf("origin lot %d: %w", *in.SupplierLotID, err)
			}
			if o.From, err = s.origins(ctx, *in.SupplierLotID, depth-1, seen); err != nil {
				return nil, err
			}
		}
		origins = append(origins, o)
	}
	return origins, nil
}
