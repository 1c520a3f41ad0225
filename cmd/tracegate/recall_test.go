package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// The agency recalls a lot through the admin API: the lot and its notices
// (its members, AGENCY_URNS, whoever looked it up) commit together, as bulk
// sends; a second recall is 409, an unknown lot 404, no reason 400.
func TestAgencyRecall(t *testing.T) {
	gw, db, _ := gatewayOn(t, map[string]string{"AGENCY_URNS": "0911 000 000, tel:+84911000001"}, true)
	s := postgres.NewServices(db)
	seeded := pgtest.Seed{}.Plant(t, s)
	if _, err := s.Lookups.Lookup(context.Background(), core.LookupRequest{Input: string(seeded.Codes[0]), Channel: "twilio", Sender: "tel:+84977000001"}); err != nil {
		t.Fatal(err)
	}
	site, err := routes(config{AdminToken: "t"}, db, gw, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	recall := func(id int64, body string) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", fmt.Sprintf("/admin/api/lots/%d/recall", id), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		site.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := recall(seeded.Lot.ID, `{"reason":""}`); code != http.StatusBadRequest {
		t.Fatalf("a recall without reason: %d", code)
	}
	if code := recall(999999, `{"reason":"x"}`); code != http.StatusNotFound {
		t.Fatalf("a recall of no lot: %d", code)
	}
	if n := len(pgtest.Messages(t, db.Pool)); n != 0 {
		t.Fatalf("refused recalls queued %d messages", n)
	}
	if code := recall(seeded.Lot.ID, `{"reason":"nhiễm khuẩn"}`); code != http.StatusOK {
		t.Fatalf("the recall: %d", code)
	}
	if code := recall(seeded.Lot.ID, `{"reason":"again"}`); code != http.StatusConflict {
		t.Fatalf("a second recall: %d", code)
	}
	told := map[core.URN]bool{}
	for _, m := range pgtest.Messages(t, db.Pool) {
		if m.Kind != core.KindNotice || m.Priority != core.PriorityBulk || !strings.Contains(strings.ToUpper(core.Fold(m.Text)), "THU HOI") {
			t.Errorf("not a recall notice sent as bulk: %+v", m)
		}
		told[m.URN] = true
	}
	for _, urn := range []core.URN{"tel:+84912345678", "tel:+84911000000", "tel:+84911000001", "tel:+84977000001"} {
		if !told[urn] {
			t.Errorf("%s was not told of the recall: %v", urn, told)
		}
	}
	if lot, _ := s.Lots.FindLotByCode(context.Background(), seeded.Facility.ID, seeded.Lot.Code); lot.Status != core.LotRecalled {
		t.Fatalf("the lot is %s", lot.Status)
	}
}
