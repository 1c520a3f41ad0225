package postgres_test

import (
	"context"
	"testing"

	"tracegate/core"
)

func TestOpenLot(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")

	// Codes run per facility.
	for i, want := range []string{"L1", "L2"} {
		lot, err := s.Lots.OpenLot(ctx, a.member, "honey", "vụ xuân")
		if err != nil {
			t.Fatal(err)
		}
		if lot.Code != want || lot.ProductName != a.product.Name || lot.Note != "vụ xuân" {
			t.Fatalf("lot %d = %+v", i, lot)
		}
	}
	if lot := s.openLot(t, b); lot.Code != "L1" {
		t.Fatalf("first lot of B is %s", lot.Code)
	}

	_, err := s.Lots.OpenLot(ctx, a.member, "NOPE", "")
	wantCode(t, err, core.ENOTFOUND)
	if n := s.count(t, `SELECT last_lot_number FROM facilities WHERE id = $1`, a.facility.ID); n != 2 {
		t.Fatalf("a refused lot moved the counter to %d", n)
	}

	lots, err := s.Lots.FindLots(ctx, a.facility.ID, 10)
	if err != nil || len(lots) != 2 || lots[0].Code != "L2" {
		t.Fatalf("FindLots = %v, %v", lots, err)
	}
	for _, typed := range []string{"L2", "l2", "2", " L2 "} {
		if lot, err := s.Lots.FindLotByCode(ctx, a.facility.ID, typed); err != nil || lot.Code != "L2" {
			t.Fatalf("FindLotByCode(%q) = %v, %v", typed, lot, err)
		}
	}
	// B has no L2: A's L2 is not B's to find.
	_, err = s.Lots.FindLotByCode(ctx, b.facility.ID, "L2")
	wantCode(t, err, core.ENOTFOUND)
	_, err = s.Lots.FindLotByCode(ctx, a.facility.ID, "LX")
	wantCode(t, err, core.EINVALID)
}
