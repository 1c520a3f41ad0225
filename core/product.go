package core

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Product is what a facility sells under its OCOP rating.
type Product struct {
	ID             int64     `json:"id"`
	FacilityID     int64     `json:"facility_id"`
	Code           string    `json:"code"` // short, typed by farmers: MATONG
	Name           string    `json:"name"`
	OCOPStars      *int      `json:"ocop_stars"` // 3 to 5, nil when not rated
	Description    string    `json:"description"`
	Story          string    `json:"story"`
	Certifications []string  `json:"certifications"`
	GTIN           string    `json:"gtin,omitempty"` // GS1 Global Trade Item Number, or empty
	CreatedAt      time.Time `json:"created_at"`
}

var productCodePattern = regexp.MustCompile(`^[A-Z0-9]{2,16}$`)

// NormalizeProductCode folds what a farmer types (`mật ong`, `MAT-ONG`)
// into the stored form MATONG.
func NormalizeProductCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' || r == '.' {
			return -1
		}
		return r
	}, strings.ToUpper(Fold(strings.TrimSpace(s))))
}

// Validate trims and checks the fields and normalises the code.
func (p *Product) Validate() error {
	if p.FacilityID <= 0 {
		return Errorf(EINVALID, "facility_id is required")
	}
	p.Code = NormalizeProductCode(p.Code)
	if !productCodePattern.MatchString(p.Code) {
		return Errorf(EINVALID, "code must be 2 to 16 letters or digits")
	}
	var err error
	if p.Name, err = cleanText("name", p.Name, 1, 200); err != nil {
		return err
	}
	if p.OCOPStars != nil && (*p.OCOPStars < 3 || *p.OCOPStars > 5) {
		return Errorf(EINVALID, "ocop_stars must be 3, 4 or 5 (or null)")
	}
	if p.Description, err = cleanText("description", p.Description, 0, 5000); err != nil {
		return err
	}
	if p.Story, err = cleanText("story", p.Story, 0, 20000); err != nil {
		return err
	}
	if len(p.Certifications) > 20 {
		return Errorf(EINVALID, "at most 20 certifications")
	}
	certs := make([]string, 0, len(p.Certifications))
	for _, c := range p.Certifications {
		if c, err = cleanText("certification", c, 1, 200); err != nil {
			return err
		}
		certs = append(certs, c)
	}
	p.Certifications = certs
	if p.GTIN = strings.TrimSpace(p.GTIN); p.GTIN != "" {
		if p.GTIN, err = ParseGTIN(p.GTIN); err != nil {
			return err
		}
	}
	return nil
}

// ProductService manages products.
type ProductService interface {
	CreateProduct(ctx context.Context, p *Product) error
	FindProducts(ctx context.Context, facilityID int64) ([]*Product, error)
	// UpdateProduct replaces a product's details, in its facility (its id
	// and facility stay); ENOTFOUND for another facility's.
	UpdateProduct(ctx context.Context, p *Product) error
}
