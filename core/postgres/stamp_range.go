package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// lockFacility takes the facility's row lock so activations and voidings
// of one facility run one after another: each statement then sees the
// others' results, and the counters stay exact.
func lockFacility(ctx context.Context, tx pgx.Tx, facilityID int64) error {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM facilities WHERE id = $1 FOR UPDATE`, facilityID).Scan(&id)
	if err != nil {
		return fmt.Errorf("lock facility %d: %w", facilityID, err)
	}
	return nil
}

func (s *StampService) Activate(ctx context.Context, actor *core.Member, lotCode string, r core.SerialRange) (*core.ActivationResult, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	res := &core.ActivationResult{}
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockFacility(ctx, tx, actor.FacilityID); err != nil {
			return err
		}
		lot, err := findLotByCode(ctx, tx, actor.FacilityID, lotCode)
		if err != nil {
			return err
		}
		if err := lot.CheckOpen(); err != nil {
			return err
		}
		res.Lot = lot
		// One statement for the whole range: the counts come from the
		// snapshot before the update, the update touches issued stamps only.
		var found int64
		err = tx.QueryRow(ctx, `
			WITH activated AS (
				UPDATE stamps SET state = 'activated', lot_id = $4, activated_at = now()
				WHERE facility_id = $1 AND serial BETWEEN $2 AND $3 AND state = 'issued'
				RETURNING 1
			), bumped AS (
				UPDATE facilities SET stamps_activated = stamps_activated + (SELECT count(*) FROM activated)
				WHERE id = $1
			)
			SELECT (SELECT count(*) FROM activated),
			       count(*) FILTER (WHERE state = 'activated' AND lot_id = $4),
			       count(*) FILTER (WHERE state = 'activated' AND lot_id <> $4),
			       count(*) FILTER (WHERE state = 'void'),
			       count(*)
			FROM stamps WHERE facility_id = $1 AND serial BETWEEN $2 AND $3`,
			actor.FacilityID, r.From, r.To, lot.ID,
		).Scan(&res.Activated, &res.Already, &res.OtherLot, &res.Void, &found)
		res.Missing = r.Len() - found
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("activate %d-%d on %s: %w", r.From, r.To, lotCode, err)
	}
	return res, nil
}

func (s *StampService) Void(ctx context.Context, actor *core.Member, r core.SerialRange) (*core.VoidResult, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	res := &core.VoidResult{}
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockFacility(ctx, tx, actor.FacilityID); err != nil {
			return err
		}
		var found int64
		err := tx.QueryRow(ctx, `
			WITH before AS (
				SELECT state FROM stamps WHERE facility_id = $1 AND serial BETWEEN $2 AND $3
			), voided AS (
				UPDATE stamps SET state = 'void', voided_at = now()
				WHERE facility_id = $1 AND serial BETWEEN $2 AND $3 AND state <> 'void'
				RETURNING 1
			), bumped AS (
				UPDATE facilities SET
					stamps_void = stamps_void + (SELECT count(*) FROM voided),
					stamps_activated = stamps_activated -
						(SELECT count(*) FROM before WHERE state = 'activated')
				WHERE id = $1
			)
			SELECT (SELECT count(*) FROM voided),
			       count(*) FILTER (WHERE state = 'void'),
			       count(*)
			FROM before`,
			actor.FacilityID, r.From, r.To,
		).Scan(&res.Voided, &res.Already, &found)
		res.Missing = r.Len() - found
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("void %d-%d: %w", r.From, r.To, err)
	}
	return res, nil
}
