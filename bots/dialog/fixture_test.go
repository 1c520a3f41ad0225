package dialog_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a facility with a lot, a diary and stamps, and the codes the
// transcripts refer to by name.
type world struct {
	dialog *dialog.Dialog
	db     *postgres.DB
	codes  map[string]string // {{name}} -> code as stored
	link   string            // {{link}}: the linking code LIENKET gave last
	pins   map[string]string // {{name.pin}} -> a stamp's hidden PIN, typed in inputs only
}

const (
	farmerPhone = "0912345678"
	coworkerTel = "tel:+84913000111"
	otherFarmer = "0987654321"
	consumerTel = "tel:+84977000001"
	agencyTel   = "tel:+84911000000" // the province's OCOP officer
	baseURL     = "https://truyxuat.example.vn"
)

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	db := postgres.New(pgtest.New(t))
	s := postgres.NewServices(db)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	stars := 4
	honey := &core.Facility{Name: "HTX Mật ong rừng U Minh Hạ", Province: "Cà Mau"}
	must(s.Facilities.CreateFacility(ctx, honey))
	must(s.Products.CreateProduct(ctx, &core.Product{FacilityID: honey.ID, Code: "MATONG",
		Name: "Mật ong rừng U Minh Hạ", OCOPStars: &stars, Certifications: []string{"VietGAP"}}))
	must(s.Products.CreateProduct(ctx, &core.Product{FacilityID: honey.ID, Code: "SAPONG", Name: "Sáp ong"}))
	farmer := &core.Member{FacilityID: honey.ID, Name: "Chị Lan", URNs: []core.URN{"tel:+84912345678"}}
	must(s.Members.CreateMember(ctx, farmer))
	must(s.Members.CreateMember(ctx, &core.Member{FacilityID: honey.ID, Name: "Anh Ba", Lang: core.LangEN,
		URNs: []core.URN{coworkerTel}}))

	shrimp := &core.Facility{Name: "Cơ sở Tôm khô Rạch Gốc", Province: "Cà Mau"}
	must(s.Facilities.CreateFacility(ctx, shrimp))
	must(s.Products.CreateProduct(ctx, &core.Product{FacilityID: shrimp.ID, Code: "TOMKHO", Name: "Tôm khô"}))
	must(s.Members.CreateMember(ctx, &core.Member{FacilityID: shrimp.ID, Name: "Anh Sáu", URNs: []core.URN{"tel:+84987654321"}}))

	_, err := s.Stamps.IssueBatch(ctx, honey.ID, 100, false)
	must(err)
	_, err = s.Stamps.IssueBatch(ctx, shrimp.ID, 10, false)
	must(err)
	lot, err := s.Lots.OpenLot(ctx, farmer, "MATONG", "vụ xuân")
	must(err)
	for _, e := range []*core.DiaryEntry{
		{Step: core.StepHarvest, HappenedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC), Quantity: &core.Quantity{Value: "185.5", Unit: "kg"}},
		{Step: core.StepPack, HappenedAt: time.Date(2026, 3, 6, 1, 0, 0, 0, time.UTC)},
	} {
		e.LotCode, e.Channel = lot.Code, "sms"
		must(s.Diary.RecordEntry(ctx, farmer, e))
	}
	_, err = s.Stamps.Activate(ctx, farmer, lot.Code, core.SerialRange{From: 1, To: 50})
	must(err)
	_, err = s.Stamps.Void(ctx, farmer, core.SerialRange{From: 50, To: 50})
	must(err)
	// Serials 101-110 carry hidden PINs.
	_, err = s.Stamps.IssueBatch(ctx, honey.ID, 10, true)
	must(err)
	_, err = s.Stamps.Activate(ctx, farmer, lot.Code, core.SerialRange{From: 101, To: 110})
	must(err)

	w := &world{db: db, codes: map[string]string{}, pins: map[string]string{}}
	w.dialog = &dialog.Dialog{Services: s, BaseURL: baseURL, DefaultLang: core.LangVI, Agency: []core.URN{agencyTel}}
	for name, serial := range map[string]int64{"genuine": 1, "genuine2": 2, "genuine3": 3, "void": 50, "notActivated": 80} {
		stamps, err := s.Stamps.FindStamps(ctx, honey.ID, core.SerialRange{From: serial, To: serial})
		must(err)
		w.codes[name] = string(stamps[0].Code)
	}
	for name, serial := range map[string]int64{"pinned": 101, "pinned2": 102} {
		stamps, err := s.Stamps.FindStamps(ctx, honey.ID, core.SerialRange{From: serial, To: serial})
		must(err)
		w.codes[name], w.pins[name+".pin"] = string(stamps[0].Code), stamps[0].PIN
		w.pins[name+".wrongpin"] = fmt.Sprintf("%06d", (mustAtoi(stamps[0].PIN)+1)%1_000_000)
	}
	shrimp1, err := s.Stamps.FindStamps(ctx, shrimp.ID, core.SerialRange{From: 1, To: 1})
	must(err)
	w.codes["shrimp1"] = string(shrimp1[0].Code)
	w.codes["unknown"] = string(w.unusedCode(t))
	w.codes["mistyped"] = mistype(w.codes["genuine"])
	return w
}

// unusedCode draws a valid code no stamp has.
func (w *world) unusedCode(t testing.TB) core.Code {
	for {
		c, err := core.NewCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !pgtest.CodeTaken(t, w.db.Pool, c) {
			return c
		}
	}
}

// mistype changes the last symbol: the check symbol catches it.
func mistype(code string) string {
	b := []byte(code)
	if b[8] == '7' {
		b[8] = '3'
	} else {
		b[8] = '7'
	}
	return string(b)
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
