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
// activations by theirs, flagged codes by their verdict.
func (s *StatsService) Dashboard(ctx context.Context, now time.Time) (*core.Dashboard, error) {
	st, err := s.Stats(ctx)
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

	perDay, err := counts(ctx, s.db.q, `
		SELECT (looked_at AT TIME ZONE $2)::date, '', count(*)
		FROM lookups WHERE looked_at >= $1 GROUP BY 1`, since(firstDay), locales.VietnamZone)
	if err != nil {
		return nil, err
	}
	d.LookupsPerDay = core.FillDays(perDay, firstDay, dashboardDays, 24*time.Hour)
	perWeek, err := counts(ctx, s.db.q, `
		SELECT date_trunc('week', activated_at AT TIME ZONE $2)::date, '', count(*)
		FROM stamps WHERE activated_at >= $1 GROUP BY 1`, since(firstWeek), locales.VietnamZone)
	if err != nil {
		return nil, err
	}
	d.ActivationsPerWeek = core.FillDays(perWeek, firstWeek, dashboardWeeks, 7*24*time.Hour)
	if d.TopProducts, err = counts(ctx, s.db.q, `
		SELECT now()::date, p.name, count(*)
		FROM lookups k JOIN stamps t ON t.code = k.code JOIN lots l ON l.id = t.lot_id
		JOIN products p ON p.id = l.product_id
		WHERE k.looked_at >= $1 GROUP BY p.id, p.name ORDER BY 3 DESC, 2 LIMIT 5`, since(firstDay)); err != nil {
		return nil, err
	}
	if d.Flagged, err = flagged(ctx, s.db.q); err != nil {
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
		SELECT code, count(*), count(DISTINCT urn_hash), max(looked_at) FROM lookups
		WHERE code IN (SELECT code FROM lookups WHERE verdict = 'suspicious')
		GROUP BY code ORDER BY max(looked_at) DESC LIMIT 20`)
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
