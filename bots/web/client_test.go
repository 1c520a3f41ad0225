package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"tracegate/bots/web"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

// secondProcess is another gateway's pages on the same database.
func (s *site) secondProcess(t *testing.T, opts ...func(*web.Handler)) *site {
	t.Helper()
	services := s.Services
	h := &web.Handler{Lookups: services.Lookups, Stats: services.Stats, Stamps: services.Stamps, Services: services,
		Diary: services.Diary, BaseURL: "https://truyxuat.example.vn", Guard: s.DB}
	srv := httptest.NewServer(routes(t, h, opts))
	t.Cleanup(srv.Close)
	return &site{World: s.World, srv: srv, photos: s.photos}
}

// senders counts the different senders who looked code up.
func senders(lookups []pgtest.Lookup, code string) int {
	distinct := map[string]bool{}
	for _, l := range lookups {
		if l.Code == code {
			distinct[l.Sender] = true
		}
	}
	return len(distinct)
}

// request sends method to path as if from behind X-Forwarded-For forwarded
// (none when empty), with form as the body of a POST.
func (s *site) request(t *testing.T, method, path, forwarded string, form url.Values) int {
	t.Helper()
	req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// A stranger's X-Forwarded-For is not believed: invented addresses do not
// buy more feedback, nor make a genuine code look copied.
func TestForwardedForFromAStranger(t *testing.T) {
	s := newSite(t)
	code := string(s.Seeded.Codes[0])
	passed := 0
	for i := range 6 {
		if s.request(t, "POST", "/t/"+code+"/feedback", fmt.Sprintf("203.0.113.%d", i), url.Values{"text": {"ngon"}}) == 200 {
			passed++
		}
	}
	if passed != 3 {
		t.Fatalf("%d of 6 feedbacks from invented addresses passed, want the 3 an hour of one", passed)
	}
	other := string(s.Seeded.Codes[1])
	for i := range 11 {
		s.request(t, "GET", "/t/"+other, fmt.Sprintf("198.51.100.%d", i%3), nil)
	}
	if n := senders(s.Lookups(t), other); n != 1 {
		t.Fatalf("11 views from one client counted as %d senders", n)
	}
}

// Behind a trusted proxy the client is the rightmost address it did not
// add itself: what the client wrote before it is not believed.
func TestForwardedForFromATrustedProxy(t *testing.T) {
	s := newSite(t, func(h *web.Handler) { h.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	code := string(s.Seeded.Codes[0])
	for i := range 4 {
		forwarded := fmt.Sprintf("10.9.9.9, 203.0.113.%d, 127.0.0.2", i) // the first is the client's own claim
		if status := s.request(t, "POST", "/t/"+code+"/feedback", forwarded, url.Values{"text": {"ngon"}}); status != 200 {
			t.Fatalf("feedback from client %d behind the proxy: %d", i, status)
		}
	}
	clients := map[core.URN]bool{}
	for _, m := range s.Inbound(t) {
		if m.Channel == "web" {
			clients[m.URN] = true
		}
	}
	if n := len(clients); n != 4 {
		t.Fatalf("4 clients behind the proxy counted as %d", n)
	}
}

// One client cannot walk the code space: past its lookups a minute it is
// told to slow down, and nothing is recorded, however many gateway
// processes it spreads its requests over.
func TestLookupsPerClientAreLimited(t *testing.T) {
	s := newSite(t, func(h *web.Handler) { h.LookupsPerMinute = 5 })
	other := s.secondProcess(t, func(h *web.Handler) { h.LookupsPerMinute = 5 })
	code := string(s.Seeded.Codes[0])
	for i := range 5 {
		site := s
		if i%2 == 1 {
			site = other
		}
		if status := site.request(t, "GET", "/t/"+code, "", nil); status != 200 {
			t.Fatalf("lookup %d: %d", i, status)
		}
	}
	if status := other.request(t, "GET", "/t/"+code, "", nil); status != http.StatusTooManyRequests {
		t.Fatalf("the 6th lookup in a minute: %d", status)
	}
	if n := len(s.Lookups(t)); n != 5 {
		t.Fatalf("%d lookups recorded, want 5", n)
	}
}

// An IPv6 client holds a whole /64 (one phone on 4G has 2^64 addresses):
// it is one sender however many of them it uses, for suspicion, for the
// feedback limit and for the lookup limit.
func TestIPv6ClientIsItsPrefix(t *testing.T) {
	s := newSite(t, func(h *web.Handler) {
		h.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		h.LookupsPerMinute = 20
	})
	code, other := string(s.Seeded.Codes[0]), string(s.Seeded.Codes[1])
	passed := 0
	for i := range 6 {
		if s.request(t, "POST", "/t/"+code+"/feedback", fmt.Sprintf("2001:db8:7:1::%x", i+1), url.Values{"text": {"ngon"}}) == 200 {
			passed++
		}
	}
	if passed != 3 {
		t.Fatalf("%d of 6 feedbacks from one /64 passed, want 3", passed)
	}
	for i := range 11 {
		s.request(t, "GET", "/t/"+other, fmt.Sprintf("2001:db8:7:1:%x::1", i), nil)
	}
	s.request(t, "GET", "/t/"+other, "2001:db8:7:2::1", nil) // the next /64: someone else
	if n := senders(s.Lookups(t), other); n != 2 {
		t.Fatalf("views from two /64s counted as %d senders", n)
	}
	statuses := map[int]int{}
	for i := range 10 {
		statuses[s.request(t, "GET", "/t/"+other, fmt.Sprintf("2001:db8:7:1::%x", 0x100+i), nil)]++
	}
	if statuses[http.StatusTooManyRequests] != 1 {
		t.Fatalf("lookups from one /64 past its 20 a minute: %v", statuses)
	}
}
