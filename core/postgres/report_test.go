package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tracegate/core"
)

func TestReport(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a := s.newProducer(t, "HTX A", "0912345678")
	s.issue(t, a, 3)
	lot := s.openLot(t, a)
	s.activate(t, a, lot, 1, 1)
	genuine, notOnLot := s.codeOf(t, a, 1), s.codeOf(t, a, 2)
	unknown := unusedCode(t, s)

	tests := []struct {
		name              string
		code, place       string
		want              core.ErrorCode
		facility          bool
		district, commune string
	}{
		{"a stamp, printed", genuine.Printed(), "chợ Phường 8", "", true, "TP Cà Mau", "Phường 8"},
		{"a stamp, lower case", strings.ToLower(string(genuine)), "tiem tap hoa o Song Doc", "", true, "Trần Văn Thời", "Sông Đốc"},
		{"a stamp on no lot", string(notOnLot), "chợ Năm Căn", "", true, "Năm Căn", ""},
		{"no stamp's code", string(unknown), "siêu thị Co.op", "", false, "", ""},
		{"a NUL in the place", string(genuine), "chợ\x00 Tắc Vân", "", true, "TP Cà Mau", "Tắc Vân"},
		{"mistyped", changeSymbol(genuine, 0), "chợ Phường 8", core.EINVALID, false, "", ""},
		{"not a code", "hello", "chợ Phường 8", core.EINVALID, false, "", ""},
		{"no place", string(genuine), "   ", core.EINVALID, false, "", ""},
		{"a place too long", string(genuine), strings.Repeat("ă", 501), core.EINVALID, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.count(t, `SELECT count(*) FROM fake_reports`)
			r := &core.FakeReport{Channel: "sms", Reporter: "tel:+84977000001", Place: tt.place}
			err := s.Reports.Report(ctx, tt.code, r)
			wantCode(t, err, tt.want)
			if tt.want != "" {
				if s.count(t, `SELECT count(*) FROM fake_reports`) != before {
					t.Fatal("a refused report was stored")
				}
				return
			}
			if r.ID == 0 || (r.FacilityID == a.facility.ID) != tt.facility || r.District != tt.district || r.Commune != tt.commune {
				t.Fatalf("stored %+v", r)
			}
			var place, masked string
			var district, commune *string
			var facility *int64
			var hash []byte
			err = s.db.Pool.QueryRow(ctx, `SELECT place, district, commune, facility_id, reporter_masked, reporter_hash FROM fake_reports WHERE id = $1`,
				r.ID).Scan(&place, &district, &commune, &facility, &masked, &hash)
			if err != nil {
				t.Fatal(err)
			}
			if place != strings.ReplaceAll(tt.place, "\x00", "") || masked != "+84 97x xxx 001" || (facility != nil) != tt.facility {
				t.Fatalf("row: %q %q facility %v", place, masked, facility)
			}
			if (district == nil) != (tt.district == "") || (commune == nil) != (tt.commune == "") {
				t.Fatalf("an unknown district or commune is not NULL: %v %v", district, commune)
			}
			if len(hash) != 16 || strings.Contains(string(hash), "977000001") {
				t.Fatalf("reporter stored as %x", hash)
			}
		})
	}
	if n := s.count(t, `SELECT count(DISTINCT reporter_hash) FROM fake_reports`); n != 1 {
		t.Fatalf("one reporter hashed %d ways", n)
	}
}

// newReport stores a report of code at place by reporter, made ago
// before now.
func (s *services) newReport(t testing.TB, code core.Code, place, reporter string, ago time.Duration) *core.FakeReport {
	t.Helper()
	r := &core.FakeReport{Channel: "sms", Reporter: core.URN(reporter), Place: place}
	if err := s.Reports.Report(context.Background(), string(code), r); err != nil {
		t.Fatal(err)
	}
	if ago > 0 {
		if _, err := s.db.Pool.Exec(context.Background(), `UPDATE fake_reports SET created_at = now() - make_interval(secs => $2) WHERE id = $1`,
			r.ID, ago.Seconds()); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestFindReports(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a, b := s.newProducer(t, "HTX A", "0912345678"), s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 2)
	s.issue(t, b, 2)
	ofA, ofB, unknown := s.codeOf(t, a, 1), s.codeOf(t, b, 1), unusedCode(t, s)
	s.newReport(t, ofA, "chợ Phường 8", "tel:+84977000001", 3*time.Hour)
	s.newReport(t, ofB, "chợ Năm Căn", "tel:+84977000002", 2*time.Hour)
	s.newReport(t, unknown, "Shopee", "telegram:123456789", time.Hour)
	s.newReport(t, ofA, "Sông Đốc", "zalo:8901234567", 0)

	tests := []struct {
		name     string
		facility int64
		limit    int
		places   []string
	}{
		{"all, newest first", 0, 10, []string{"Sông Đốc", "Shopee", "chợ Năm Căn", "chợ Phường 8"}},
		{"all, at most 2", 0, 2, []string{"Sông Đốc", "Shopee"}},
		{"facility A", a.facility.ID, 10, []string{"Sông Đốc", "chợ Phường 8"}},
		{"facility B", b.facility.ID, 10, []string{"chợ Năm Căn"}},
		{"a facility with none", b.facility.ID + 100, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reports, err := s.Reports.FindReports(ctx, tt.facility, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var places []string
			for _, r := range reports {
				places = append(places, r.Place)
				if tt.facility > 0 && r.FacilityID != tt.facility {
					t.Errorf("report %d of facility %d", r.ID, r.FacilityID)
				}
				if r.Masked == "" || r.Reporter != "" {
					t.Errorf("report %d: masked %q, reporter %q", r.ID, r.Masked, r.Reporter)
				}
			}
			if !slices.Equal(places, tt.places) {
				t.Fatalf("places %q, want %q", places, tt.places)
			}
		})
	}
	all, _ := s.Reports.FindReports(ctx, 0, 10)
	if all[0].District != "Trần Văn Thời" || all[0].Commune != "Sông Đốc" || all[1].FacilityID != 0 || all[0].Masked != "Zalo …567" {
		t.Fatalf("newest: %+v; unknown code's: %+v", all[0], all[1])
	}
}

func TestReportsByDistrict(t *testing.T) {
	s := newServices(t)
	ctx := context.Background()
	a, b := s.newProducer(t, "HTX A", "0912345678"), s.newProducer(t, "HTX B", "0987654321")
	s.issue(t, a, 5)
	s.issue(t, b, 5)
	codeA := func(n int64) core.Code { return s.codeOf(t, a, n) }
	unknown := unusedCode(t, s)
	reporter := 0
	report := func(code core.Code, place string, n int, ago time.Duration) {
		for range n {
			reporter++
			s.newReport(t, code, place, fmt.Sprintf("tel:+8497700%04d", reporter), ago)
		}
	}
	report(codeA(1), "chợ Phường 8", 5, time.Hour)
	report(codeA(2), "cho phuong 5", 2, 2*time.Hour)
	report(codeA(3), "chợ Tắc Vân", 3, 3*time.Hour)
	report(codeA(1), "chợ Năm Căn", 4, time.Hour)
	report(s.codeOf(t, b, 1), "tt Năm Căn", 2, time.Hour)
	report(unknown, "Sông Đốc", 1, time.Hour)
	for i := range 25 { // more unknown places than a row shows
		report(codeA(4), fmt.Sprintf("Shopee đơn %02d", i), 1, time.Duration(30+i)*time.Minute)
	}
	report(codeA(4), "Shopee đơn 00", 1, 10*time.Minute)   // the same text again, latest
	report(codeA(5), "chợ Phường 8", 50, 100*24*time.Hour) // before the window

	since := time.Now().Add(-core.ReportWindow)
	all, err := s.Reports.ReportsByDistrict(ctx, 0, since)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		district string
		count    int
		codes    []core.Code
	}
	want := []row{
		{"", 26, []core.Code{codeA(4)}},
		{"TP Cà Mau", 10, []core.Code{codeA(1), codeA(3), codeA(2)}},
		{"Năm Căn", 6, []core.Code{codeA(1), s.codeOf(t, b, 1)}},
		{"Trần Văn Thời", 1, []core.Code{unknown}},
	}
	if len(all) != len(want) {
		t.Fatalf("%d rows: %+v", len(all), all)
	}
	for i, w := range want {
		got := all[i]
		if got.District != w.district || got.Count != w.count || !slices.Equal(got.Codes, w.codes) {
			t.Errorf("row %d: %q %d %v, want %q %d %v", i, got.District, got.Count, got.Codes, w.district, w.count, w.codes)
		}
		if (w.district == "") != (len(got.Places) > 0) {
			t.Errorf("row %q has places %q", got.District, got.Places)
		}
	}
	places := all[0].Places
	if len(places) != 20 || places[0] != "Shopee đơn 00" || places[1] != "Shopee đơn 01" || slices.Contains(places, "Shopee đơn 24") {
		t.Errorf("unknown places, latest first, each once, at most 20: %q", places)
	}

	ofB, err := s.Reports.ReportsByDistrict(ctx, b.facility.ID, since)
	if err != nil {
		t.Fatal(err)
	}
	if len(ofB) != 1 || ofB[0].District != "Năm Căn" || ofB[0].Count != 2 {
		t.Errorf("facility B's: %+v", ofB)
	}
	old, err := s.Reports.ReportsByDistrict(ctx, a.facility.ID, time.Now().Add(-200*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if old[0].District != "TP Cà Mau" || old[0].Count != 60 || old[0].Codes[0] != codeA(5) {
		t.Errorf("a longer window: %+v", old[0])
	}
	none, err := s.Reports.ReportsByDistrict(ctx, 0, time.Now().Add(time.Hour))
	if err != nil || len(none) != 0 {
		t.Errorf("a window with no reports: %+v, %v", none, err)
	}
}
