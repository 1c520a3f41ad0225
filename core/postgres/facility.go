package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"tracegate/core"
)

// FacilityService implements core.FacilityService.
type FacilityService struct{ db *DB }

// NewFacilityService returns the facility service on db.
func NewFacilityService(db *DB) *FacilityService { return &FacilityService{db} }

var _ core.FacilityService = (*FacilityService)(nil)

const facilityColumns = `id, name, address, province, phone, coalesce(gln, ''), created_at`

func scanFacility(row pgx.Row) (*core.Facility, error) {
	var f core.Facility
	err := row.Scan(&f.ID, &f.Name, &f.Address, &f.Province, &f.Phone, &f.GLN, &f.CreatedAt)
	return &f, err
}

func (s *FacilityService) CreateFacility(ctx context.Context, f *core.Facility) error {
	if err := f.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO facilities (name, address, province, phone, gln)
			VALUES ($1, $2, $3, $4, NULLIF($5, '')) RETURNING id, created_at`,
			f.Name, f.Address, f.Province, f.Phone, f.GLN).Scan(&f.ID, &f.CreatedAt)
		if pgConstraintOf(err) == "facilities_gln_key" {
			return core.Errorf(core.ECONFLICT, "another facility already has gln %s", f.GLN)
		}
		if err != nil {
			return domainError("facility", err)
		}
		return nil
	})
}

func (s *FacilityService) UpdateFacility(ctx context.Context, f *core.Facility) error {
	if err := f.Validate(); err != nil {
		return err
	}
	err := s.db.q.QueryRow(ctx, `
		UPDATE facilities SET name = $2, address = $3, province = $4, phone = $5, gln = NULLIF($6, '')
		WHERE id = $1 RETURNING created_at`,
		f.ID, f.Name, f.Address, f.Province, f.Phone, f.GLN).Scan(&f.CreatedAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return core.Errorf(core.ENOTFOUND, "facility %d not found", f.ID)
	case pgConstraintOf(err) == "facilities_gln_key":
		return core.Errorf(core.ECONFLICT, "another facility already has gln %s", f.GLN)
	case err != nil:
		return domainError("facility", err)
	}
	return nil
}

func (s *FacilityService) FindFacilities(ctx context.Context) ([]*core.Facility, error) {
	rows, err := s.db.q.Query(ctx, `SELECT `+facilityColumns+` FROM facilities ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find facilities: %w", err)
	}
	facilities, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Facility, error) {
		return scanFacility(row)
	})
	if err != nil {
		return nil, fmt.Errorf("find facilities: %w", err)
	}
	return facilities, nil
}

func (s *FacilityService) FindFacilityByID(ctx context.Context, id int64) (*core.Facility, error) {
	f, err := scanFacility(s.db.q.QueryRow(ctx,
		`SELECT `+facilityColumns+` FROM facilities WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "facility %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find facility %d: %w", id, err)
	}
	return f, nil
}

// pgConstraintOf names the constraint or index a Postgres error violated,
// or "": when a table has two unique keys, the code alone does not say
// which duplicate the caller sent.
func pgConstraintOf(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}
