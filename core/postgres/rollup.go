package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/locales"
)

// rollupMargin is how long after a Vietnamese midnight the day before is
// taken as closed: a lookup's transaction begun before midnight commits
// within it.
const rollupMargin = 15 * time.Minute

// rollupChunk bounds one transaction of a rollup that has fallen behind
// (the first, over a database's whole history).
const rollupChunk = 31 * 24 * time.Hour

// rollup is a series counted by day: where its first row is, and how a
// span of days is counted.
type rollup struct{ first, count string }

var rollups = map[string]rollup{
	"lookups": {first: `SELECT min(looked_at) FROM lookups`, count: `
		INSERT INTO lookup_days (day, product_id, n)
		SELECT (looked_at AT TIME ZONE $3)::date, coalesce(product_id, 0), count(*)
		FROM lookups
		WHERE looked_at >= $1 AND looked_at < $2
		GROUP BY 1, 2
		ON CONFLICT (day, product_id) DO UPDATE SET n = excluded.n`},
	"activations": {first: `SELECT min(activated_at) FROM stamps WHERE activated_at IS NOT NULL`, count: `
		INSERT INTO activation_days (day, n)
		SELECT (activated_at AT TIME ZONE $3)::date, count(*)
		FROM stamps WHERE activated_at >= $1 AND activated_at < $2
		GROUP BY 1
		ON CONFLICT (day) DO UPDATE SET n = excluded.n`},
}

// Rollup counts every day that has closed and is not counted yet, and
// returns how many days it counted. A day is counted whole (and counted
// again whole if it ever is), under the mark's row lock, so processes
// running it at once count each day once.
func (db *DB) Rollup(ctx context.Context, now time.Time) (int, error) {
	target := midnight(now.Add(-rollupMargin))
	days := 0
	for name, r := range rollups {
		for {
			n, err := db.rollupChunk(ctx, name, r, target)
			if err != nil {
				return days, fmt.Errorf("roll up %s: %w", name, err)
			}
			if n == 0 {
				break
			}
			days += n
		}
	}
	return days, nil
}

// rollupChunk counts up to rollupChunk of closed days after the mark, and
// moves it; 0 when there were none.
func (db *DB) rollupChunk(ctx context.Context, name string, r rollup, target time.Time) (int, error) {
	days := 0
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
		upto := midnight(*mark)
		if !upto.Before(target) {
			return nil
		}
		end := midnight(upto.Add(rollupChunk))
		if end.After(target) {
			end = target
		}
		if _, err := tx.Exec(ctx, r.count, upto, end, locales.VietnamZone); err != nil {
			return err
		}
		days = int(end.Sub(upto).Hours()+1) / 24
		_, err := tx.Exec(ctx, `UPDATE rollup_marks SET upto = $2 WHERE name = $1`, name, end)
		return err
	})
	return days, err
}

// midnight is the Vietnamese midnight that begins t's day.
func midnight(t time.Time) time.Time {
	v := t.In(locales.Vietnam)
	return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, locales.Vietnam)
}

// rolledUpTo is where the counted days end for a series: what follows is
// counted live (all of it, before the first rollup).
func rolledUpTo(ctx context.Context, q querier, name string) (time.Time, error) {
	var upto *time.Time
	if err := q.QueryRow(ctx, `SELECT upto FROM rollup_marks WHERE name = $1`, name).Scan(&upto); err != nil || upto == nil {
		return time.Time{}, err
	}
	return midnight(*upto), nil
}
