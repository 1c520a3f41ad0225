package postgres_test

import (
	"context"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// services is every service on one fresh database, and the database for
// checking what they wrote.
type services struct {
	core.Services
	db  *postgres.DB
	url string
}

func newServices(t testing.TB) *services {
	t.Helper()
	return openServices(t, pgtest.NewURL(t))
}

func openServices(t testing.TB, url string) *services {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	// Registered after NewURL's drop, so it runs first.
	t.Cleanup(db.Close)
	return &services{Services: postgres.NewServices(db), db: db, url: url}
}

// process is another gateway process on the same database: its own pool,
// its own cached keys.
func (s *services) process(t testing.TB) *services {
	t.Helper()
	return openServices(t, s.url)
}

// producer is a facility with one product and one member.
type producer struct {
	facility *core.Facility
	product  *core.Product
	member   *core.Member
}

// newProducer creates a facility with a product HONEY and a member whose
// phone is phone.
func (s *services) newProducer(t testing.TB, name, phone string) producer {
	t.Helper()
	ctx := context.Background()
	f := &core.Facility{Name: name, Province: "Cà Mau"}
	if err := s.Facilities.CreateFacility(ctx, f); err != nil {
		t.Fatal(err)
	}
	stars := 4
	p := &core.Product{FacilityID: f.ID, Code: "HONEY", Name: "Mật ong rừng U Minh", OCOPStars: &stars,
		Certifications: []string{"VietGAP"}}
	if err := s.Products.CreateProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	urn, err := core.TelURN(phone)
	if err != nil {
		t.Fatal(err)
	}
	m := &core.Member{FacilityID: f.ID, Name: "Chị Lan", URNs: []core.URN{urn}}
	if err := s.Members.CreateMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	return producer{f, p, m}
}

// activate puts the producer's stamps from-to on lot.
func (s *services) activate(t testing.TB, p producer, lot *core.Lot, from, to int64) {
	t.Helper()
	if _, err := s.Stamps.Activate(context.Background(), p.member, lot.Code, core.SerialRange{From: from, To: to}); err != nil {
		t.Fatal(err)
	}
}

// openLot opens a lot of the producer's product.
func (s *services) openLot(t testing.TB, p producer) *core.Lot {
	t.Helper()
	lot, err := s.Lots.OpenLot(context.Background(), p.member, p.product.Code, "")
	if err != nil {
		t.Fatal(err)
	}
	return lot
}

// issue issues a batch of count stamps to the producer.
func (s *services) issue(t testing.TB, p producer, count int) *core.StampBatch {
	t.Helper()
	b, err := s.Stamps.IssueBatch(context.Background(), p.facility.ID, count, false)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// codeOf returns the code of the producer's stamp with serial.
func (s *services) codeOf(t testing.TB, p producer, serial int64) core.Code {
	t.Helper()
	var code core.Code
	err := s.db.Pool.QueryRow(context.Background(),
		`SELECT code FROM stamps WHERE facility_id = $1 AND serial = $2`, p.facility.ID, serial).Scan(&code)
	if err != nil {
		t.Fatalf("code of serial %d: %v", serial, err)
	}
	return code
}

// count runs a count query.
func (s *services) count(t testing.TB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := s.db.Pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// wantCode fails unless err carries the domain error code want.
func wantCode(t testing.TB, err error, want core.ErrorCode) {
	t.Helper()
	if got := core.ErrorCodeOf(err); got != want {
		t.Fatalf("error %v has code %q, want %q", err, got, want)
	}
}

// changeSymbol returns code with its i-th symbol changed: always mistyped.
func changeSymbol(code core.Code, i int) string {
	b := []byte(code)
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// storeInbound stores an inbound message as a message's arrival does, and
// says whether it was new.
func (s *services) storeInbound(ctx context.Context, m *core.Message) (bool, error) {
	a, err := s.Messages.Arrive(ctx, m, time.Minute, 1)
	if err != nil {
		return false, err
	}
	return a.Stored, nil
}
