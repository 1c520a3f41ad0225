package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

func (s *LotService) RecallLot(ctx context.Context, actor *core.Member, code, reason string) (*core.Lot, error) {
	var lot *core.Lot
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if lot, err = findLotByCode(ctx, tx, actor.FacilityID, code, "FOR UPDATE OF l"); err != nil {
			return err
		}
		return recall(ctx, tx, lot, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("recall lot %s: %w", code, err)
	}
	return lot, nil
}

func (s *LotService) RecallLotByID(ctx context.Context, lotID int64, reason string) (*core.Lot, error) {
	var lot core.Lot
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			SELECT `+lotColumns+` FROM lots l JOIN products p ON p.id = l.product_id
			WHERE l.id = $1 FOR UPDATE OF l`, lotID).Scan(lotScanTargets(&lot)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "no lot %d", lotID)
		}
		if err != nil {
			return err
		}
		return recall(ctx, tx, &lot, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("recall lot %d: %w", lotID, err)
	}
	return &lot, nil
}

// recall marks a locked lot recalled, closing it if it was open.
func recall(ctx context.Context, tx pgx.Tx, lot *core.Lot, reason string) error {
	if lot.Status == core.LotRecalled {
		return core.Refuse(core.ECONFLICT, core.ReasonLotRecalled, map[string]any{"Lot": lot.Code},
			"lot %s is recalled already", lot.Code)
	}
	if len([]rune(reason)) > 500 {
		return core.Errorf(core.EINVALID, "a recall's reason is longer than 500 characters")
	}
	lot.Status, lot.RecallReason = core.LotRecalled, reason
	return tx.QueryRow(ctx, `
		UPDATE lots SET status = $2, recall_reason = $3, recalled_at = now(), closed_at = coalesce(closed_at, now())
		WHERE id = $1 RETURNING recalled_at, closed_at`, lot.ID, lot.Status, reason).Scan(&lot.RecalledAt, &lot.ClosedAt)
}

func (s *LotService) RecallAudience(ctx context.Context, lotID int64) ([]core.URN, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT urn FROM lot_watchers WHERE lot_id = $1 AND seen_at > now() - make_interval(secs => $2)
		UNION
		SELECT f.urn FROM feedback f JOIN stamps st ON st.code = f.code
		WHERE st.lot_id = $1 AND f.created_at > now() - make_interval(secs => $2)
		ORDER BY 1`, lotID, core.RecallWindow.Seconds())
	if err != nil {
		return nil, fmt.Errorf("recall audience of lot %d: %w", lotID, err)
	}
	urns, err := pgx.CollectRows(rows, pgx.RowTo[core.URN])
	if err != nil {
		return nil, fmt.Errorf("recall audience of lot %d: %w", lotID, err)
	}
	answerable := urns[:0]
	for _, u := range urns {
		if u.Answerable() {
			answerable = append(answerable, u)
		}
	}
	return answerable, nil
}
