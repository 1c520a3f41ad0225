package core

import (
	"context"
	"strings"
	"time"
)

// Facility is a producer: a cooperative, a family business, a processing
// plant. It owns products, members, lots and stamps.
type Facility struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Address   string    `json:"address"`
	Province  string    `json:"province"`
	Phone     string    `json:"phone"`         // E.164, or empty
	GLN       string    `json:"gln,omitempty"` // GS1 Global Location Number, or empty
	CreatedAt time.Time `json:"created_at"`
}

// Validate trims and checks the fields and normalises the phone number.
func (f *Facility) Validate() error {
	var err error
	if f.Name, err = cleanText("name", f.Name, 1, 200); err != nil {
		return err
	}
	if f.Address, err = cleanText("address", f.Address, 0, 500); err != nil {
		return err
	}
	if f.Province, err = cleanText("province", f.Province, 0, 100); err != nil {
		return err
	}
	if f.Phone != "" {
		if f.Phone, err = NormalizePhone(f.Phone); err != nil {
			return err
		}
	}
	if f.GLN = strings.TrimSpace(f.GLN); f.GLN != "" {
		if f.GLN, err = ParseGLN(f.GLN); err != nil {
			return err
		}
	}
	return nil
}

// FacilityService manages facilities.
type FacilityService interface {
	CreateFacility(ctx context.Context, f *Facility) error
	FindFacilities(ctx context.Context) ([]*Facility, error)
	FindFacilityByID(ctx context.Context, id int64) (*Facility, error)
	// UpdateFacility replaces a facility's details (not its id);
	// ENOTFOUND for no such facility.
	UpdateFacility(ctx context.Context, f *Facility) error
}
