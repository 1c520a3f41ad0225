package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"tracegate/core"
)

// A recalled lot's stamps answer recalled first, and those who looked at
// them or gave feedback (and can be written to) are the audience.
func TestRecall(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 10)
	lot, other := s.openLot(t, a), s.openLot(t, a)
	s.activate(t, a, lot, 1, 5)
	s.activate(t, a, other, 6, 10)
	code, otherCode := string(s.codeOf(t, a, 2)), string(s.codeOf(t, a, 7))
	for _, sender := range []core.URN{"tel:+84977000001", "telegram:4242", "web:203.0.113.9"} {
		if _, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: code, Channel: "sms", Sender: sender}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: otherCode, Channel: "sms", Sender: "tel:+84977000009"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Feedback.GiveFeedback(ctx, code, &core.Feedback{Channel: "sms", URN: "tel:+84977000002", Body: "lạ"}); err != nil {
		t.Fatal(err)
	}

	_, err := s.Lots.RecallLot(ctx, b.member, lot.Code, "nhiễm khuẩn")
	wantCode(t, err, core.ENOTFOUND) // B has no lot: A's L1 is not B's to recall
	recalled, err := s.Lots.RecallLot(ctx, a.member, lot.Code, "nhiễm khuẩn")
	if err != nil || recalled.Status != core.LotRecalled || recalled.RecalledAt == nil || recalled.ClosedAt == nil || recalled.RecallReason != "nhiễm khuẩn" {
		t.Fatalf("RecallLot = %+v, %v", recalled, err)
	}
	_, err = s.Lots.RecallLotByID(ctx, lot.ID, "again")
	wantReason(t, err, core.ReasonLotRecalled)
	if _, err := s.Lots.RecallLotByID(ctx, 999999, "x"); core.ErrorCodeOf(err) != core.ENOTFOUND {
		t.Fatalf("recall of no lot: %v", err)
	}

	for input, want := range map[string]core.Verdict{code: core.VerdictRecalled, otherCode: core.VerdictGenuine} {
		p, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: input, Channel: "sms", Sender: "tel:+84977000003"})
		if err != nil || p.Verdict != want {
			t.Fatalf("lookup of %s after the recall: %+v, %v; want %s", input, p, err, want)
		}
	}
	audience, err := s.Lots.RecallAudience(ctx, lot.ID)
	want := []core.URN{"tel:+84977000001", "tel:+84977000002", "tel:+84977000003", "telegram:4242"}
	if err != nil || !slices.Equal(audience, want) {
		t.Fatalf("audience %v, %v; want %v", audience, err, want)
	}
	wantReason(t, s.Diary.RecordEntry(ctx, a.member, &core.DiaryEntry{LotCode: lot.Code, Step: core.StepPack, Channel: "sms"}), core.ReasonLotClosed)
}

// Two processes recalling one lot at once, and two taking one shipment:
// one of each wins, the other is refused, nothing is done twice.
func TestRecallAndTakeShipmentRaceOnce(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	b := s.newProducer(t, "HTX B", "0987654321")
	lot, buyerLot := s.openLot(t, a), s.openLot(t, b)
	sh := &core.Shipment{LotCode: lot.Code, Quantity: core.Quantity{Value: "5", Unit: "kg"}, BuyerName: "HTX B", Channel: "sms"}
	if err := s.Chain.RecordShipment(ctx, a.member, sh); err != nil || sh.BuyerFacilityID == nil {
		t.Fatalf("shipment %+v, %v", sh, err)
	}
	race := func(do func() error) (won, refused int) {
		errs := make(chan error, 2)
		for range 2 {
			go func() { errs <- do() }()
		}
		for range 2 {
			var e *core.Error
			switch err := <-errs; {
			case err == nil:
				won++
			case errors.As(err, &e) && e.Reason != "":
				refused++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		return won, refused
	}
	if won, refused := race(func() error { _, err := s.Lots.RecallLotByID(ctx, lot.ID, "x"); return err }); won != 1 || refused != 1 {
		t.Fatalf("two recalls: %d won, %d refused", won, refused)
	}
	take := func() error {
		return s.Chain.TakeShipment(ctx, b.member, &core.Input{LotCode: buyerLot.Code, ShipmentID: &sh.ID, Channel: "sms"})
	}
	if won, refused := race(take); won != 1 || refused != 1 {
		t.Fatalf("two takes of one shipment: %d won, %d refused", won, refused)
	}
	if inputs, _ := s.Chain.FindInputs(ctx, buyerLot.ID); len(inputs) != 1 {
		t.Fatalf("the shipment became %d inputs", len(inputs))
	}
}
