package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// ReportService implements core.ReportService.
type ReportService struct{ db *DB }

// NewReportService returns the report service on db.
func NewReportService(db *DB) *ReportService { return &ReportService{db} }

var _ core.ReportService = (*ReportService)(nil)

// reportListCap bounds the codes and the places as written that one
// district's row carries: the dashboard shows a row, not a register.
const reportListCap = 20

// Report keeps a well-formed code that is no stamp too, with no
// facility: an invented code on a copy is just what the agency wants to
// hear of.
func (s *ReportService) Report(ctx context.Context, codeInput string, r *core.FakeReport) error {
	code, err := core.ParseCode(codeInput)
	if err != nil {
		return core.Errorf(core.EINVALID, "%q is not a valid stamp code", codeInput)
	}
	r.Code = code
	if err := r.Validate(); err != nil {
		return err
	}
	r.District, r.Commune = core.ParsePlace(r.Place)
	r.Masked = r.Reporter.Masked()
	hash, err := s.db.hashURN(ctx, r.Reporter)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO fake_reports (code, facility_id, place, district, commune, channel, reporter_hash, reporter_masked)
			VALUES ($1, (SELECT facility_id FROM stamps WHERE code = $1), $2, nullif($3, ''), nullif($4, ''), $5, $6, $7)
			RETURNING id, coalesce(facility_id, 0), created_at`,
			r.Code, r.Place, r.District, r.Commune, r.Channel, hash, r.Masked).Scan(&r.ID, &r.FacilityID, &r.CreatedAt)
		if err != nil {
			return domainError("report of "+string(r.Code), err)
		}
		return nil
	})
}

const reportColumns = `id, code, coalesce(facility_id, 0), place, coalesce(district, ''), coalesce(commune, ''),
	channel, reporter_masked, created_at`

func (s *ReportService) FindReports(ctx context.Context, facilityID int64, limit int) ([]*core.FakeReport, error) {
	if limit <= 0 {
		limit = 100
	}
	// Two statements rather than one with "$1 = 0 OR": each keeps its
	// own index (by facility, by time) under a generic plan.
	query := `SELECT ` + reportColumns + ` FROM fake_reports ORDER BY created_at DESC, id DESC LIMIT $1`
	args := []any{limit}
	if facilityID > 0 {
		query = `SELECT ` + reportColumns + ` FROM fake_reports WHERE facility_id = $2 ORDER BY created_at DESC, id DESC LIMIT $1`
		args = append(args, facilityID)
	}
	rows, err := s.db.q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find reports of facility %d: %w", facilityID, err)
	}
	reports, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.FakeReport, error) {
		var r core.FakeReport
		return &r, row.Scan(&r.ID, &r.Code, &r.FacilityID, &r.Place, &r.District, &r.Commune, &r.Channel, &r.Masked, &r.CreatedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("find reports of facility %d: %w", facilityID, err)
	}
	return reports, nil
}

// ReportsByDistrict counts in SQL: one pass over the window's reports,
// grouped by district and code, so the dashboard reads one row a
// district however many reports there are. A place no list knows is
// kept as written, each distinct text once, the latest first.
func (s *ReportService) ReportsByDistrict(ctx context.Context, facilityID int64, since time.Time) ([]core.DistrictReports, error) {
	which := `created_at >= $1`
	args := []any{since, reportListCap}
	if facilityID > 0 {
		which += ` AND facility_id = $3`
		args = append(args, facilityID)
	}
	rows, err := s.db.q.Query(ctx, `
		WITH r AS (
			SELECT coalesce(district, '') AS district, code, place, created_at
			FROM fake_reports WHERE `+which+`
		), by_code AS (
			SELECT district, code, count(*) AS n, max(created_at) AS last FROM r GROUP BY district, code
		), unknown AS (
			SELECT place, max(created_at) AS last FROM r WHERE district = '' GROUP BY place
		)
		SELECT d.district, d.n, d.codes,
		       CASE WHEN d.district = '' THEN (SELECT (array_agg(place ORDER BY last DESC, place))[1:$2] FROM unknown)
		            ELSE '{}' END
		FROM (SELECT district, sum(n)::bigint AS n, (array_agg(code ORDER BY n DESC, last DESC, code))[1:$2] AS codes
		      FROM by_code GROUP BY district) d
		ORDER BY d.n DESC, d.district = '', d.district`, args...)
	if err != nil {
		return nil, fmt.Errorf("reports by district: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (core.DistrictReports, error) {
		var d core.DistrictReports
		var codes []string
		if err := row.Scan(&d.District, &d.Count, &codes, &d.Places); err != nil {
			return d, err
		}
		d.Codes = make([]core.Code, len(codes))
		for i, c := range codes {
			d.Codes[i] = core.Code(c)
		}
		return d, nil
	})
	if err != nil {
		return nil, fmt.Errorf("reports by district: %w", err)
	}
	return out, nil
}
