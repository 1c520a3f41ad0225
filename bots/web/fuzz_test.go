package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"tracegate/bots/web"
)

// Whatever a stranger puts in the page's path and the feedback form, the
// answer is never a 5xx.
//
//	go test ./bots/web -run '^$' -fuzz FuzzPageAndFeedback -fuzztime 60s
func FuzzPageAndFeedback(f *testing.F) {
	f.Add("KM5T8FK81", "Mật ong ngon", "203.0.113.9")
	f.Add("4K7M-2QX9-5", "hai\x00", "1.2.3.4, 127.0.0.1")
	f.Add("%FF%00", "\xff\xfe", "not an address")
	f.Add("KM5T8FK81", "ngon", "2001:db8:7:1::1, fe80::1%eth0")
	f.Add(strings.Repeat("Z", 500), strings.Repeat("ạ", 1200), "")
	s := newSite(f, func(h *web.Handler) {
		h.LookupsPerMinute = 1 << 30
		h.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} // X-Forwarded-For is read
	})
	f.Fuzz(func(t *testing.T, code, text, forwarded string) {
		path := "/t/" + url.PathEscape(code)
		for _, req := range []*http.Request{
			mustRequest(t, "GET", s.srv.URL+path, ""),
			mustRequest(t, "POST", s.srv.URL+path+"/feedback", url.Values{"text": {text}}.Encode()),
		} {
			if sendable(forwarded) {
				req.Header.Set("X-Forwarded-For", forwarded)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Fatalf("%s %s: %d (text %q)", req.Method, req.URL.Path, res.StatusCode, text)
			}
		}
	})
}

func mustRequest(t *testing.T, method, target, form string) *http.Request {
	req, err := http.NewRequest(method, target, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// sendable says whether net/http's client would send v as a header value
// at all: no control characters but tab.
func sendable(v string) bool {
	return !strings.ContainsFunc(v, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f })
}
