package web_test

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"net/url"
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
