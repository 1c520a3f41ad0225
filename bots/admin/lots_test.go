package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"tracegate/core"
	"tracegate/core/postgres"
)

// lotsFixture is facility A with three lots, L2 of them closed, facility B
// with a lot of its own and facility C with none.
type lotsFixture struct {
	a, b, c        int64
	honey, shrimp  int64
	l1, l2, l3, b1 *core.Lot
}

func newLotsFixture(t *testing.T, a *api) lotsFixture {
	t.Helper()
	var fx lotsFixture
	fx.a = a.create("/admin/api/facilities", `{"name":"HTX A"}`)
	fx.b = a.create("/admin/api/facilities", `{"name":"HTX B"}`)
	fx.c = a.create("/admin/api/facilities", `{"name":"HTX C"}`)
	fx.honey = a.create("/admin/api/products", `{"facility_id":`+itoa(fx.a)+`,"code":"MATONG","name":"Mật ong"}`)
	fx.shrimp = a.create("/admin/api/products", `{"facility_id":`+itoa(fx.a)+`,"code":"TOM","name":"Tôm khô"}`)
	a.create("/admin/api/products", `{"facility_id":`+itoa(fx.b)+`,"code":"GAO","name":"Gạo"}`)
	a.create("/admin/api/members", `{"facility_id":`+itoa(fx.a)+`,"name":"Chị Lan","phone":"0912345678"}`)
	a.create("/admin/api/members", `{"facility_id":`+itoa(fx.b)+`,"name":"Anh Tư","phone":"0987654321"}`)

	ctx := context.Background()
	members, lots := postgres.NewMemberService(a.db), postgres.NewLotService(a.db)
	memberOf := func(urn core.URN) *core.Member {
		m, err := members.FindMemberByURN(ctx, urn)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	open := func(m *core.Member, product string) *core.Lot {
		lot, err := lots.OpenLot(ctx, m, product, "")
		if err != nil {
			t.Fatal(err)
		}
		return lot
	}
	lan, tu := memberOf("tel:+84912345678"), memberOf("tel:+84987654321")
	fx.l1, fx.l2, fx.l3 = open(lan, "MATONG"), open(lan, "TOM"), open(lan, "MATONG")
	fx.b1 = open(tu, "GAO")
	if _, err := lots.CloseLot(ctx, lan, fx.l2.Code); err != nil {
		t.Fatal(err)
	}
	return fx
}

func TestListLots(t *testing.T) {
	a := newAPI(t)
	fx := newLotsFixture(t, a)

	tests := []struct {
		name, query string
		codes       []string // in the order answered
	}{
		{"open first, newest first", "facility_id=" + itoa(fx.a), []string{"L3", "L1", "L2"}},
		{"limited", "facility_id=" + itoa(fx.a) + "&limit=2", []string{"L3", "L1"}},
		{"the largest limit", "facility_id=" + itoa(fx.a) + "&limit=1000", []string{"L3", "L1", "L2"}},
		{"only the facility's own", "facility_id=" + itoa(fx.b), []string{"L1"}},
		{"none yet", "facility_id=" + itoa(fx.c), []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lots := a.lots(tt.query)
			codes := []string{}
			for _, l := range lots {
				codes = append(codes, l["code"].(string))
			}
			if strings.Join(codes, ",") != strings.Join(tt.codes, ",") {
				t.Fatalf("lots %v, want %v", codes, tt.codes)
			}
		})
	}

	byCode := map[string]map[string]any{}
	for _, l := range a.lots("facility_id=" + itoa(fx.a)) {
		byCode[l["code"].(string)] = l
	}
	for _, want := range []struct {
		lot       *core.Lot
		product   int64
		code      string
		status    core.LotStatus
		hasClosed bool
	}{
		{fx.l1, fx.honey, "MATONG", core.LotOpen, false},
		{fx.l2, fx.shrimp, "TOM", core.LotClosed, true},
		{fx.l3, fx.honey, "MATONG", core.LotOpen, false},
	} {
		got := byCode[want.lot.Code]
		if got["id"] != float64(want.lot.ID) || got["product_id"] != float64(want.product) ||
			got["product_code"] != want.code || got["status"] != string(want.status) {
			t.Errorf("%s answered %v", want.lot.Code, got)
		}
		if opened, err := time.Parse(time.RFC3339Nano, got["opened_at"].(string)); err != nil ||
			!opened.Equal(want.lot.OpenedAt) {
			t.Errorf("%s opened_at %v, want %v", want.lot.Code, got["opened_at"], want.lot.OpenedAt)
		}
		if _, ok := got["closed_at"].(string); ok != want.hasClosed {
			t.Errorf("%s closed_at %v, want one: %v", want.lot.Code, got["closed_at"], want.hasClosed)
		}
	}
}

func TestListLotsRefusals(t *testing.T) {
	a := newAPI(t)
	fx := newLotsFixture(t, a)
	fid := itoa(fx.a)
	tests := []struct {
		name, query string
		status      int
	}{
		{"no facility_id", "", 400},
		{"empty facility_id", "facility_id=", 400},
		{"facility_id not a number", "facility_id=abc", 400},
		{"facility_id zero", "facility_id=0", 400},
		{"facility_id negative", "facility_id=-1", 400},
		{"facility_id too large", "facility_id=99999999999999999999", 400},
		{"unknown facility", "facility_id=999", 404},
		{"limit zero", "facility_id=" + fid + "&limit=0", 400},
		{"limit over 1000", "facility_id=" + fid + "&limit=1001", 400},
		{"limit not a number", "facility_id=" + fid + "&limit=all", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := a.state("lots")
			status, out := a.call("GET", "/admin/api/lots?"+tt.query, "")
			if status != tt.status || out["error"] == nil || out["error"] == "" {
				t.Fatalf("%d %v, want %d with an error", status, out, tt.status)
			}
			if a.state("lots") != before {
				t.Fatal("a refused call changed the lots")
			}
		})
	}
	if status, _ := a.callRaw("GET", "/admin/api/lots?facility_id="+fid, "", ""); status != http.StatusUnauthorized {
		t.Fatalf("lots without token: %d", status)
	}
}

// lots lists the lots of ?query, failing unless 200 with a JSON list.
func (a *api) lots(query string) []map[string]any {
	a.t.Helper()
	status, raw := a.callRaw("GET", "/admin/api/lots?"+query, "", "Bearer "+token)
	var lots []map[string]any
	if err := json.Unmarshal([]byte(raw), &lots); err != nil || status != http.StatusOK || lots == nil {
		a.t.Fatalf("GET lots?%s: %d %s", query, status, raw)
	}
	return lots
}
