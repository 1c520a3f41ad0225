package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"tracegate/core"
)

func TestStats(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 50)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 30)
	if _, err := s.Stamps.Void(ctx, a.member, core.SerialRange{From: 21, To: 40}); err != nil {
		t.Fatal(err)
	}
	for _, input := range []string{string(s.codeOf(t, a, 1)), string(unusedCode(t, s)), "nonsense"} {
		if _, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: input, Channel: "sms", Sender: "tel:+84977000001"}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := core.Stats{Facilities: 2, Products: 2, Members: 2, Lots: 1,
		StampsIssued: 50, StampsActivated: 20, StampsVoid: 20, Lookups: 3, UnknownCodes: 1}
	if st.ProductsByStars["4"] != 2 || len(st.ProductsByStars) != 1 {
		t.Fatalf("by stars %v", st.ProductsByStars)
	}
	st.ProductsByStars = nil
	if !reflect.DeepEqual(*st, want) {
		t.Fatalf("stats\n got %+v\nwant %+v", *st, want)
	}
}
