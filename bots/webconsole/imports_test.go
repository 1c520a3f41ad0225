package webconsole_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tracegate/bots/spreadsheet"
	"tracegate/core/postgres/pgtest"
)

// upload posts a file to the import form, as a browser does.
func (b *browser) upload(kind, filename string, content []byte) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf)
	mw.WriteField("kind", kind)
	part, _ := mw.CreateFormFile("file", filename)
	part.Write(content)
	mw.Close()
	res, err := b.c.Post(b.w.srv.URL+"/admin/import", mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.read(res)
}

var tableField = regexp.MustCompile(`name="table" value="([^"]*)"`)

// A register with good and bad rows is previewed with each row's
// problems, and nothing is written; fixed, it is written whole.
func TestImportMembers(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(agencyLogin)
	honey := w.Seeded.Facility.Name
	csv := "Cơ sở;Họ và tên;Số điện thoại;Zalo\n" +
		honey + ";Chị Mai;0913 111 222;\n" +
		"\n" + // a blank row: Excel's row 4 is the next one
		honey + ";Anh Tư;12345;\n" +
		"HTX Không Có;Chị Ba;0913 111 333;\n" +
		honey + ";Chị Lan;0912345678;\n" + // the seeded farmer's phone
		fmt.Sprint(w.other.ID) + ";Anh Bảy;0913 111 222;8901234567890000009\n" // the first row's phone again
	digest := pgtest.Digest(t, w.DB.Pool, "members", "member_urns", "audit_log")
	status, page := b.upload("members", "thanh-vien.csv", []byte(csv))
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("preview: %d", status)
	}
	for _, want := range []string{"<td>4</td>", "is not a valid phone number", "no facility named", "+84912345678 is already a member", "4 dòng có lỗi"} {
		if !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if strings.Contains(page, `action="/admin/import/confirm"`) {
		t.Fatal("a file with refused rows can be written")
	}
	if pgtest.Digest(t, w.DB.Pool, "members", "member_urns", "audit_log") != digest {
		t.Fatal("the preview wrote something")
	}

	good := "Cơ sở;Họ và tên;Số điện thoại;Zalo\n" + honey + ";Chị Mai;0913 111 222;\n" +
		fmt.Sprint(w.other.ID) + ";Anh Bảy;0913 111 444;8901234567890000009\n"
	status, page = b.upload("members", "thanh-vien.csv", []byte(good))
	m := tableField.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("preview of a good file: %d", status)
	}
	if status, to := b.post("/admin/import/confirm", url.Values{"kind": {"members"}, "table": {html.UnescapeString(m[1])}}); status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", status, to)
	}
	if n := pgtest.Rows(t, w.DB.Pool, "audit_log"); n != 2 {
		t.Fatalf("%d audit entries, want one a member", n)
	}
	if got := w.Member(t, "zalo:8901234567890000009"); got == nil || got.Name != "Anh Bảy" || got.FacilityID != w.other.ID {
		t.Fatalf("the Zalo account belongs to %+v", got)
	}
}

// Facilities come from Excel, products from the export of another
// database: the formats Excel reads are the ones the import takes.
func TestImportFromXLSX(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(agencyLogin)
	var file bytes.Buffer
	table := &spreadsheet.Table{Header: []string{"Tên cơ sở", "Địa chỉ", "Tỉnh", "Điện thoại"}, Rows: [][]string{
		{"HTX Muối Tân Thuận", "Đầm Dơi", "Cà Mau", "+842903111222"},
		{"Cơ sở Mắm Cà Mau", "Phường 8", "Cà Mau", ""},
	}}
	if err := spreadsheet.WriteXLSX(&file, table); err != nil {
		t.Fatal(err)
	}
	status, page := b.upload("facilities", "co-so.xlsx", file.Bytes())
	m := tableField.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		t.Fatalf("preview: %d", status)
	}
	before := pgtest.Rows(t, w.DB.Pool, "facilities")
	if status, _ := b.post("/admin/import/confirm", url.Values{"kind": {"facilities"}, "table": {html.UnescapeString(m[1])}}); status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", status)
	}
	if n := pgtest.Rows(t, w.DB.Pool, "facilities"); n != before+2 {
		t.Fatalf("%d facilities, want %d", n, before+2)
	}
	// The export reads back as an import: every product already exists, so
	// every row is refused, by name.
	res, err := b.c.Get(w.srv.URL + "/admin/export/products?format=xlsx")
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := io.ReadAll(res.Body)
	res.Body.Close()
	status, page = b.upload("products", "san-pham.xlsx", exported)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "already has a product MATONG") {
		t.Fatalf("the export imported again: %d", status)
	}
}

// Only the agency imports; an old .xls is refused in words.
func TestImportRefused(t *testing.T) {
	w := newWorld(t)
	producer := w.browser(t).logIn(producerLogin)
	if status, _ := producer.upload("facilities", "co-so.csv", []byte("name\nHTX X\n")); status != http.StatusForbidden {
		t.Fatalf("a facility account importing: %d, want 403", status)
	}
	b := w.browser(t).logIn(agencyLogin)
	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	if status, page := b.upload("facilities", "co-so.xls", xls); status != http.StatusBadRequest || !strings.Contains(page, ".xlsx") {
		t.Fatalf("an .xls: %d", status)
	}
	if status, page := b.upload("products", "san-pham.csv", []byte("code,name\nX1,Y\n")); status != http.StatusUnprocessableEntity || !strings.Contains(page, "facility") {
		t.Fatalf("a file without the facility column: %d", status)
	}
	if status, _ := b.post("/admin/import/confirm", url.Values{"kind": {"facilities"}, "table": {`{"Header":["name"],"Rows":[[""]]}`}}); status != http.StatusBadRequest {
		t.Fatalf("a tampered table: %d, want 400", status)
	}
}
