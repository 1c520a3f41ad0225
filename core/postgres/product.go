package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// ProductService implements core.ProductService.
type ProductService struct{ db *DB }

// NewProductService returns the product service on db.
func NewProductService(db *DB) *ProductService { return &ProductService{db} }

var _ core.ProductService = (*ProductService)(nil)

const productColumns = `p.id, p.facility_id, p.code, p.name, p.ocop_stars, p.description,
	p.story, p.certifications, coalesce(p.gtin, ''), p.created_at`

func productScanTargets(p *core.Product) []any {
	return []any{&p.ID, &p.FacilityID, &p.Code, &p.Name, &p.OCOPStars, &p.Description,
		&p.Story, &p.Certifications, &p.GTIN, &p.CreatedAt}
}

func (s *ProductService) CreateProduct(ctx context.Context, p *core.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO products (facility_id, code, name, ocop_stars, description, story, certifications, gtin)
			VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')) RETURNING id, created_at`,
			p.FacilityID, p.Code, p.Name, p.OCOPStars, p.Description, p.Story, p.Certifications, p.GTIN,
		).Scan(&p.ID, &p.CreatedAt)
		if err == nil {
			return nil
		}
		switch pgErrorCode(err) {
		case pgUniqueViolation:
			// A GTIN names one product anywhere, whatever its facility.
			if pgConstraintOf(err) == "products_gtin_key" {
				return core.Errorf(core.ECONFLICT,
					"another product already has gtin %s, or the same number with other leading zeros", p.GTIN)
			}
			return core.Errorf(core.ECONFLICT, "facility %d already has a product %s", p.FacilityID, p.Code)
		case pgForeignKeyViolation:
			return core.Errorf(core.ENOTFOUND, "facility %d not found", p.FacilityID)
		}
		return domainError("product "+p.Code, err)
	})
}

func (s *ProductService) UpdateProduct(ctx context.Context, p *core.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	err := s.db.q.QueryRow(ctx, `
		UPDATE products SET code = $3, name = $4, ocop_stars = $5, description = $6, story = $7,
		       certifications = $8, gtin = NULLIF($9, '')
		WHERE id = $1 AND facility_id = $2 RETURNING created_at`,
		p.ID, p.FacilityID, p.Code, p.Name, p.OCOPStars, p.Description, p.Story, p.Certifications, p.GTIN).Scan(&p.CreatedAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return core.Errorf(core.ENOTFOUND, "facility %d has no product %d", p.FacilityID, p.ID)
	case pgErrorCode(err) == pgUniqueViolation && pgConstraintOf(err) == "products_gtin_key":
		return core.Errorf(core.ECONFLICT, "another product already has gtin %s", p.GTIN)
	case pgErrorCode(err) == pgUniqueViolation:
		return core.Errorf(core.ECONFLICT, "facility %d already has a product %s", p.FacilityID, p.Code)
	case err != nil:
		return domainError("product "+p.Code, err)
	}
	return nil
}

func (s *ProductService) FindProducts(ctx context.Context, facilityID int64) ([]*core.Product, error) {
	rows, err := s.db.q.Query(ctx,
		`SELECT `+productColumns+` FROM products p WHERE p.facility_id = $1 ORDER BY p.code`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("find products of facility %d: %w", facilityID, err)
	}
	products, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Product, error) {
		var p core.Product
		return &p, row.Scan(productScanTargets(&p)...)
	})
	if err != nil {
		return nil, fmt.Errorf("find products of facility %d: %w", facilityID, err)
	}
	return products, nil
}
