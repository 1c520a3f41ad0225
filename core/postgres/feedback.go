package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// FeedbackService implements core.FeedbackService.
type FeedbackService struct{ db *DB }

// NewFeedbackService returns the feedback service on db.
func NewFeedbackService(db *DB) *FeedbackService { return &FeedbackService{db} }

var _ core.FeedbackService = (*FeedbackService)(nil)

func (s *FeedbackService) GiveFeedback(ctx context.Context, codeInput string, f *core.Feedback) error {
	code, err := core.ParseCode(codeInput)
	if err != nil {
		return core.Errorf(core.EINVALID, "%q is not a valid stamp code", codeInput)
	}
	f.Code = code
	if err := f.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		// A stamp not yet on a lot still names its facility, so the
		// producer hears about it even when the product is unknown.
		err := tx.QueryRow(ctx, `
			INSERT INTO feedback (facility_id, product_id, code, channel, urn, body)
			SELECT s.facility_id, l.product_id, s.code, $2, $3, $4
			FROM stamps s LEFT JOIN lots l ON l.id = s.lot_id
			WHERE s.code = $1
			RETURNING id, facility_id, product_id, created_at`,
			f.Code, f.Channel, f.URN, f.Body).Scan(&f.ID, &f.FacilityID, &f.ProductID, &f.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "no stamp has code %s", f.Code)
		}
		if err != nil {
			return fmt.Errorf("give feedback on %s: %w", f.Code, err)
		}
		return nil
	})
}

const feedbackColumns = `id, facility_id, product_id, code, channel, urn, body, created_at`

func scanFeedback(row pgx.Row) (*core.Feedback, error) {
	var f core.Feedback
	return &f, row.Scan(&f.ID, &f.FacilityID, &f.ProductID, &f.Code, &f.Channel, &f.URN, &f.Body, &f.CreatedAt)
}

func (s *FeedbackService) FindFeedbacks(ctx context.Context, facilityID int64, limit int) ([]*core.Feedback, error) {
	rows, err := s.db.q.Query(ctx, `SELECT `+feedbackColumns+` FROM feedback WHERE facility_id = $1 ORDER BY id DESC LIMIT $2`,
		facilityID, limit)
	if err != nil {
		return nil, fmt.Errorf("find feedback of facility %d: %w", facilityID, err)
	}
	all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Feedback, error) { return scanFeedback(row) })
	if err != nil {
		return nil, fmt.Errorf("find feedback of facility %d: %w", facilityID, err)
	}
	return all, nil
}

func (s *FeedbackService) FindFeedback(ctx context.Context, actor *core.Member, id int64) (*core.Feedback, error) {
	f, err := scanFeedback(s.db.q.QueryRow(ctx, `
		SELECT `+feedbackColumns+` FROM feedback WHERE id = $1 AND facility_id = $2`, id, actor.FacilityID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "facility %d has no feedback %d", actor.FacilityID, id)
	}
	if err != nil {
		return nil, fmt.Errorf("find feedback %d: %w", id, err)
	}
	return f, nil
}
