package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tracegate/bots/channel/channeltest"
	"tracegate/bots/web"
	"tracegate/core"
)

// The page's "where bought" form stores a report as a BAO by the web
// channel and queues the producer's notice; an empty or long place is
// refused, a client sends at most 5 an hour on any codes, and a code
// that is no stamp's is reported from its "not found" page.
func TestReportForm(t *testing.T) {
	// Shoppers come through the deployment's proxy, on loopback here.
	s := newSite(t, func(h *web.Handler) { h.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	ctx := context.Background()
	codes := s.Seeded.Codes
	unknown := unusedCode(t, s)
	post := func(client string, code core.Code, place string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", s.srv.URL+"/t/"+string(code)+"/report", strings.NewReader(url.Values{"place": {place}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}

	_, page := s.get(t, "/t/"+string(codes[0]))
	if !strings.Contains(page, `action="/t/`+string(codes[0])+`/report"`) || !strings.Contains(page, "Báo hàng giả: nơi mua") {
		t.Fatal("the stamp's page has no report form")
	}
	if _, page := s.get(t, "/t/"+string(unknown)); !strings.Contains(page, `action="/t/`+string(unknown)+`/report"`) {
		t.Fatal("an unknown code's page has no report form")
	}
	if _, page := s.get(t, "/t/"+mistype(codes[0])); strings.Contains(page, "/report") {
		t.Fatal("a mistyped code's page offers to report it")
	}

	tests := []struct {
		name   string
		client string
		code   core.Code
		place  string
		status int
	}{
		{"a stamp", "203.0.113.1", codes[0], "tạp hóa Tư Hùng, chợ Phường 8", 200},
		{"no stamp's code", "203.0.113.1", unknown, "mua trên Shopee", 200},
		{"no place", "203.0.113.1", codes[0], "   ", 400},
		{"a place too long", "203.0.113.1", codes[0], strings.Repeat("ă", 501), 400},
		{"a NUL", "203.0.113.1", codes[1], "chợ Năm Căn\x00", 200},
		{"fourth", "203.0.113.1", codes[2], "Sông Đốc", 200},
		{"fifth", "203.0.113.1", codes[3], "<b>Rạch Gốc</b>", 200},
		{"sixth in the hour", "203.0.113.1", codes[4], "Cái Nước", 429},
		{"another client", "203.0.113.2", codes[4], "chợ Cái Nước", 200},
	}
	for _, tt := range tests {
		status, body := post(tt.client, tt.code, tt.place)
		if status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, status, tt.status)
		}
		if status == 200 && !strings.Contains(body, "Cảm ơn Quý khách đã báo") {
			t.Errorf("%s: no thanks", tt.name)
		}
	}
	reports, err := s.Services.Reports.FindReports(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 6 {
		t.Fatalf("%d reports stored, want 6", len(reports))
	}
	byPlace := map[string]*core.FakeReport{}
	for _, r := range reports {
		byPlace[r.Place] = r
		if r.Channel != "web" || r.Masked != "web:…" {
			t.Errorf("report %q by %s as %q", r.Place, r.Channel, r.Masked)
		}
	}
	first := byPlace["tạp hóa Tư Hùng, chợ Phường 8"]
	if first == nil || first.FacilityID != s.Seeded.Facility.ID || first.District != "TP Cà Mau" || first.Commune != "Phường 8" {
		t.Fatalf("the stamp's report: %+v", first)
	}
	if r := byPlace["mua trên Shopee"]; r == nil || r.FacilityID != 0 || r.Code != unknown {
		t.Fatalf("the unknown code's report: %+v", r)
	}
	if byPlace["chợ Năm Căn"] == nil || byPlace["<b>Rạch Gốc</b>"] == nil {
		t.Fatal("a place was not stored as written, without its NUL")
	}
	farmer := core.URN("tel:+84912345678")
	notices := channeltest.Count(s.OutboundOf(t, farmer), isNotice)
	if notices != 5 { // the five reports of the cooperative's stamps
		t.Fatalf("%d notices to the producer, want 5", notices)
	}
	told := func(m *core.Message) bool {
		return isNotice(m) && strings.Contains(m.Text, "khách trên trang web") && strings.Contains(m.Text, "Phường 8, TP Cà Mau")
	}
	if channeltest.Count(s.OutboundOf(t, farmer), told) != 1 {
		t.Fatal("the producer's notice does not say where, or who")
	}
	if res, _ := http.PostForm(s.srv.URL+"/t/nope/report", url.Values{"place": {"x"}}); res.StatusCode != 404 {
		t.Fatalf("a report on a bad code: %d", res.StatusCode)
	}
}

// unusedCode draws a valid code no stamp of the site has.
func unusedCode(t testing.TB, s *site) core.Code {
	t.Helper()
	taken := map[core.Code]bool{}
	for _, c := range s.Seeded.Codes {
		taken[c] = true
	}
	for {
		c, err := core.NewCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !taken[c] {
			return c
		}
	}
}

// The dashboard counts 300 reports by district, most reported first:
// everyone sees the districts and counts, the agency the codes, most
// reported first, and the places no list knows, as written.
func TestDashboardReports(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	codes := s.Seeded.Codes
	want := []struct {
		district string
		places   []string // written as buyers would
		count    int
	}{
		{"TP Cà Mau", []string{"chợ Phường 8", "cho phuong 5", "tạp hóa ở Tắc Vân", "Co.opmart Cà Mau"}, 90},
		{"Năm Căn", []string{"chợ Năm Căn", "tt nam can", "Hàm Rồng"}, 70},
		{"Trần Văn Thời", []string{"tiem tap hoa o Song Doc", "Khánh Bình Tây"}, 50},
		{"Đầm Dơi", []string{"chợ Đầm Dơi", "Tân Thuận"}, 40},
		{"Cái Nước", []string{"Cái Nước", "chợ Hưng Mỹ"}, 25},
		{"Ngọc Hiển", []string{"bến Rạch Gốc", "Đất Mũi"}, 15},
		{"", []string{"mua trên Shopee", "chợ Bến Thành", "Bạc Liêu"}, 10},
	}
	n := 0
	for _, w := range want {
		for i := range w.count {
			// min(i%7, i%3) reports the first codes most: 0, 1, 2...
			code := codes[min(i%7, i%3)]
			r := &core.FakeReport{Channel: "sms", Reporter: core.URN("tel:+8497710" + pad(n)), Place: w.places[i%len(w.places)]}
			if err := s.Services.Reports.Report(ctx, string(code), r); err != nil {
				t.Fatal(err)
			}
			if r.District != w.district {
				t.Fatalf("%q read as %q, want %q", r.Place, r.District, w.district)
			}
			n++
		}
	}
	if n != 300 {
		t.Fatalf("%d reports", n)
	}
	row := regexp.MustCompile(`<tr><td>([^<]+)</td><td>([0-9]+)</td>(?:<td>([^<]*))?`)
	read := func(body string) [][]string {
		t.Helper()
		i := strings.Index(body, "Báo nghi hàng giả theo huyện")
		if i < 0 {
			t.Fatal("the dashboard has no table of reports")
		}
		return row.FindAllStringSubmatch(body[i:], -1)
	}
	_, public := s.get(t, "/stats")
	rows := read(public)
	if len(rows) < len(want) {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	for i, w := range want {
		name := w.district
		if name == "" {
			name = "Chưa rõ huyện (nơi mua ghi như người báo)"
		}
		if rows[i][1] != name || rows[i][2] != strconv.Itoa(w.count) {
			t.Errorf("row %d: %s %s, want %s %d", i, rows[i][1], rows[i][2], name, w.count)
		}
	}
	if strings.Contains(public, codes[0].Printed()) || strings.Contains(public, "Shopee") {
		t.Error("the public dashboard shows reported codes or places as written")
	}

	req, _ := http.NewRequest("GET", s.srv.URL+"/stats", nil)
	req.Header.Set("Authorization", "Bearer adm")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	rows = read(string(raw))
	first := codes[0].Printed() + ", " + codes[1].Printed() + ", " + codes[2].Printed()
	if !strings.HasPrefix(rows[0][3], first) {
		t.Errorf("TP Cà Mau's codes: %q, want the most reported first: %s", rows[0][3], first)
	}
	unknown := rows[len(want)-1]
	if !strings.Contains(string(raw), "mua trên Shopee; Bạc Liêu; chợ Bến Thành") || unknown[2] != "10" {
		t.Errorf("the unknown places, latest first, as written: %q", unknown)
	}
	t.Logf("dashboard with reports: %d bytes", len(raw))
}

func pad(n int) string { return fmt.Sprintf("%04d", n) }
