package web_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"tracegate/core"
)

// getAs is a page fetched from one address, as a buyer's phone.
func (s *site) getAs(t *testing.T, addr, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", s.srv.URL+path, nil)
	req.Header.Set("X-Forwarded-For", addr) // believed only from trusted proxies: none here
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body)
}

// The page tells a second visitor the code was verified before, takes a
// PIN, and says what came of it, as SMS does.
func TestPageExposesACopy(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	code := string(s.Seeded.Codes[1])
	if _, err := s.Services.Lookups.Lookup(ctx, core.LookupRequest{Input: code, Channel: "sms", Sender: "tel:+84977000001"}); err != nil {
		t.Fatal(err)
	}
	page := s.getAs(t, "", "/t/"+code)
	if !strings.Contains(page, "đã được xác thực lần đầu ngày") || !strings.Contains(page, "qua SMS") || !strings.Contains(page, `name="pin"`) {
		t.Fatal("the page does not say the code was verified before, or offers no PIN field")
	}
	b, err := s.Services.Stamps.IssueBatch(ctx, s.Seeded.Facility.ID, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Services.Stamps.Activate(ctx, s.Seeded.Farmer, s.Seeded.Lot.Code, core.SerialRange{From: b.FirstSerial, To: b.LastSerial}); err != nil {
		t.Fatal(err)
	}
	stamps, _ := s.Services.Stamps.FindStamps(ctx, s.Seeded.Facility.ID, core.SerialRange{From: b.FirstSerial, To: b.FirstSerial})
	pinned := stamps[0]
	first := s.getAs(t, "", "/t/"+string(pinned.Code)+"?pin="+pinned.PIN)
	reloaded := s.getAs(t, "", "/t/"+string(pinned.Code)+"?pin="+pinned.PIN)
	if !strings.Contains(first, "Mã PIN đúng") || !strings.Contains(reloaded, "Quý khách đã dùng mã PIN này") || strings.Contains(reloaded, `class="verdict warn"`) {
		t.Fatal("the page does not tell a PIN's first use from the same visitor's reload")
	}
	// Someone else with the same PIN: a copy.
	if _, err := s.Services.Lookups.Lookup(ctx, core.LookupRequest{Input: string(pinned.Code), Channel: "sms", Sender: "tel:+84977000002", PIN: pinned.PIN}); err != nil {
		t.Fatal(err)
	}
	again := s.getAs(t, "", "/t/"+string(pinned.Code)+"?pin="+pinned.PIN)
	if !strings.Contains(again, `class="verdict warn"`) || !strings.Contains(again, "Quý khách đã dùng mã PIN này") {
		t.Fatal("after another's use, the first visitor's page does not warn")
	}
	// The sheet prints the PIN in its scratch-off box.
	req, _ := http.NewRequest("GET", s.srv.URL+"/admin/batches/"+itoa(b.ID)+"/sheet", nil)
	req.SetBasicAuth("printer", "adm")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `<span class="scratch">`+pinned.PIN+`</span>`) || strings.Count(string(body), `class="scratch"`) != 2 {
		t.Fatalf("the sheet's PIN boxes: %d", strings.Count(string(body), `class="scratch"`))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
