package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// ChainService implements core.ChainService.
type ChainService struct{ db *DB }

// NewChainService returns the chain service on db.
func NewChainService(db *DB) *ChainService { return &ChainService{db} }

var _ core.ChainService = (*ChainService)(nil)

func (s *ChainService) RecordInput(ctx context.Context, actor *core.Member, in *core.Input) error {
	if err := in.Validate(); err != nil {
		return err
	}
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		lot, err := findLotByCode(ctx, tx, actor.FacilityID, in.LotCode)
		if err != nil {
			return err
		}
		if err := lot.CheckOpen(); err != nil {
			return err
		}
		in.FacilityID, in.LotID, in.LotCode, in.MemberID = lot.FacilityID, lot.ID, lot.Code, actor.ID
		if in.SupplierFacilityID, err = linkFacility(ctx, tx, in.SupplierName, actor.FacilityID); err != nil {
			return err
		}
		return insertInput(ctx, tx, in)
	})
	if err != nil {
		return fmt.Errorf("record input of %s: %w", in.LotCode, err)
	}
	return nil
}

func insertInput(ctx context.Context, tx pgx.Tx, in *core.Input) error {
	qty, unit := quantityArgs(in.Quantity)
	err := tx.QueryRow(ctx, `
		INSERT INTO lot_inputs (facility_id, lot_id, what, quantity, unit, supplier_name, supplier_facility_id,
			supplier_lot, shipment_id, supplier_lot_id, member_id, channel, message_ref)
		VALUES ($1, $2, $3, $4::numeric, $5, $6, $7, $8, $9, $10, $11, $12, nullif($13, ''))
		RETURNING id, created_at`,
		in.FacilityID, in.LotID, in.What, qty, unit, in.SupplierName, in.SupplierFacilityID,
		in.SupplierLot, in.ShipmentID, in.SupplierLotID, in.MemberID, in.Channel, in.MessageRef,
	).Scan(&in.ID, &in.CreatedAt)
	if err != nil {
		return domainError("lot input", err)
	}
	return nil
}

func (s *ChainService) RecordShipment(ctx context.Context, actor *core.Member, sh *core.Shipment) error {
	if err := sh.Validate(); err != nil {
		return err
	}
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		lot, err := findLotByCode(ctx, tx, actor.FacilityID, sh.LotCode)
		if err != nil {
			return err
		}
		sh.FacilityID, sh.LotID, sh.LotCode, sh.ProductName, sh.MemberID = lot.FacilityID, lot.ID, lot.Code, lot.ProductName, actor.ID
		if sh.BuyerFacilityID, err = linkFacility(ctx, tx, sh.BuyerName, actor.FacilityID); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO lot_shipments (facility_id, lot_id, quantity, unit, buyer_name, buyer_facility_id,
				member_id, channel, message_ref)
			VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, $8, nullif($9, ''))
			RETURNING id, shipped_at, created_at`,
			sh.FacilityID, sh.LotID, sh.Quantity.Value, sh.Quantity.Unit, sh.BuyerName, sh.BuyerFacilityID,
			sh.MemberID, sh.Channel, sh.MessageRef,
		).Scan(&sh.ID, &sh.ShippedAt, &sh.CreatedAt)
		if err != nil {
			return domainError("lot shipment", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record shipment of %s: %w", sh.LotCode, err)
	}
	return nil
}

func (s *ChainService) TakeShipment(ctx context.Context, actor *core.Member, in *core.Input) error {
	if in.ShipmentID == nil {
		return core.Errorf(core.EINVALID, "no shipment to take")
	}
	shipmentID := *in.ShipmentID
	in.MemberID = actor.ID
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		sh, err := shipmentTo(ctx, tx, actor.FacilityID, shipmentID)
		if err != nil {
			return err
		}
		lot, err := findLotByCode(ctx, tx, actor.FacilityID, in.LotCode)
		if err != nil {
			return err
		}
		if err := lot.CheckOpen(); err != nil {
			return err
		}
		in.FacilityID, in.LotID, in.LotCode = lot.FacilityID, lot.ID, lot.Code
		in.What, in.Quantity, in.SupplierName = sh.ProductName, &sh.Quantity, sh.sellerName
		in.SupplierFacilityID, in.SupplierLot, in.SupplierLotID = &sh.FacilityID, sh.LotCode, &sh.LotID
		if err := insertInput(ctx, tx, in); core.ErrorCodeOf(err) == core.ECONFLICT {
			return core.Refuse(core.ECONFLICT, core.ReasonShipmentTaken, map[string]any{"ID": shipmentID},
				"shipment %d is taken already", shipmentID)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("take shipment %d: %w", shipmentID, err)
	}
	return nil
}

// incoming is a shipment as its buyer sees it.
type incoming struct {
	core.Shipment
	sellerName string
}

// shipmentTo finds a shipment sent to facilityID; another facility's is
// as good as absent.
func shipmentTo(ctx context.Context, tx pgx.Tx, facilityID, id int64) (*incoming, error) {
	var sh incoming
	var qty, unit string
	err := tx.QueryRow(ctx, `
		SELECT s.id, s.facility_id, s.lot_id, l.code, p.name, s.quantity::text, s.unit, f.name
		FROM lot_shipments s JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
		JOIN facilities f ON f.id = s.facility_id
		WHERE s.id = $1 AND s.buyer_facility_id = $2`, id, facilityID).
		Scan(&sh.ID, &sh.FacilityID, &sh.LotID, &sh.LotCode, &sh.ProductName, &qty, &unit, &sh.sellerName)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Refuse(core.ENOTFOUND, core.ReasonNoShipment, map[string]any{"ID": id},
			"no shipment %d came to facility %d", id, facilityID)
	}
	if err != nil {
		return nil, err
	}
	if sh.Quantity, err = core.ParseQuantity(qty, unit); err != nil {
		return nil, fmt.Errorf("stored quantity %s %s: %w", qty, unit, err)
	}
	return &sh, nil
}

func quantityArgs(q *core.Quantity) (value, unit any) {
	if q == nil {
		return nil, nil
	}
	return q.Value, string(q.Unit)
}
