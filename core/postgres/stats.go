package postgres

import (
	"context"
	"fmt"
	"time"

	"tracegate/core"
)

// StatsService implements core.StatsService.
type StatsService struct{ db *DB }

// NewStatsService returns the stats service on db.
func NewStatsService(db *DB) *StatsService { return &StatsService{db} }

var _ core.StatsService = (*StatsService)(nil)

// Stats reads every figure in one statement, so they agree with each other.
// Stamp totals come from the batches and the facilities' counters, never
// from a scan of the stamps; lookups from the daily rollup and the day
// since, flagged codes from code_flags.
// Like the dashboard, they are read from the replica when there is one.
func (s *StatsService) Stats(ctx context.Context) (*core.Stats, error) {
	var st *core.Stats
	err := s.db.readWith(ctx, func(q dbtx) error {
		upto, err := rolledUpTo(ctx, q, "lookups")
		if err != nil {
			return fmt.Errorf("stats: %w", err)
		}
		st, err = stats(ctx, q, upto)
		return err
	})
	return st, err
}

// stats reads the totals with the lookups' rollup mark as a value, so
// the day's lookups since it are read by their index.
func stats(ctx context.Context, q dbtx, upto time.Time) (*core.Stats, error) {
	var st core.Stats
	err := q.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM facilities),
		       (SELECT count(*) FROM products),
		       (SELECT coalesce(jsonb_object_agg(stars, n), '{}')
		          FROM (SELECT ocop_stars AS stars, count(*) AS n FROM products
		                WHERE ocop_stars IS NOT NULL GROUP BY ocop_stars) s),
		       (SELECT count(*) FROM members),
		       (SELECT count(*) FROM lots),
		       (SELECT count(*) FROM diary_entries WHERE undone_at IS NULL),
		       (SELECT coalesce(sum(count), 0) FROM stamp_batches),
		       (SELECT coalesce(sum(stamps_activated), 0) FROM facilities),
		       (SELECT coalesce(sum(stamps_void), 0) FROM facilities),
		       (SELECT coalesce(sum(n), 0) FROM lookup_days) +
		         (SELECT count(*) FROM lookups WHERE looked_at >= $1),
		       (SELECT count(*) FROM code_flags WHERE verdict = 'suspicious'),
		       (SELECT count(*) FROM code_flags WHERE verdict = 'unknown'),
		       (SELECT count(*) FROM feedback)`, upto).Scan(
		&st.Facilities, &st.Products, &st.ProductsByStars, &st.Members, &st.Lots, &st.DiaryEntries,
		&st.StampsIssued, &st.StampsActivated, &st.StampsVoid,
		&st.Lookups, &st.SuspiciousCodes, &st.UnknownCodes, &st.Feedback)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return &st, nil
}
