package postgres_test

import (
	"context"
	"errors"
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

// A closed lot takes no more diary entries or activations, and is closed
// only by its own facility, once.
func TestCloseLot(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 20)
	lot, other := s.openLot(t, a), s.openLot(t, a)
	s.activate(t, a, lot, 1, 5)

	_, err := s.Lots.CloseLot(ctx, b.member, lot.Code)
	wantCode(t, err, core.ENOTFOUND)
	closed, err := s.Lots.CloseLot(ctx, a.member, "l1")
	if err != nil || closed.Status != core.LotClosed || closed.ClosedAt == nil || closed.Code != lot.Code {
		t.Fatalf("CloseLot = %+v, %v", closed, err)
	}
	_, err = s.Lots.CloseLot(ctx, a.member, lot.Code)
	wantReason(t, err, core.ReasonLotClosed)

	entry := &core.DiaryEntry{LotCode: lot.Code, Step: core.StepHarvest, Channel: "sms"}
	wantReason(t, s.Diary.RecordEntry(ctx, a.member, entry), core.ReasonLotClosed)
	_, err = s.Stamps.Activate(ctx, a.member, lot.Code, core.SerialRange{From: 6, To: 10})
	wantReason(t, err, core.ReasonLotClosed)
	if found, err := s.Lots.FindLotByCode(ctx, a.facility.ID, lot.Code); err != nil || found.Status != core.LotClosed {
		t.Fatalf("the lot reads as %+v, %v", found, err)
	}
	// Its stamps still answer; the other lot still works.
	if entries, _ := s.Diary.FindEntries(ctx, lot.ID); len(entries) != 0 {
		t.Fatalf("a closed lot took %d entries", len(entries))
	}
	if err := s.Diary.RecordEntry(ctx, a.member, &core.DiaryEntry{LotCode: other.Code, Step: core.StepHarvest, Channel: "sms"}); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Stamps.Activate(ctx, a.member, other.Code, core.SerialRange{From: 6, To: 10}); err != nil || res.Activated != 5 {
		t.Fatalf("the open lot's activation: %+v, %v", res, err)
	}
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) || e.Reason != reason {
		t.Fatalf("error %v, want a refusal for %s", err, reason)
	}
}
