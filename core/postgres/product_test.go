package postgres_test

import (
	"context"
	"strings"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

// A GTIN is optional, checked, stored as its digits, and names one product
// across every facility: GS1 gives each trade item one number.
func TestProductGTIN(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	tests := []struct {
		name     string
		facility int64
		code     string
		gtin     string
		want     core.ErrorCode
		stored   string
	}{
		{"GTIN-13", a.facility.ID, "NUOCMAM", "4006381333931", "", "4006381333931"},
		{"GTIN-12", a.facility.ID, "TOMKHO", "036000291452", "", "036000291452"},
		{"GTIN-8", a.facility.ID, "GAO", "96385074", "", "96385074"},
		{"GTIN-14", b.facility.ID, "MAMTOM", "80614141123458", "", "80614141123458"},
		{"spaces dropped", b.facility.ID, "CUA", "9 501101 020917", "", "9501101020917"},
		{"none", a.facility.ID, "KHO", "", "", ""},
		{"none again", a.facility.ID, "MUOI", "", "", ""},
		{"wrong check digit", a.facility.ID, "X1", "4006381333932", core.EINVALID, ""},
		{"eleven digits", a.facility.ID, "X2", "40063813339", core.EINVALID, ""},
		{"a dash", a.facility.ID, "X3", "4006381-333931", core.EINVALID, ""},
		{"all zeros", a.facility.ID, "X4", "00000000", core.EINVALID, ""},
		{"duplicate in the facility", a.facility.ID, "X5", "4006381333931", core.ECONFLICT, ""},
		{"duplicate in another facility", b.facility.ID, "X6", "4006381333931", core.ECONFLICT, ""},
		{"the GTIN-12 with a leading zero", b.facility.ID, "X7", "0036000291452", core.ECONFLICT, ""},
		{"the GTIN-8 as a GTIN-14", b.facility.ID, "X8", "00000096385074", core.ECONFLICT, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := pgtest.Digest(t, s.db.Pool, "products")
			p := core.Product{FacilityID: tt.facility, Code: tt.code, Name: tt.name, GTIN: tt.gtin}
			err := s.Products.CreateProduct(ctx, &p)
			wantCode(t, err, tt.want)
			if tt.want != "" {
				if !strings.Contains(err.Error(), "gtin") {
					t.Fatalf("the error %q does not name the gtin", err)
				}
				if pgtest.Digest(t, s.db.Pool, "products") != before {
					t.Fatal("a refused product was written")
				}
				return
			}
			if p.GTIN != tt.stored {
				t.Fatalf("answered gtin %q, want %q", p.GTIN, tt.stored)
			}
		})
	}

	stored := map[string]string{}
	for _, f := range []int64{a.facility.ID, b.facility.ID} {
		products, err := s.Products.FindProducts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range products {
			stored[p.Code] = p.GTIN
		}
	}
	for _, tt := range tests {
		if got, ok := stored[core.NormalizeProductCode(tt.code)]; tt.want == "" && (!ok || got != tt.stored) {
			t.Errorf("%s reads back with gtin %q, want %q", tt.code, got, tt.stored)
		}
	}
	if len(stored) != 8 {
		t.Errorf("stored products %v, want 7 and HONEY", stored)
	}
}
