package webconsole_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

// Logging in and out, and the cookie the session lives in.
func TestLogIn(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t)
	if status, to := b.get("/admin/facilities"); status != http.StatusSeeOther || to != "/admin/login" {
		t.Fatalf("without a session: %d %s, want the login page", status, to)
	}
	b.get("/admin/login")
	status, page := b.post("/admin/login", url.Values{"login": {agencyLogin}, "password": {"wrong-password-1"}})
	if status != http.StatusUnauthorized || !strings.Contains(page, "Sai tên đăng nhập hoặc mật khẩu") {
		t.Fatalf("a wrong password: %d", status)
	}
	status, page = b.post("/admin/login", url.Values{"login": {"nobody"}, "password": {password}})
	if status != http.StatusUnauthorized || !strings.Contains(page, "Sai tên đăng nhập hoặc mật khẩu") {
		t.Fatalf("an unknown login is answered like a wrong password: %d", status)
	}
	if status, _ := b.post("/admin/login", url.Values{"login": {agencyLogin}, "password": {password}, "csrf": {"forged"}}); status != http.StatusForbidden {
		t.Fatalf("a login form without its token: %d, want 403", status)
	}
	b.logIn(agencyLogin)
	var session *http.Cookie
	u, _ := url.Parse(w.srv.URL + "/admin/")
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "tracegate_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	if status, page := b.get("/admin/facilities"); status != 200 || !strings.Contains(page, w.Seeded.Facility.Name) || !strings.Contains(page, w.other.Name) {
		t.Fatalf("the agency's facilities: %d", status)
	}
	if status, to := b.post("/admin/logout", url.Values{}); status != http.StatusSeeOther || to != "/admin/login" {
		t.Fatalf("logout: %d %s", status, to)
	}
	// The cookie a thief copied before the logout opens nothing after it.
	thief := w.browser(t)
	thief.c.Jar.SetCookies(u, []*http.Cookie{{Name: "tracegate_session", Value: session.Value, Path: "/admin"}})
	if status, to := thief.get("/admin/facilities"); status != http.StatusSeeOther || to != "/admin/login" {
		t.Fatalf("a session after logout: %d %s", status, to)
	}
}

// The session cookie's flags, from the raw header.
func TestSessionCookie(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t)
	b.get("/admin/login")
	form := url.Values{"login": {producerLogin}, "password": {password}, "csrf": {b.csrf}}
	res, err := b.c.PostForm(w.srv.URL+"/admin/login", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var set string
	for _, c := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "tracegate_session=") {
			set = c
		}
	}
	// The world's PUBLIC_BASE_URL is https: the cookie goes over https only.
	for _, flag := range []string{"HttpOnly", "SameSite=Lax", "Path=/admin", "Secure"} {
		if !strings.Contains(set, flag) {
			t.Fatalf("session cookie %q lacks %s", set, flag)
		}
	}
}

// A form posted without the session's token changes nothing.
func TestCSRFRefused(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(agencyLogin)
	before := pgtest.Rows(t, w.DB.Pool, "facilities")
	for _, token := range []string{"", "forged-token"} {
		status, _ := b.post("/admin/facilities", url.Values{"name": {"HTX Giả"}, "csrf": {token}})
		if status != http.StatusForbidden {
			t.Fatalf("token %q: %d, want 403", token, status)
		}
	}
	if pgtest.Rows(t, w.DB.Pool, "facilities") != before {
		t.Fatal("a facility was created without the token")
	}
}

// The agency officer registers a cooperative with a product, a member and
// a batch of stamps; each change is in the audit log.
func TestAgencyRegistersACooperative(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(agencyLogin)
	status, to := b.post("/admin/facilities", url.Values{"name": {"HTX Tôm khô Rạch Gốc"}, "address": {"Ấp Rạch Gốc"},
		"province": {"Cà Mau"}, "phone": {"0290 3888 123"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(to, "/admin/facilities/") {
		t.Fatalf("create: %d %s", status, to)
	}
	page := strings.TrimSuffix(to, "?done=console_facility_created")
	if _, body := b.get(to); !strings.Contains(body, "Đã đăng ký cơ sở") {
		t.Fatal("the facility page does not say it was registered")
	}
	steps := []struct {
		path string
		form url.Values
	}{
		{page + "/products", url.Values{"code": {"TOMKHO"}, "name": {"Tôm khô Rạch Gốc"}, "stars": {"4"}, "certifications": {"VietGAP, HACCP"}}},
		{page + "/members", url.Values{"name": {"Chị Hạnh"}, "phone": {"0913 222 333"}, "accounts": {"zalo:8901234567890000001"}, "lang": {"vi"}}},
		{page + "/batches", url.Values{"count": {"200"}}},
	}
	for _, s := range steps {
		if status, to := b.post(s.path, s.form); status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", s.path, status, to)
		}
	}
	status, body := b.get(page)
	for _, want := range []string{"TOMKHO", "★★★★", "VietGAP, HACCP", "Chị Hạnh", "84913222333", "zalo:8901234567890000001", "1–200"} {
		if status != 200 || !strings.Contains(body, want) {
			t.Fatalf("the facility page lacks %q (%d)", want, status)
		}
	}
	id := strings.TrimPrefix(page, "/admin/facilities/")
	batches := pgtest.Rows(t, w.DB.Pool, "stamp_batches")
	var batch int64
	w.DB.Pool.QueryRow(context.Background(), `SELECT max(id) FROM stamp_batches WHERE facility_id = $1`, id).Scan(&batch)
	if status, csv := b.get(fmt.Sprintf("/admin/batches/%d/stamps.csv", batch)); status != 200 || strings.Count(csv, "\n") != 201 {
		t.Fatalf("batch CSV: %d, %d lines of %d batches", status, strings.Count(csv, "\n"), batches)
	}
	if status, sheet := b.get(fmt.Sprintf("/admin/batches/%d/sheet", batch)); status != 200 || !strings.Contains(sheet, "<img") {
		t.Fatalf("batch sheet: %d", status)
	}
	status, audit := b.get("/admin/audit")
	for _, action := range []string{"facility.create", "product.create", "member.create", "batch.issue"} {
		if status != 200 || !strings.Contains(audit, action) {
			t.Fatalf("the audit log lacks %s", action)
		}
	}
	entries, err := w.Services.Audit.FindAudit(context.Background(), 0, 0, 10)
	if err != nil || len(entries) != 4 || entries[0].Login != agencyLogin || entries[3].Before != nil || !strings.Contains(string(entries[3].After), "Rạch Gốc") {
		t.Fatalf("audit entries %+v, %v", entries, err)
	}
}

// A facility account sees and changes only its own facility: every
// request for another facility's objects is 404 and changes nothing,
// whatever id it guesses, in the path or in the form.
func TestFacilityAccountSeesOnlyItsOwn(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(producerLogin)
	own, other := w.Seeded.Facility.ID, w.other.ID
	o := fmt.Sprintf("/admin/facilities/%d", other)
	gets := []string{o, o + "/edit", o + "/lots/L1", fmt.Sprintf("/admin/batches/%d/stamps.csv", w.otherBatch.ID),
		fmt.Sprintf("/admin/batches/%d/sheet", w.otherBatch.ID), "/admin/facilities/999999"}
	for _, path := range gets {
		if status, _ := b.get(path); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, status)
		}
	}
	digest := pgtest.Digest(t, w.DB.Pool, "facilities", "products", "members", "member_urns", "stamp_batches", "lots", "audit_log")
	posts := []struct {
		path string
		form url.Values
	}{
		{o, url.Values{"name": {"Đổi tên"}}},
		{o + "/products", url.Values{"code": {"GIA"}, "name": {"Giả"}}},
		{o + "/members", url.Values{"name": {"Kẻ lạ"}, "phone": {"0913 999 888"}}},
		{fmt.Sprintf("%s/members/%d/remove", o, w.otherMember.ID), url.Values{}},
		// Another facility's member, behind this account's own facility id.
		{fmt.Sprintf("/admin/facilities/%d/members/%d/remove", own, w.otherMember.ID), url.Values{}},
		{o + "/batches", url.Values{"count": {"10"}}},
		{o + "/lots/L1/recall", url.Values{"reason": {"phá"}}},
	}
	for _, p := range posts {
		if status, _ := b.post(p.path, p.form); status != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", p.path, status)
		}
	}
	if status, _ := b.post("/admin/facilities", url.Values{"name": {"HTX Mới"}}); status != http.StatusForbidden {
		t.Errorf("a facility account registering a facility: %d, want 403", status)
	}
	if got := pgtest.Digest(t, w.DB.Pool, "facilities", "products", "members", "member_urns", "stamp_batches", "lots", "audit_log"); got != digest {
		t.Fatal("a refused request changed something")
	}
	status, list := b.get("/admin/facilities")
	if status != 200 || !strings.Contains(list, w.Seeded.Facility.Name) || strings.Contains(list, w.other.Name) {
		t.Fatalf("the facility list shows other facilities (%d)", status)
	}
	if status, to := b.get("/admin/"); status != http.StatusSeeOther || to != fmt.Sprintf("/admin/facilities/%d", own) {
		t.Fatalf("home: %d %s", status, to)
	}
	// Its own facility it may change, and its audit log holds only that.
	if status, _ := b.post(fmt.Sprintf("/admin/facilities/%d/batches", own), url.Values{"count": {"20"}}); status != http.StatusSeeOther {
		t.Fatalf("issuing its own batch: %d", status)
	}
	other2 := w.browser(t).logIn(otherLogin)
	other2.post(fmt.Sprintf("/admin/facilities/%d/batches", other), url.Values{"count": {"5"}})
	_, audit := b.get("/admin/audit")
	if strings.Count(audit, "batch.issue") != 1 {
		t.Fatalf("the producer's audit log shows %d batch issues, want its own one", strings.Count(audit, "batch.issue"))
	}
}

// A member is removed: unlinked, so their phone no longer keeps the
// diary, and the removal is audited with the member as it was.
func TestRemoveMember(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(producerLogin)
	farmer := w.Seeded.Farmer
	path := fmt.Sprintf("/admin/facilities/%d/members/%d/remove", farmer.FacilityID, farmer.ID)
	if status, to := b.post(path, url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("remove: %d %s", status, to)
	}
	if _, err := w.Services.Members.FindMemberByURN(context.Background(), farmer.URNs[0]); core.ErrorCodeOf(err) != core.ENOTFOUND {
		t.Fatalf("the removed member's phone still finds %v", err)
	}
	if status, _ := b.post(path, url.Values{}); status != http.StatusNotFound {
		t.Fatalf("removing twice: %d, want 404", status)
	}
	entries, _ := w.Services.Audit.FindAudit(context.Background(), farmer.FacilityID, 0, 10)
	if len(entries) != 1 || entries[0].Action != "member.remove" || !strings.Contains(string(entries[0].Before), farmer.Name) {
		t.Fatalf("audit %+v", entries)
	}
}

// Bad input is answered in words and changes nothing.
func TestRefusedInput(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(agencyLogin)
	id := w.Seeded.Facility.ID
	tests := []struct {
		path string
		form url.Values
		want int
	}{
		{"/admin/facilities", url.Values{"name": {""}}, http.StatusBadRequest},
		{"/admin/facilities", url.Values{"name": {"X"}, "gln": {"123"}}, http.StatusBadRequest},
		{fmt.Sprintf("/admin/facilities/%d/products", id), url.Values{"code": {"MATONG"}, "name": {"Trùng mã"}}, http.StatusConflict},
		{fmt.Sprintf("/admin/facilities/%d/products", id), url.Values{"code": {"X1"}, "name": {"Sao lạ"}, "stars": {"9"}}, http.StatusBadRequest},
		{fmt.Sprintf("/admin/facilities/%d/members", id), url.Values{"name": {"Số sai"}, "phone": {"12345"}}, http.StatusBadRequest},
		{fmt.Sprintf("/admin/facilities/%d/batches", id), url.Values{"count": {"0"}}, http.StatusBadRequest},
		{fmt.Sprintf("/admin/facilities/%d/batches", id), url.Values{"count": {"nhiều"}}, http.StatusBadRequest},
		{fmt.Sprintf("/admin/facilities/%d/lots/L1/recall", id), url.Values{"reason": {" "}}, http.StatusBadRequest},
	}
	digest := pgtest.Digest(t, w.DB.Pool, "facilities", "products", "members", "stamp_batches", "lots", "audit_log")
	for _, tt := range tests {
		status, page := b.post(tt.path, tt.form)
		if status != tt.want || !strings.Contains(page, "Chưa lưu được") {
			t.Errorf("POST %s %v: %d, want %d with the reason", tt.path, tt.form, status, tt.want)
		}
	}
	if pgtest.Digest(t, w.DB.Pool, "facilities", "products", "members", "stamp_batches", "lots", "audit_log") != digest {
		t.Fatal("refused input changed something")
	}
}

// The agency recalls a lot from its page: its members are told, in the
// transaction of the recall, and the lot page says it is recalled.
func TestRecallFromTheConsole(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(agencyLogin)
	lot := fmt.Sprintf("/admin/facilities/%d/lots/%s", w.Seeded.Facility.ID, w.Seeded.Lot.Code)
	if status, _ := b.get(lot); status != 200 {
		t.Fatalf("lot page: %d", status)
	}
	if status, to := b.post(lot+"/recall", url.Values{"reason": {"nhiễm khuẩn"}}); status != http.StatusSeeOther {
		t.Fatalf("recall: %d %s", status, to)
	}
	_, page := b.get(lot)
	if !strings.Contains(page, "Đã thu hồi") || !strings.Contains(page, "nhiễm khuẩn") {
		t.Fatal("the lot page does not show the recall")
	}
	notices := 0
	for _, m := range w.Outbound(t) {
		if m.URN == w.Seeded.Farmer.URNs[0] && strings.Contains(m.Text, "nhiễm khuẩn") {
			notices++
		}
	}
	if notices != 1 {
		t.Fatalf("%d recall notices to the farmer, want 1", notices)
	}
}

// A session idle too long, or open too long, logs in no more.
func TestSessionExpiry(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		name, sql string
	}{
		{"idle", `UPDATE sessions SET last_seen_at = now() - interval '31 minutes'`},
		{"too old", `UPDATE sessions SET created_at = now() - interval '13 hours'`},
	} {
		b := w.browser(t).logIn(agencyLogin)
		if _, err := w.DB.Pool.Exec(context.Background(), tt.sql); err != nil {
			t.Fatal(err)
		}
		if status, to := b.get("/admin/facilities"); status != http.StatusSeeOther || to != "/admin/login" {
			t.Fatalf("%s: %d %s, want the login page", tt.name, status, to)
		}
	}
}

// Five wrong passwords for a login refuse the sixth try, the right one
// included; so do five from one address, whichever logins they name.
func TestLoginLimits(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t)
	b.get("/admin/login")
	for i := range core.LoginTries {
		if status, _ := b.post("/admin/login", url.Values{"login": {producerLogin}, "password": {fmt.Sprintf("wrong-guess-%d", i)}}); status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, status)
		}
	}
	status, page := b.post("/admin/login", url.Values{"login": {producerLogin}, "password": {password}})
	if status != http.StatusTooManyRequests || !strings.Contains(page, "15 phút") {
		t.Fatalf("the right password after %d wrong ones: %d, want 429", core.LoginTries, status)
	}
	// The same address, another login: the address is limited too.
	if status, _ := b.post("/admin/login", url.Values{"login": {otherLogin}, "password": {password}}); status != http.StatusTooManyRequests {
		t.Fatalf("another login from the same address: %d, want 429", status)
	}
}

// A feedback answered from the inbox goes back to the consumer on the
// channel they used; another facility's feedback cannot be answered.
func TestAnswerFeedback(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	f := &core.Feedback{Channel: "sms", URN: "tel:+84977000001", Body: "Mật ong ngon"}
	must(t, w.Services.Feedback.GiveFeedback(ctx, string(w.Seeded.Codes[0]), f))
	b := w.browser(t).logIn(producerLogin)
	_, page := b.get(fmt.Sprintf("/admin/facilities/%d", w.Seeded.Facility.ID))
	if !strings.Contains(page, "Mật ong ngon") || !strings.Contains(page, "84 97x xxx 001") {
		t.Fatal("the inbox does not show the feedback with the buyer's masked number")
	}
	answer := fmt.Sprintf("/admin/facilities/%d/feedback/%d/answer", w.Seeded.Facility.ID, f.ID)
	if status, to := b.post(answer, url.Values{"text": {"Cảm ơn anh"}}); status != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", status, to)
	}
	relayed := 0
	for _, m := range w.Outbound(t) {
		if m.URN == f.URN && m.Channel == "sms" && strings.Contains(m.Text, "Cảm ơn anh") {
			relayed++
		}
	}
	if relayed != 1 {
		t.Fatalf("%d answers relayed to the buyer, want 1", relayed)
	}
	other := w.browser(t).logIn(otherLogin)
	if status, _ := other.post(answer, url.Values{"text": {"Xen vào"}}); status != http.StatusNotFound {
		t.Fatalf("another facility answering: %d, want 404", status)
	}
	wrongPath := fmt.Sprintf("/admin/facilities/%d/feedback/%d/answer", w.other.ID, f.ID)
	if status, _ := other.post(wrongPath, url.Values{"text": {"Xen vào"}}); status != http.StatusNotFound {
		t.Fatalf("another facility's feedback under its own id: %d, want 404", status)
	}
}

// A producer corrects what the phone cannot: a product's details, an
// entry found wrong after a day (with the reason), a lot closed; each
// audited, and another facility's ids refused.
func TestCorrections(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	b := w.browser(t).logIn(producerLogin)
	fac := fmt.Sprintf("/admin/facilities/%d", w.Seeded.Facility.ID)
	product := fmt.Sprintf("%s/products/%d", fac, w.Seeded.Product.ID)
	if status, page := b.get(product + "/edit"); status != 200 || !strings.Contains(page, w.Seeded.Product.Name) {
		t.Fatalf("product form: %d", status)
	}
	if status, to := b.post(product, url.Values{"code": {"MATONG"}, "name": {"Mật ong rừng tràm"}, "stars": {"5"}, "story": {"Ong đi hút mật tràm."}}); status != http.StatusSeeOther {
		t.Fatalf("save product: %d %s", status, to)
	}
	products, _ := w.Services.Products.FindProducts(ctx, w.Seeded.Facility.ID)
	if products[0].Name != "Mật ong rừng tràm" || *products[0].OCOPStars != 5 {
		t.Fatalf("product now %+v", products[0])
	}
	lot := fac + "/lots/" + w.Seeded.Lot.Code
	must(t, w.Services.Diary.RecordEntry(ctx, w.Seeded.Farmer, &core.DiaryEntry{LotCode: w.Seeded.Lot.Code, Step: core.StepPack, Channel: "sms"}))
	entries, _ := w.Services.Diary.FindEntries(ctx, w.Seeded.Lot.ID)
	undo := fmt.Sprintf("%s/entries/%d/undo", lot, entries[0].ID)
	if status, _ := b.post(undo, url.Values{"reason": {""}}); status != http.StatusBadRequest {
		t.Fatalf("an undo without a reason: %d, want 400", status)
	}
	if status, to := b.post(undo, url.Values{"reason": {"ghi nhầm ngày"}}); status != http.StatusSeeOther {
		t.Fatalf("undo: %d %s", status, to)
	}
	if after, _ := w.Services.Diary.FindEntries(ctx, w.Seeded.Lot.ID); len(after) != len(entries)-1 {
		t.Fatalf("%d entries after the undo, want %d", len(after), len(entries)-1)
	}
	if status, _ := b.post(undo, url.Values{"reason": {"lần nữa"}}); status != http.StatusNotFound {
		t.Fatalf("undoing twice: %d, want 404", status)
	}
	if status, to := b.post(lot+"/close", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("close: %d %s", status, to)
	}
	if l := w.Lot(t, w.Seeded.Lot.Code); l.Status != core.LotClosed {
		t.Fatalf("lot is %s", l.Status)
	}
	entries2, _ := w.Services.Audit.FindAudit(ctx, w.Seeded.Facility.ID, 0, 10)
	var actions []string
	for _, e := range entries2 {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "lot.close entry.undo product.update" || !strings.Contains(string(entries2[1].After), "ghi nhầm ngày") {
		t.Fatalf("audit %v", actions)
	}
	// The other facility's manager, with this facility's ids in its paths.
	other := w.browser(t).logIn(otherLogin)
	for _, p := range []string{product, lot + "/close", fmt.Sprintf("%s/entries/%d/undo", lot, entries[1].ID)} {
		if status, _ := other.post(p, url.Values{"code": {"X1"}, "name": {"X"}, "reason": {"phá"}}); status != http.StatusNotFound {
			t.Errorf("POST %s by another facility: %d, want 404", p, status)
		}
	}
	// Its own lot's path with this facility's entry id.
	otherLot := fmt.Sprintf("/admin/facilities/%d/lots/L1/entries/%d/undo", w.other.ID, entries[1].ID)
	if status, _ := other.post(otherLot, url.Values{"reason": {"phá"}}); status != http.StatusNotFound {
		t.Errorf("another facility's entry under its own lot: %d, want 404", status)
	}
}

// The dashboard drawn for the console: the agency sees the flagged
// codes, a producer the figures only, and nobody without a session.
func TestStatsInTheConsole(t *testing.T) {
	w := newWorld(t)
	if status, _ := w.browser(t).get("/admin/stats"); status != http.StatusSeeOther {
		t.Fatalf("without a session: %d", status)
	}
	flagged := `class="flagged"`
	if status, page := w.browser(t).logIn(agencyLogin).get("/admin/stats"); status != 200 || !strings.Contains(page, flagged) {
		t.Fatalf("the agency's dashboard: %d, flagged codes shown %v", status, strings.Contains(page, flagged))
	}
	if status, page := w.browser(t).logIn(producerLogin).get("/admin/stats"); status != 200 || strings.Contains(page, flagged) {
		t.Fatalf("a producer's dashboard: %d, flagged codes shown %v", status, strings.Contains(page, flagged))
	}
}

// A batch issued with hidden PINs prints them in the CSV's pin column.
func TestBatchWithPINs(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t).logIn(producerLogin)
	fac := fmt.Sprintf("/admin/facilities/%d", w.Seeded.Facility.ID)
	if status, _ := b.post(fac+"/batches", url.Values{"count": {"3"}, "pin": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("issue: %d", status)
	}
	batches, _ := w.Services.Stamps.FindBatches(context.Background(), w.Seeded.Facility.ID)
	if !batches[0].PIN {
		t.Fatal("the batch has no PINs")
	}
	_, csv := b.get(fmt.Sprintf("/admin/batches/%d/stamps.csv", batches[0].ID))
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 4 || strings.TrimSpace(lines[0]) != "serial,code,url,pin" || !regexp.MustCompile(`,\d{6}\r?$`).MatchString(lines[1]) {
		t.Fatalf("CSV %q", csv)
	}
}
