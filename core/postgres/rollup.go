package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/locales"
)

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

// Rollup adds what was written since its mark to the days it belongs to,
// up to now or to the start of the oldest transaction still open, which
// may yet commit rows stamped with its start (a lookup's time is its
// transaction's now()). It returns how many day rows it added to. The
// mark's row lock makes processes running it at once count each row once;
// run every few seconds (the gateway's rollup job), it leaves the
// dashboard a few seconds of rows to count live.
func (db *DB) Rollup(ctx context.Context, now time.Time) (int, error) {
	touched := 0
	for name, r := range rollups {
		for {
			n, more, err := db.rollupChunk(ctx, name, r, now)
			if err != nil {
				return touched, fmt.Errorf("roll up %s: %w", name, err)
			}
			touched += n
			if !more {
				break
			}
		}
	}
	return touched, nil
}

// rollupChunk counts up to rollupChunk after the mark, and moves it; more
// says another chunk follows.
func (db *DB) rollupChunk(ctx context.Context, name string, r rollup, now time.Time) (touched int, more bool, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var mark *time.Time
		var target time.Time
		err := tx.QueryRow(ctx, `
			SELECT upto, (SELECT least($2, min(xact_start)) FROM pg_stat_activity
			              WHERE datname = current_database() AND pid <> pg_backend_pid())
			FROM rollup_marks WHERE name = $1 FOR UPDATE`, name, now).Scan(&mark, &target)
		if err != nil {
			return err
		}
		if mark == nil {
			if err := tx.QueryRow(ctx, r.first).Scan(&mark); err != nil || mark == nil {
				return err // nothing to count yet
			}
		}
		upto := *mark
		if !upto.Before(target) {
			return nil
		}
		// A chunk that is not the last ends at a midnight, so each day
		// it covers is added to once.
		end := midnight(upto.Add(rollupChunk))
		if more = end.Before(target); !more {
			end = target
		}
		tag, err := tx.Exec(ctx, r.count, upto, end, locales.VietnamZone)
		if err != nil {
			return err
		}
		touched = int(tag.RowsAffected())
		_, err = tx.Exec(ctx, `UPDATE rollup_marks SET upto = $2 WHERE name = $1`, name, end)
		return err
	})
	return touched, more, err
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
	return *upto, nil
}
