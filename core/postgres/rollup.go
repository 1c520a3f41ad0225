package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/locales"
)

// rollupMargin is how long after an hour ends it is taken as closed: a
// lookup's transaction begun before the hour's end commits within it.
const rollupMargin = 15 * time.Minute

// rollupChunk bounds one transaction of a rollup that has fallen behind
// (the first, over a database's whole history).
const rollupChunk = 31 * 24 * time.Hour

// rollup is a series counted by day: where its first row is, and how a
// span of closed hours is added to its days.
type rollup struct{ first, count string }

var rollups = map[string]rollup{
	"lookups": {first: `SELECT min(looked_at) FROM lookups`, count: `
		INSERT INTO lookup_days (day, product_id, n)
		SELECT (looked_at AT TIME ZONE $3)::date, coalesce(product_id, 0), count(*)
		FROM lookups
		WHERE looked_at >= $1 AND looked_at < $2
		GROUP BY 1, 2
		ON CONFLICT (day, product_id) DO UPDATE SET n = lookup_days.n + excluded.n`},
	"activations": {first: `SELECT min(activated_at) FROM stamps WHERE activated_at IS NOT NULL`, count: `
		INSERT INTO activation_days (day, n)
		SELECT (activated_at AT TIME ZONE $3)::date, count(*)
		FROM stamps WHERE activated_at >= $1 AND activated_at < $2
		GROUP BY 1
		ON CONFLICT (day) DO UPDATE SET n = activation_days.n + excluded.n`},
}

// Rollup adds every hour that has closed and is not counted yet to its
// day, and returns how many hours it counted. Each hour is added once,
// under the mark's row lock, so processes running it at once count it
// once; what came since the mark is at most an hour and a quarter of rows
// when it runs hourly.
func (db *DB) Rollup(ctx context.Context, now time.Time) (int, error) {
	target := now.Add(-rollupMargin).Truncate(time.Hour)
	hours := 0
	for name, r := range rollups {
		for {
			n, err := db.rollupChunk(ctx, name, r, target)
			if err != nil {
				return hours, fmt.Errorf("roll up %s: %w", name, err)
			}
			if n == 0 {
				break
			}
			hours += n
		}
	}
	return hours, nil
}

// rollupChunk counts up to rollupChunk of closed hours after the mark,
// and moves it; 0 when there were none.
func (db *DB) rollupChunk(ctx context.Context, name string, r rollup, target time.Time) (int, error) {
	hours := 0
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var mark *time.Time
		if err := tx.QueryRow(ctx, `SELECT upto FROM rollup_marks WHERE name = $1 FOR UPDATE`, name).Scan(&mark); err != nil {
			return err
		}
		if mark == nil {
			if err := tx.QueryRow(ctx, r.first).Scan(&mark); err != nil || mark == nil {
				return err // nothing to count yet
			}
		}
		// Vietnam's hours begin with UTC's, so an hour is never split
		// between two Vietnamese days.
		upto := mark.Truncate(time.Hour)
		if !upto.Before(target) {
			return nil
		}
		end := upto.Add(rollupChunk)
		if end.After(target) {
			end = target
		}
		if _, err := tx.Exec(ctx, r.count, upto, end, locales.VietnamZone); err != nil {
			return err
		}
		hours = int(end.Sub(upto) / time.Hour)
		_, err := tx.Exec(ctx, `UPDATE rollup_marks SET upto = $2 WHERE name = $1`, name, end)
		return err
	})
	return hours, err
}

// rolledUpTo is where the counted days end for a series: what follows is
// counted live (all of it, before the first rollup).
func rolledUpTo(ctx context.Context, q querier, name string) (time.Time, error) {
	var upto *time.Time
	if err := q.QueryRow(ctx, `SELECT upto FROM rollup_marks WHERE name = $1`, name).Scan(&upto); err != nil || upto == nil {
		return time.Time{}, err
	}
	return upto.Truncate(time.Hour), nil
}
