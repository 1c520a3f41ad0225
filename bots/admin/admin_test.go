package admin_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"tracegate/bots/admin"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const token = "s3cret-admin"

type api struct {
	t   *testing.T
	srv *httptest.Server
	db  *postgres.DB
}

func newAPI(t *testing.T) *api {
	db := postgres.New(pgtest.New(t))
	h := &admin.Handler{
		Token:      token,
		BaseURL:    "https://truyxuat.example.vn",
		Facilities: postgres.NewFacilityService(db),
		Products:   postgres.NewProductService(db),
		Members:    postgres.NewMemberService(db),
		Lots:       postgres.NewLotService(db),
		Stamps:     postgres.NewStampService(db),
		Stats:      postgres.NewStatsService(db),
		Messages:   postgres.NewMessageService(db),
	}
	srv := httptest.NewServer(h.Routes())
	t.Cleanup(srv.Close)
	return &api{t, srv, db}
}

// call sends body (a string of JSON) with the token and decodes the answer.
func (a *api) call(method, path, body string) (int, map[string]any) {
	a.t.Helper()
	status, raw := a.callRaw(method, path, body, "Bearer "+token)
	var out map[string]any
	if strings.HasPrefix(strings.TrimSpace(raw), "{") {
		if err := json.Unmarshal([]byte(raw), &out); err != nil {
			a.t.Fatalf("%s %s answered %q: %v", method, path, raw, err)
		}
	}
	return status, out
}

func (a *api) callRaw(method, path, body, auth string) (int, string) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

func (a *api) state(table string) string {
	a.t.Helper()
	return pgtest.Digest(a.t, a.db.Pool, table)
}

// create posts body and returns the new id, failing unless 201.
func (a *api) create(path, body string) int64 {
	a.t.Helper()
	status, out := a.call("POST", path, body)
	if status != http.StatusCreated {
		a.t.Fatalf("POST %s %s: %d %v", path, body, status, out)
	}
	return int64(out["id"].(float64))
}

func TestNewFacilityThroughTheAPIAlone(t *testing.T) {
	a := newAPI(t)
	fid := a.create("/admin/api/facilities",
		`{"name":"HTX Cua Năm Căn","address":"Ấp Cái Nai, Năm Căn","province":"Cà Mau","phone":"0290 3877 123"}`)
	pid := a.create("/admin/api/products", `{"facility_id":`+itoa(fid)+`,"code":"CUA","name":"Cua Năm Căn",
		"ocop_stars":4,"description":"Cua gạch","story":"Nuôi quảng canh dưới tán rừng đước","certifications":["VietGAP"]}`)
	mid := a.create("/admin/api/members", `{"facility_id":`+itoa(fid)+`,"name":"Anh Sáu","phone":"0913 000 111","telegram_user_id":5551234,"lang":"vi"}`)
	if pid == 0 || mid == 0 {
		t.Fatal("ids missing")
	}

	status, batch := a.call("POST", "/admin/api/stamp-batches", `{"facility_id":`+itoa(fid)+`,"count":1000}`)
	if status != http.StatusCreated || batch["first_serial"] != 1.0 || batch["last_serial"] != 1000.0 {
		t.Fatalf("batch: %d %v", status, batch)
	}
	status, _ = a.call("POST", "/admin/api/stamp-batches", `{"facility_id":`+itoa(fid)+`,"count":100}`)
	if status != http.StatusCreated {
		t.Fatal(status)
	}

	status, body := a.callRaw("GET", "/admin/api/stamp-batches/"+itoa(int64(batch["id"].(float64)))+"/stamps.csv", "", "Bearer "+token)
	if status != http.StatusOK {
		t.Fatalf("csv: %d %s", status, body)
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 1001 || strings.Join(records[0], ",") != "serial,code,url" {
		t.Fatalf("csv has %d lines, header %v", len(records), records[0])
	}
	for i, rec := range records[1:] {
		code, err := core.ParseCode(rec[1])
		if err != nil || string(code) != rec[1] || rec[0] != itoa(int64(i+1)) ||
			rec[2] != "https://truyxuat.example.vn/t/"+rec[1] {
			t.Fatalf("row %d = %v: %v", i+1, rec, err)
		}
	}

	status, stats := a.call("GET", "/admin/api/stats", "")
	if status != http.StatusOK || stats["facilities"] != 1.0 || stats["products"] != 1.0 ||
		stats["stamps_issued"] != 1100.0 || stats["stamps_activated"] != 0.0 || stats["lookups"] != 0.0 ||
		stats["suspicious_codes"] != 0.0 {
		t.Fatalf("stats: %d %v", status, stats)
	}

	status, raw := a.callRaw("GET", "/admin/api/facilities", "", "Bearer "+token)
	var list []core.Facility
	if err := json.Unmarshal([]byte(raw), &list); err != nil || status != 200 || len(list) != 1 || list[0].Phone != "+842903877123" {
		t.Fatalf("facilities: %d %s", status, raw)
	}
}

func TestTokenIsRequired(t *testing.T) {
	a := newAPI(t)
	for _, auth := range []string{"", "Bearer", "Bearer wrong", "Basic " + token, "bearer " + token, "Bearer " + token + "x"} {
		status, body := a.callRaw("POST", "/admin/api/facilities", `{"name":"X"}`, auth)
		if status != http.StatusUnauthorized || !strings.Contains(body, `"error"`) {
			t.Errorf("auth %q: %d %s", auth, status, body)
		}
		if status, _ := a.callRaw("GET", "/admin/api/stats", "", auth); status != http.StatusUnauthorized {
			t.Errorf("stats with auth %q: %d", auth, status)
		}
	}
	if pgtest.Rows(t, a.db.Pool, "facilities") != 0 {
		t.Fatal("an unauthorised call wrote a facility")
	}
}

func TestRefusalsWriteNothing(t *testing.T) {
	a := newAPI(t)
	fid := itoa(a.create("/admin/api/facilities", `{"name":"HTX A","gln":"0614141000005"}`))
	a.create("/admin/api/products", `{"facility_id":`+fid+`,"code":"MATONG","name":"Mật ong","gtin":"4006381333931"}`)
	a.create("/admin/api/members", `{"facility_id":`+fid+`,"name":"Chị Lan","phone":"0912345678"}`)

	tests := []struct {
		name, path, body string
		status           int
		table            string
	}{
		{"empty body", "/admin/api/facilities", ``, 400, "facilities"},
		{"not JSON", "/admin/api/facilities", `name=x`, 400, "facilities"},
		{"unknown field", "/admin/api/facilities", `{"name":"X","nmae":"typo"}`, 400, "facilities"},
		{"no name", "/admin/api/facilities", `{"name":" "}`, 400, "facilities"},
		{"bad phone", "/admin/api/facilities", `{"name":"X","phone":"123"}`, 400, "facilities"},
		{"two values", "/admin/api/facilities", `{"name":"X"}{"name":"Y"}`, 400, "facilities"},
		{"a stray brace after", "/admin/api/facilities", `{"name":"X"}}`, 400, "facilities"},
		{"a stray bracket after", "/admin/api/facilities", `{"name":"X"}]`, 400, "facilities"},
		{"gln check digit", "/admin/api/facilities", `{"name":"X","gln":"0614141000006"}`, 400, "facilities"},
		{"gln of 12 digits", "/admin/api/facilities", `{"name":"X","gln":"061414100000"}`, 400, "facilities"},
		{"gln as a number", "/admin/api/facilities", `{"name":"X","gln":614141000005}`, 400, "facilities"},
		{"gln taken", "/admin/api/facilities", `{"name":"X","gln":"0614141000005"}`, 409, "facilities"},
		{"huge", "/admin/api/facilities", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, 400, "facilities"},
		{"stars out of range", "/admin/api/products", `{"facility_id":` + fid + `,"code":"TOM","name":"Tôm","ocop_stars":6}`, 400, "products"},
		{"stars as text", "/admin/api/products", `{"facility_id":` + fid + `,"code":"TOM","name":"Tôm","ocop_stars":"four"}`, 400, "products"},
		{"duplicate product code", "/admin/api/products", `{"facility_id":` + fid + `,"code":"matong","name":"again"}`, 409, "products"},
		{"gtin check digit", "/admin/api/products", `{"facility_id":` + fid + `,"code":"TOM","name":"Tôm","gtin":"4006381333932"}`, 400, "products"},
		{"gtin of 11 digits", "/admin/api/products", `{"facility_id":` + fid + `,"code":"TOM","name":"Tôm","gtin":"40063813339"}`, 400, "products"},
		{"gtin with letters", "/admin/api/products", `{"facility_id":` + fid + `,"code":"TOM","name":"Tôm","gtin":"400638133393X"}`, 400, "products"},
		{"gtin taken", "/admin/api/products", `{"facility_id":` + fid + `,"code":"TOM","name":"Tôm","gtin":"4006381333931"}`, 409, "products"},
		{"gtin taken as 14 digits", "/admin/api/products", `{"facility_id":` + fid + `,"code":"TOM","name":"Tôm","gtin":"04006381333931"}`, 409, "products"},
		{"product of no facility", "/admin/api/products", `{"facility_id":999,"code":"TOM","name":"Tôm"}`, 404, "products"},
		{"member without phone", "/admin/api/members", `{"facility_id":` + fid + `,"name":"X"}`, 400, "members"},
		{"member phone taken", "/admin/api/members", `{"facility_id":` + fid + `,"name":"X","phone":"+84912345678"}`, 409, "members"},
		{"member bad lang", "/admin/api/members", `{"facility_id":` + fid + `,"name":"X","phone":"0913000222","lang":"fr"}`, 400, "members"},
		{"member bad telegram id", "/admin/api/members", `{"facility_id":` + fid + `,"name":"X","phone":"0913000222","telegram_user_id":-5}`, 400, "members"},
		{"batch of zero", "/admin/api/stamp-batches", `{"facility_id":` + fid + `,"count":0}`, 400, "stamps"},
		{"batch too big", "/admin/api/stamp-batches", `{"facility_id":` + fid + `,"count":1000001}`, 400, "stamps"},
		{"batch of no facility", "/admin/api/stamp-batches", `{"facility_id":999,"count":10}`, 404, "stamp_batches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := a.state(tt.table)
			status, out := a.call("POST", tt.path, tt.body)
			if status != tt.status || out["error"] == nil || out["error"] == "" {
				t.Fatalf("%d %v, want %d with an error", status, out, tt.status)
			}
			if a.state(tt.table) != before {
				t.Fatal("a refused call wrote a row")
			}
		})
	}

	for path, want := range map[string]int{
		"/admin/api/stamp-batches/999/stamps.csv": 404,
		"/admin/api/stamp-batches/abc/stamps.csv": 400,
		"/admin/api/nothing":                      404,
	} {
		if status, _ := a.call("GET", path, ""); status != want {
			t.Errorf("GET %s: %d, want %d", path, status, want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestMessageHistory(t *testing.T) {
	a := newAPI(t)
	msgs := postgres.NewMessageService(a.db)
	ctx := context.Background()
	in := &core.Message{Channel: "sms", URN: "tel:+84912345678", Text: "NK L1 BON 20kg", ProviderID: "SM1"}
	if _, err := msgs.Arrive(ctx, in, time.Minute, 1); err != nil {
		t.Fatal(err)
	}
	out := &core.Message{Kind: core.KindReply, Channel: "sms", URN: "tel:+84912345678", Text: "Đã ghi", InReplyTo: &in.ID}
	if err := msgs.StoreOutbound(ctx, out); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"urn=tel:%2B84912345678", "urn=0912345678", "urn=0912%20345%20678&limit=5"} {
		status, raw := a.callRaw("GET", "/admin/api/messages?"+q, "", "Bearer "+token)
		var got []core.Message
		if err := json.Unmarshal([]byte(raw), &got); err != nil || status != 200 || len(got) != 2 ||
			got[0].Status != core.StatusQueued || got[1].Direction != "in" || got[1].ProviderID != "SM1" {
			t.Fatalf("%s: %d %s", q, status, raw)
		}
	}
	for _, q := range []string{"", "urn=", "urn=xyz", "urn=telegram:abc", "urn=0912345678&limit=0", "urn=0912345678&limit=x"} {
		if status, _ := a.callRaw("GET", "/admin/api/messages?"+q, "", "Bearer "+token); status != 400 {
			t.Errorf("%q: %d, want 400", q, status)
		}
	}
	if status, _ := a.callRaw("GET", "/admin/api/messages?urn=0912345678", "", ""); status != 401 {
		t.Fatalf("history without token: %d", status)
	}
}
