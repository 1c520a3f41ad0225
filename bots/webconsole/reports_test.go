package webconsole_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tracegate/core"
)

// Reports of fakes in the console: a facility's page lists its own, the
// agency's /admin/reports counts the province's by district, and a
// facility account sees no other facility's and no province page.
func TestReportsInTheConsole(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	s := w.Services
	otherStamps, err := s.Stamps.FindStamps(ctx, w.other.ID, core.SerialRange{From: 1, To: 1})
	must(t, err)
	own, other := w.Seeded.Codes[0], otherStamps[0].Code
	var unknown core.Code
	for unknown == "" || unknown == own || unknown == other {
		unknown, err = core.NewCode(nil)
		must(t, err)
	}
	for _, r := range []struct {
		code     core.Code
		place    string
		reporter core.URN
		channel  string
	}{
		{own, "tạp hóa Tư Hùng, chợ Phường 8", "tel:+84977000001", "sms"},
		{own, "tiem tap hoa o Song Doc", "web:1a2b3c4d5e6f7a8b", "web"},
		{other, "quán rượu ở chợ Năm Căn", "tel:+84977000002", "sms"},
		{unknown, "mua trên Shopee", "zalo:8901234567890123", "zalo"},
	} {
		must(t, s.Reports.Report(ctx, string(r.code), &core.FakeReport{Channel: r.channel, Reporter: r.reporter, Place: r.place}))
	}
	ownPage := fmt.Sprintf("/admin/facilities/%d", w.Seeded.Facility.ID)

	agency := w.browser(t).logIn(agencyLogin)
	status, page := agency.get(ownPage)
	if status != 200 {
		t.Fatalf("the facility's page: %d", status)
	}
	section := page[strings.Index(page, `<section id="reports">`):]
	for _, want := range []string{"Báo hàng giả", own.Printed(), "tạp hóa Tư Hùng, chợ Phường 8", "Phường 8, TP Cà Mau",
		"97x xxx 001", "Sông Đốc, Trần Văn Thời", "khách trên trang web"} {
		if !strings.Contains(section, want) {
			t.Errorf("the facility's reports lack %q", want)
		}
	}
	if strings.Contains(section, "977000001") || strings.Contains(section, other.Printed()) || strings.Contains(section, "Shopee") {
		t.Error("the facility's reports show a number, or another facility's or an unknown code's reports")
	}
	status, page = agency.get("/admin/reports")
	if status != 200 || !strings.Contains(page, `href="/admin/reports"`) {
		t.Fatalf("the agency's reports: %d", status)
	}
	for _, want := range []string{
		"<td>TP Cà Mau</td><td>1</td>", "<td>Trần Văn Thời</td><td>1</td>", "<td>Năm Căn</td><td>1</td>",
		"<td>Chưa rõ huyện</td><td>1</td>", "mua trên Shopee", other.Printed(), unknown.Printed(),
		w.other.Name, "mã không có trong hệ thống", "Zalo …123",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the province's reports lack %q", want)
		}
	}

	producer := w.browser(t).logIn(producerLogin)
	if status, _ := producer.get("/admin/reports"); status != http.StatusForbidden {
		t.Errorf("a facility account reading the province's reports: %d, want 403", status)
	}
	status, page = producer.get(ownPage)
	if status != 200 || !strings.Contains(page, own.Printed()) || strings.Contains(page, other.Printed()) {
		t.Fatalf("the producer's own reports: %d", status)
	}
	if strings.Contains(page, `href="/admin/reports"`) {
		t.Error("a facility account is shown the province's reports in its menu")
	}
	if status, _ := producer.get(fmt.Sprintf("/admin/facilities/%d", w.other.ID)); status != http.StatusNotFound {
		t.Errorf("another facility's page with its reports: %d, want 404", status)
	}
	// The other facility's own account sees its report, and not the honey's.
	status, page = w.browser(t).logIn(otherLogin).get(fmt.Sprintf("/admin/facilities/%d", w.other.ID))
	if status != 200 || !strings.Contains(page, "quán rượu ở chợ Năm Căn") || strings.Contains(page, own.Printed()) {
		t.Fatalf("the other facility's reports: %d", status)
	}
}
