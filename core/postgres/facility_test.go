package postgres_test

import (
	"context"
	"strings"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

func TestCreateFacility(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	tests := []struct {
		name string
		in   core.Facility
		want core.ErrorCode
	}{
		{"valid", core.Facility{Name: " HTX Mật ong U Minh ", Province: "Cà Mau", Phone: "0290 3836 123"}, ""},
		{"no name", core.Facility{Name: "  "}, core.EINVALID},
		{"long name", core.Facility{Name: strings.Repeat("a", 201)}, core.EINVALID},
		{"bad phone", core.Facility{Name: "X", Phone: "12"}, core.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.count(t, `SELECT count(*) FROM facilities`)
			f := tt.in
			err := s.Facilities.CreateFacility(ctx, &f)
			if core.ErrorCodeOf(err) != tt.want {
				t.Fatalf("err = %v, want code %q", err, tt.want)
			}
			after := s.count(t, `SELECT count(*) FROM facilities`)
			if tt.want != "" {
				if after != before {
					t.Fatalf("a refused facility was written")
				}
				return
			}
			got, err := s.Facilities.FindFacilityByID(ctx, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "HTX Mật ong U Minh" || got.Phone != "+842903836123" {
				t.Fatalf("stored %+v", got)
			}
		})
	}
	if _, err := s.Facilities.FindFacilityByID(ctx, 999999); core.ErrorCodeOf(err) != core.ENOTFOUND {
		t.Fatalf("missing facility: %v", err)
	}
}

func TestCreateProduct(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX Tôm khô Rạch Gốc", "0912345678")
	five, two := 5, 2
	tests := []struct {
		name string
		in   core.Product
		want core.ErrorCode
	}{
		{"valid, code folded", core.Product{FacilityID: p.facility.ID, Code: "tôm khô", Name: "Tôm khô", OCOPStars: &five}, ""},
		{"unrated", core.Product{FacilityID: p.facility.ID, Code: "MAM", Name: "Mắm tôm"}, ""},
		{"duplicate code", core.Product{FacilityID: p.facility.ID, Code: "HONEY", Name: "again"}, core.ECONFLICT},
		{"two stars", core.Product{FacilityID: p.facility.ID, Code: "X2", Name: "x", OCOPStars: &two}, core.EINVALID},
		{"bad code", core.Product{FacilityID: p.facility.ID, Code: "A", Name: "x"}, core.EINVALID},
		{"no facility", core.Product{FacilityID: 424242, Code: "XX", Name: "x"}, core.ENOTFOUND},
		{"empty certification", core.Product{FacilityID: p.facility.ID, Code: "YY", Name: "x", Certifications: []string{""}}, core.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.count(t, `SELECT count(*) FROM products`)
			prod := tt.in
			err := s.Products.CreateProduct(ctx, &prod)
			wantCode(t, err, tt.want)
			if tt.want != "" && s.count(t, `SELECT count(*) FROM products`) != before {
				t.Fatal("a refused product was written")
			}
		})
	}
	products, err := s.Products.FindProducts(ctx, p.facility.ID)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, prod := range products {
		codes = append(codes, prod.Code)
	}
	if strings.Join(codes, ",") != "HONEY,MAM,TOMKHO" {
		t.Fatalf("products = %v", codes)
	}
}

func TestCreateMember(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	other := s.newProducer(t, "HTX B", "0987654321")

	tel, _ := core.TelURN("84 913 000 111")
	tg, _ := core.TelegramURN(777)
	m := &core.Member{FacilityID: p.facility.ID, Name: "Anh Tư", Lang: core.LangEN, URNs: []core.URN{tel, tg}}
	if err := s.Members.CreateMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	for _, urn := range []core.URN{tel, tg} {
		got, err := s.Members.FindMemberByURN(ctx, urn)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != m.ID || got.Lang != core.LangEN || len(got.URNs) != 2 {
			t.Fatalf("by %s found %+v", urn, got)
		}
	}

	// A number already held by another facility's member is refused whole:
	// the member is not created either.
	taken, _ := core.TelURN("0987 654 321")
	before := s.count(t, `SELECT count(*) FROM members`)
	err := s.Members.CreateMember(ctx, &core.Member{FacilityID: p.facility.ID, Name: "X", URNs: []core.URN{taken}})
	wantCode(t, err, core.ECONFLICT)
	if s.count(t, `SELECT count(*) FROM members`) != before {
		t.Fatal("member written although its number was taken")
	}
	if got, _ := s.Members.FindMemberByURN(ctx, taken); got.ID != other.member.ID {
		t.Fatal("the number changed hands")
	}

	wantCode(t, s.Members.CreateMember(ctx, &core.Member{FacilityID: p.facility.ID, Name: "X"}), core.EINVALID)
	wantCode(t, s.Members.CreateMember(ctx, &core.Member{FacilityID: p.facility.ID, Name: "X", Lang: "fr", URNs: []core.URN{"tel:+84913000222"}}), core.EINVALID)
	wantCode(t, s.Members.CreateMember(ctx, &core.Member{FacilityID: 99999, Name: "X", URNs: []core.URN{"tel:+84913000222"}}), core.ENOTFOUND)

	_, err = s.Members.FindMemberByURN(ctx, "tel:+84900000000")
	wantCode(t, err, core.ENOTFOUND)
}

func TestAddURN(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	tg := core.URN("telegram:5551234")
	if err := s.Members.AddURN(ctx, a.member.ID, tg); err != nil {
		t.Fatal(err)
	}
	if err := s.Members.AddURN(ctx, a.member.ID, tg); err != nil {
		t.Fatalf("linking twice: %v", err)
	}
	wantCode(t, s.Members.AddURN(ctx, b.member.ID, tg), core.ECONFLICT)
	wantCode(t, s.Members.AddURN(ctx, 999999, "telegram:1"), core.ENOTFOUND)
	if m, err := s.Members.FindMemberByURN(ctx, tg); err != nil || m.ID != a.member.ID {
		t.Fatalf("telegram account belongs to %v, %v", m, err)
	}
}

// A GLN is optional, checked, stored as its digits and names one facility.
func TestFacilityGLN(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	tests := []struct {
		name, gln string
		want      core.ErrorCode
		stored    string
	}{
		{"GS1's example GLN", "0614141000005", "", "0614141000005"},
		{"spaces dropped", " 0614141 12345 2 ", "", "0614141123452"},
		{"none", "", "", ""},
		{"none again: no GLN is no clash", "", "", ""},
		{"blank is none", "   ", "", ""},
		{"wrong check digit", "0614141000006", core.EINVALID, ""},
		{"a GTIN-8 is no GLN", "96385074", core.EINVALID, ""},
		{"letters", "061414100000A", core.EINVALID, ""},
		{"all zeros", "0000000000000", core.EINVALID, ""},
		{"duplicate", "0614141000005", core.ECONFLICT, ""},
		{"duplicate typed with spaces", "0614141 000005", core.ECONFLICT, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := pgtest.Digest(t, s.db.Pool, "facilities")
			f := core.Facility{Name: "HTX " + tt.name, GLN: tt.gln}
			err := s.Facilities.CreateFacility(ctx, &f)
			wantCode(t, err, tt.want)
			if tt.want != "" {
				if !strings.Contains(err.Error(), "gln") {
					t.Fatalf("the error %q does not name the gln", err)
				}
				if pgtest.Digest(t, s.db.Pool, "facilities") != before {
					t.Fatal("a refused facility was written")
				}
				return
			}
			got, err := s.Facilities.FindFacilityByID(ctx, f.ID)
			if err != nil || got.GLN != tt.stored || f.GLN != tt.stored {
				t.Fatalf("stored gln %+v, %v; answered %q; want %q", got, err, f.GLN, tt.stored)
			}
		})
	}
	all, err := s.Facilities.FindFacilities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var glns []string
	for _, f := range all {
		glns = append(glns, f.GLN)
	}
	if strings.Join(glns, ",") != "0614141000005,0614141123452,,," {
		t.Fatalf("listed glns %q", glns)
	}
}

// The schema refuses a bad GS1 key even from a writer that skips core's
// checks: a scanner would reject it, so no one may store it.
func TestGS1KeysCheckedByTheSchema(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	p := s.newProducer(t, "HTX A", "0912345678")
	fid := p.facility.ID
	tests := []struct {
		name, sql string
		args      []any
		ok        bool
	}{
		{"good gln", `INSERT INTO facilities (name, gln) VALUES ('X', $1)`, []any{"0614141123452"}, true},
		{"gln check digit", `INSERT INTO facilities (name, gln) VALUES ('X', $1)`, []any{"0614141123453"}, false},
		{"gln length", `INSERT INTO facilities (name, gln) VALUES ('X', $1)`, []any{"96385074"}, false},
		{"gln zeros", `INSERT INTO facilities (name, gln) VALUES ('X', $1)`, []any{"0000000000000"}, false},
		{"gln letters", `INSERT INTO facilities (name, gln) VALUES ('X', $1)`, []any{"06141411234x2"}, false},
		{"good gtin-8", `INSERT INTO products (facility_id, code, name, gtin) VALUES ($1, 'G8', 'x', $2)`, []any{fid, "96385074"}, true},
		{"good gtin-14", `INSERT INTO products (facility_id, code, name, gtin) VALUES ($1, 'G14', 'x', $2)`, []any{fid, "80614141123458"}, true},
		{"gtin check digit", `INSERT INTO products (facility_id, code, name, gtin) VALUES ($1, 'X1', 'x', $2)`, []any{fid, "4006381333932"}, false},
		{"gtin of 11 digits", `INSERT INTO products (facility_id, code, name, gtin) VALUES ($1, 'X2', 'x', $2)`, []any{fid, "40063813339"}, false},
		{"gtin spaced", `INSERT INTO products (facility_id, code, name, gtin) VALUES ($1, 'X3', 'x', $2)`, []any{fid, "4006381 333931"}, false},
		{"gtin-8 again as 14 digits", `INSERT INTO products (facility_id, code, name, gtin) VALUES ($1, 'X4', 'x', $2)`, []any{fid, "00000096385074"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.db.Pool.Exec(ctx, tt.sql, tt.args...)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
