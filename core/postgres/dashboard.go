package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
	"tracegate/locales"
)

const (
	dashboardDays  = 30
	dashboardWeeks = 12
)

// Dashboard reads each series in one indexed query: lookups by their time,
// activations by theirs, flagged codes by their verdict. A figure a moment
// old is as good as a fresh one here, so it is read from the replica when
// there is one.
func (s *StatsService) Dashboard(ctx context.Context, now time.Time) (*core.Dashboard, error) {
	var d *core.Dashboard
	err := s.db.readWith(ctx, func(q dbtx) error {
		var err error
		d, err = dashboard(ctx, q, now)
		return err
	})
	return d, err
}

func dashboard(ctx context.Context, q dbtx, now time.Time) (*core.Dashboard, error) {
	lookupsUpto, err := rolledUpTo(ctx, q, "lookups")
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	activationsUpto, err := rolledUpTo(ctx, q, "activations")
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	st, err := stats(ctx, q, lookupsUpto)
	if err != nil {
		return nil, err
	}
	d := &core.Dashboard{Stats: *st}
	local := now.In(locales.Vietnam) // the agency counts Vietnamese days and weeks
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	firstDay := today.AddDate(0, 0, -(dashboardDays - 1))
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	firstWeek := monday.AddDate(0, 0, -7*(dashboardWeeks-1))
	since := func(day time.Time) time.Time { // a Vietnamese midnight as an instant
		return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, locales.Vietnam)
	}

	// Each series is its closed days' rollup and, since the rollup's mark,
	// the live rows: a day's worth at most, whatever the volume.
	perDay, err := counts(ctx, q, `
		SELECT day, '', sum(n)::bigint FROM (
			SELECT day, n FROM lookup_days WHERE day >= $1::date
			UNION ALL
			SELECT (looked_at AT TIME ZONE $3)::date, count(*) FROM lookups WHERE looked_at >= $2 GROUP BY 1
		) c GROUP BY day`, dateOf(firstDay), later(since(firstDay), lookupsUpto), locales.VietnamZone)
	if err != nil {
		return nil, err
	}
	d.LookupsPerDay = core.FillDays(perDay, firstDay, dashboardDays, 24*time.Hour)
	perWeek, err := counts(ctx, q, `
		SELECT date_trunc('week', day)::date, '', sum(n)::bigint FROM (
			SELECT day, n FROM activation_days WHERE day >= $1::date
			UNION ALL
			SELECT (activated_at AT TIME ZONE $3)::date, count(*) FROM stamps WHERE activated_at >= $2 GROUP BY 1
		) c GROUP BY 1`, dateOf(firstWeek), later(since(firstWeek), activationsUpto), locales.VietnamZone)
	if err != nil {
		return nil, err
	}
	d.ActivationsPerWeek = core.FillDays(perWeek, firstWeek, dashboardWeeks, 7*24*time.Hour)
	if d.TopProducts, err = counts(ctx, q, `
		WITH c AS (
			SELECT product_id, n FROM lookup_days WHERE day >= $1::date AND product_id <> 0
			UNION ALL
			SELECT product_id, count(*) FROM lookups
			WHERE looked_at >= $2 AND product_id IS NOT NULL GROUP BY product_id
		)
		SELECT now()::date, p.name, sum(c.n)::bigint FROM c JOIN products p ON p.id = c.product_id
		GROUP BY p.id, p.name ORDER BY 3 DESC, 2 LIMIT 5`, dateOf(firstDay), later(since(firstDay), lookupsUpto)); err != nil {
		return nil, err
	}
	if d.Flagged, err = flagged(ctx, q); err != nil {
		return nil, err
	}
	return d, nil
}

func counts(ctx context.Context, q querier, sql string, args ...any) ([]core.Count, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (core.Count, error) {
		var c core.Count
		return c, row.Scan(&c.Start, &c.Name, &c.N)
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return out, nil
}

func flagged(ctx context.Context, q querier) ([]core.FlaggedCode, error) {
	rows, err := q.Query(ctx, `
		SELECT f.code, k.n, k.senders, k.last
		FROM (SELECT code FROM code_flags WHERE verdict = 'suspicious' ORDER BY last_at DESC LIMIT 20) f,
		LATERAL (SELECT count(*) AS n, count(DISTINCT urn_hash) AS senders, max(looked_at) AS last
		         FROM lookups WHERE code = f.code) k
		ORDER BY k.last DESC`)
	if err != nil {
		return nil, fmt.Errorf("flagged codes: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (core.FlaggedCode, error) {
		var f core.FlaggedCode
		return f, row.Scan(&f.Code, &f.Lookups, &f.Senders, &f.Last)
	})
	if err != nil {
		return nil, fmt.Errorf("flagged codes: %w", err)
	}
	return out, nil
}

// dateOf is a day as Postgres reads a date.
func dateOf(day time.Time) string { return day.Format("2006-01-02") }

// later is the later of two instants.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
