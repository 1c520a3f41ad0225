package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

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

func TestDashboard(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, a, 20)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 12)
	cloned := s.codeOf(t, a, 1)
	for i := range s.db.Suspicion.MaxLookups + 1 {
		if _, err := s.Lookups.Lookup(ctx, core.LookupRequest{Input: string(cloned), Channel: "sms",
			Sender: core.URN(fmt.Sprintf("tel:+8497700%04d", i%4))}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Stats.Dashboard(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	days, weeks := d.LookupsPerDay, d.ActivationsPerWeek
	if len(days) != 30 || days[29].N != int64(s.db.Suspicion.MaxLookups+1) || days[0].N != 0 {
		t.Fatalf("lookups per day %+v", days)
	}
	if len(weeks) != 12 || weeks[11].N != 12 || weeks[11].Start.Weekday() != time.Monday {
		t.Fatalf("activations per week %+v", weeks)
	}
	if len(d.TopProducts) != 1 || d.TopProducts[0].Name != a.product.Name || d.TopProducts[0].N != int64(s.db.Suspicion.MaxLookups+1) {
		t.Fatalf("top products %+v", d.TopProducts)
	}
	if len(d.Flagged) != 1 || d.Flagged[0].Code != cloned || d.Flagged[0].Senders != 4 {
		t.Fatalf("flagged %+v", d.Flagged)
	}
	if d.StampsActivated != 12 {
		t.Fatalf("totals %+v", d.Stats)
	}
}
