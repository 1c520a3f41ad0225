package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// LotService implements core.LotService.
type LotService struct{ db *DB }

// NewLotService returns the lot service on db.
func NewLotService(db *DB) *LotService { return &LotService{db} }

var _ core.LotService = (*LotService)(nil)

const lotColumns = `l.id, l.facility_id, l.product_id, p.code, p.name, l.code, l.note, l.opened_by, l.opened_at,
	l.status, l.closed_at, l.recalled_at, l.recall_reason`

func lotScanTargets(l *core.Lot) []any {
	return []any{&l.ID, &l.FacilityID, &l.ProductID, &l.ProductCode, &l.ProductName,
		&l.Code, &l.Note, &l.OpenedBy, &l.OpenedAt, &l.Status, &l.ClosedAt, &l.RecalledAt, &l.RecallReason}
}

func (s *LotService) OpenLot(ctx context.Context, actor *core.Member, productCode, note string) (*core.Lot, error) {
	lot := &core.Lot{FacilityID: actor.FacilityID, ProductCode: core.NormalizeProductCode(productCode),
		Note: note, OpenedBy: &actor.ID}
	if len([]rune(note)) > 1600 {
		return nil, core.Errorf(core.EINVALID, "lot note is longer than 1600 characters")
	}
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id, name FROM products WHERE facility_id = $1 AND code = $2`,
			lot.FacilityID, lot.ProductCode).Scan(&lot.ProductID, &lot.ProductName)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "facility %d has no product %q", lot.FacilityID, lot.ProductCode)
		}
		if err != nil {
			return err
		}
		// The counter row serialises lot openings of one facility, so codes
		// never collide and never skip.
		var number int
		if err := tx.QueryRow(ctx, `
			UPDATE facilities SET last_lot_number = last_lot_number + 1 WHERE id = $1
			RETURNING last_lot_number`, lot.FacilityID).Scan(&number); err != nil {
			return err
		}
		lot.Code = fmt.Sprintf("L%d", number)
		return tx.QueryRow(ctx, `
			INSERT INTO lots (facility_id, product_id, code, note, opened_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id, opened_at, status`,
			lot.FacilityID, lot.ProductID, lot.Code, lot.Note, lot.OpenedBy).Scan(&lot.ID, &lot.OpenedAt, &lot.Status)
	})
	if err != nil {
		return nil, fmt.Errorf("open lot of %s: %w", lot.ProductCode, err)
	}
	return lot, nil
}

func (s *LotService) FindLots(ctx context.Context, facilityID int64, limit int) ([]*core.Lot, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT `+lotColumns+` FROM lots l JOIN products p ON p.id = l.product_id
		WHERE l.facility_id = $1 ORDER BY l.status = 'open' DESC, l.opened_at DESC, l.id DESC LIMIT $2`, facilityID, limit)
	if err != nil {
		return nil, fmt.Errorf("find lots of facility %d: %w", facilityID, err)
	}
	lots, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Lot, error) {
		var l core.Lot
		return &l, row.Scan(lotScanTargets(&l)...)
	})
	if err != nil {
		return nil, fmt.Errorf("find lots of facility %d: %w", facilityID, err)
	}
	return lots, nil
}

func (s *LotService) FindLotByCode(ctx context.Context, facilityID int64, code string) (*core.Lot, error) {
	return findLotByCode(ctx, s.db.q, facilityID, code)
}

func (s *LotService) CloseLot(ctx context.Context, actor *core.Member, code string) (*core.Lot, error) {
	var lot *core.Lot
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if lot, err = findLotByCode(ctx, tx, actor.FacilityID, code, "FOR UPDATE OF l"); err != nil {
			return err
		}
		if err := lot.CheckOpen(); err != nil {
			return err
		}
		lot.Status = core.LotClosed
		return tx.QueryRow(ctx, `UPDATE lots SET status = $2, closed_at = now() WHERE id = $1 RETURNING closed_at`,
			lot.ID, lot.Status).Scan(&lot.ClosedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("close lot %s: %w", code, err)
	}
	return lot, nil
}

// querier is what a pool and a transaction share.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// findLotByCode finds a lot within one facility: another facility's lot
// of the same code is as good as absent.
func findLotByCode(ctx context.Context, q querier, facilityID int64, code string, lock ...string) (*core.Lot, error) {
	code, err := core.ParseLotCode(code)
	if err != nil {
		return nil, err
	}
	var l core.Lot
	err = q.QueryRow(ctx, `
		SELECT `+lotColumns+` FROM lots l JOIN products p ON p.id = l.product_id
		WHERE l.facility_id = $1 AND l.code = $2 `+strings.Join(lock, " "), facilityID, code).Scan(lotScanTargets(&l)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "facility %d has no lot %s", facilityID, code)
	}
	if err != nil {
		return nil, fmt.Errorf("find lot %s: %w", code, err)
	}
	return &l, nil
}
