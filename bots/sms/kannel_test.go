package sms_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog/smstext"
	"tracegate/bots/sms"
	"tracegate/core"
)

const kannelSecret = "kannel-shared-secret"

// fakeSendsms is smsbox's sendsms on loopback: it records every request
// and answers as Kannel does.
type fakeSendsms struct {
	srv *httptest.Server

	mu       sync.Mutex
	statuses []int
	got      []url.Values
	latency  channeltest.Latency // before each answer
}

func newFakeSendsms(t testing.TB, statuses ...int) *fakeSendsms {
	f := &fakeSendsms{statuses: statuses}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		status := http.StatusAccepted
		if len(f.statuses) > 0 {
			status, f.statuses = f.statuses[0], f.statuses[1:]
		}
		if status == http.StatusAccepted {
			f.got = append(f.got, r.URL.Query())
		}
		f.mu.Unlock()
		f.latency.Wait() // sendsms blocks until smsbox has queued it
		w.WriteHeader(status)
		fmt.Fprint(w, map[int]string{202: "0: Accepted for delivery", 403: "Authorization failed for sendsms",
			503: "Temporal failure, try again later.", 400: "Missing receiver number"}[status])
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSendsms) sent() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.got...)
}

func (w *world) kannel(t testing.TB, fake *fakeSendsms, policy smstext.Policy) *sms.Kannel {
	t.Helper()
	k := sms.NewKannel(sms.KannelConfig{SendsmsURL: fake.srv.URL + "/cgi-bin/sendsms", Username: "tracegate",
		Password: "pw", From: "8079", Secret: kannelSecret, PublicBaseURL: w.Gateway.URL, Policy: policy})
	w.run(t, map[string]channel.Channel{"kannel": k}, "kannel", func(p *channel.Pipeline) http.Handler {
		return k.Handler(p, channeltest.Discard())
	})
	return k
}

// getURL is a request from Kannel's sms-service get-url.
func (w *world) getURL(t testing.TB, q url.Values) int {
	t.Helper()
	status, _ := w.Do(t, kannelGet(q))
	return status
}

// kannelGet is a request from the get-url.
func kannelGet(q url.Values) channeltest.Request {
	return channeltest.Request{Method: http.MethodGet, Path: "/sms/kannel", Form: q}
}

// kannelQuery is what the get-url `?secret=...&sender=%p&receiver=%P&
// text=%a&id=%I&time=%t&coding=%c&charset=%C` carries.
func kannelQuery(id, sender, text, coding, charset string) url.Values {
	return url.Values{"secret": {kannelSecret}, "sender": {sender}, "receiver": {"8079"}, "text": {text},
		"id": {id}, "time": {"2026-11-28 14:00:00"}, "coding": {coding}, "charset": {charset}}
}

// ucs2 is text as Kannel passes a UCS-2 message: UTF-16BE bytes.
func ucs2(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u >> 8))
		b.WriteByte(byte(u))
	}
	return b.String()
}

func TestKannelInbound(t *testing.T) {
	w := newWorld(t)
	w.kannel(t, newFakeSendsms(t), smstext.Auto)
	genuine := string(w.Codes[0])
	stored := func(urn core.URN, text, id string) *channeltest.In {
		return &channeltest.In{URN: urn, Text: text, ProviderID: id}
	}
	tests := []channeltest.Case{
		{Name: "farmer activates, GSM text", Request: kannelGet(kannelQuery("a1", "+84912345678", "KH L1 11-20", "0", "ISO-8859-1")), Status: 200,
			In: stored("tel:+84912345678", "KH L1 11-20", "a1")},
		{Name: "Vietnamese in UCS-2", Request: kannelGet(kannelQuery("a2", "84977000001", ucs2("GY "+genuine+" Mật ong rất thơm 🍯"), "2", "UTF-16BE")), Status: 200,
			In: stored("tel:+84977000001", "GY "+genuine+" Mật ong rất thơm 🍯", "a2")},
		{Name: "Vietnamese in UTF-8", Request: kannelGet(kannelQuery("a3", "0977000002", "tra cứu "+genuine, "2", "UTF-8")), Status: 200,
			In: stored("tel:+84977000002", "tra cứu "+genuine, "a3")},
		{Name: "Latin-1 accents", Request: kannelGet(kannelQuery("a4", "0977000003", "caf\xe9", "0", "ISO-8859-1")), Status: 200,
			In: stored("tel:+84977000003", "café", "a4")},
		{Name: "retried by Kannel", Request: kannelGet(kannelQuery("a1", "+84912345678", "KH L1 11-20", "0", "ISO-8859-1")), Status: 200},
		{Name: "wrong secret", Request: kannelGet(func() url.Values {
			q := kannelQuery("a5", "0977000001", "HD", "0", "")
			q.Set("secret", "guess")
			return q
		}()), Status: 403},
		{Name: "no secret", Request: kannelGet(func() url.Values { q := kannelQuery("a6", "0977000001", "HD", "0", ""); q.Del("secret"); return q }()), Status: 403},
		{Name: "no id", Request: kannelGet(kannelQuery("", "0977000001", "HD", "0", "")), Status: 400},
		{Name: "sender is not a phone", Request: kannelGet(kannelQuery("a7", "VIETTEL", "HD", "0", "")), Status: 400},
		{Name: "NUL in UCS-2", Request: kannelGet(kannelQuery("b1", "0977000011", ucs2("HD\x00"), "2", "UTF-16BE")), Status: 200,
			In: stored("tel:+84977000011", "HD", "b1")},
		{Name: "invalid UTF-8", Request: kannelGet(kannelQuery("b2", "0977000012", "HD \xff", "0", "UTF-8")), Status: 200,
			In: stored("tel:+84977000012", "HD \uFFFD", "b2")},
		{Name: "decomposed accents", Request: kannelGet(kannelQuery("b3", "0977000013", norm.NFD.String("Mật ong"), "0", "UTF-8")), Status: 200,
			In: stored("tel:+84977000013", "Mật ong", "b3")},
		{Name: "WINDOWS-1252", Request: kannelGet(kannelQuery("b4", "0977000014", "50\x80", "0", "WINDOWS-1252")), Status: 200,
			In: stored("tel:+84977000014", "50€", "b4")},
		{Name: "UTF16-BE spelled without a dash", Request: kannelGet(kannelQuery("b5", "0977000015", ucs2("Mật ong"), "3", "UTF16-BE")), Status: 200,
			In: stored("tel:+84977000015", "Mật ong", "b5")},
		{Name: "UCS-2 spelled UCS2", Request: kannelGet(kannelQuery("b6", "0977000016", ucs2("Tôm"), "2", "ucs2")), Status: 200,
			In: stored("tel:+84977000016", "Tôm", "b6")},
		{Name: "an id no database keeps", Request: kannelGet(kannelQuery(strings.Repeat("9", 300), "0977000017", "HD", "0", "")), Status: 400},
		{Name: "an id with a NUL", Request: kannelGet(kannelQuery("b8\x00", "0977000018", "HD", "0", "")), Status: 400},
	}
	channeltest.Run(t, w.World, tests)
	w.Settle(t)
	if n := channeltest.Count(w.Stamps(t, 11, 20), activated); n != 10 {
		t.Fatalf("KH by Kannel activated %d stamps", n)
	}
	if channeltest.Count(w.Feedback(t), bodyIs("Mật ong rất thơm 🍯")) != 1 {
		t.Fatal("the UCS-2 feedback was not stored as sent")
	}
	// A query no body limit sees is refused all the same.
	if status := w.getURL(t, kannelQuery("b9", "0977000019", strings.Repeat("a", 70<<10), "0", "")); status != http.StatusRequestURITooLong {
		t.Fatalf("a 70 KiB query: status %d", status)
	}
	// A POST from Kannel's post-url works the same.
	if status, body := w.Do(t, channeltest.Request{Path: "/sms/kannel", Form: kannelQuery("a8", "0977000004", "HD", "0", "")}); status != 200 {
		t.Fatalf("POST: %d %s", status, body)
	}
}

// Replies leave through sendsms: UCS-2 when accented, GSM otherwise, with
// a dlr-url whose reports update the message.
func TestKannelSendAndDeliveryReports(t *testing.T) {
	for _, policy := range []smstext.Policy{smstext.Keep, smstext.Strip} {
		t.Run(policy.String(), func(t *testing.T) {
			w := newWorld(t)
			fake := newFakeSendsms(t, http.StatusServiceUnavailable)
			w.kannel(t, fake, policy)
			w.getURL(t, kannelQuery("in1", "0977000001", string(w.Codes[0]), "0", ""))
			out := w.Settle(t)
			sent := fake.sent()
			if len(out) != 1 || out[0].Status != core.StatusSent || len(sent) != 1 {
				t.Fatalf("outbound %+v, sendsms got %v", out, sent)
			}
			q := sent[0]
			wantCoding := map[smstext.Policy]string{smstext.Keep: "2", smstext.Strip: "0"}[policy]
			if q.Get("to") != "+84977000001" || q.Get("from") != "8079" || q.Get("username") != "tracegate" ||
				q.Get("coding") != wantCoding || q.Get("charset") != "UTF-8" || q.Get("dlr-mask") != "31" {
				t.Fatalf("sendsms got %v", q)
			}
			if policy == smstext.Keep && !strings.Contains(q.Get("text"), "chính hãng") {
				t.Fatalf("accents lost under keep: %q", q.Get("text"))
			}
			t.Logf("lookup reply under %s: %d SMS\n%s", policy, smstext.Count(q.Get("text")).Parts, q.Get("text"))
			// Kannel fills %d and %A and calls back.
			dlr := strings.NewReplacer("%d", "8", "%A", "ACK").Replace(q.Get("dlr-url"))
			for _, typ := range []string{"8", "1"} {
				res, err := http.Get(strings.Replace(dlr, "type=8", "type="+typ, 1))
				if err != nil || res.StatusCode != 200 {
					t.Fatalf("dlr type %s: %v %v", typ, res, err)
				}
			}
			if got := w.Settle(t); got[0].Status != core.StatusDelivered {
				t.Fatalf("after the delivery report: %s", got[0].Status)
			}
			bad := strings.Replace(dlr, "secret="+kannelSecret, "secret=nope", 1)
			if res, _ := http.Get(bad); res.StatusCode != 403 {
				t.Fatalf("a dlr with a wrong secret got %d", res.StatusCode)
			}
		})
	}
}

func TestKannelSendRefused(t *testing.T) {
	w := newWorld(t)
	w.kannel(t, newFakeSendsms(t, http.StatusForbidden), smstext.Auto)
	w.getURL(t, kannelQuery("in1", "0977000001", "HD", "0", ""))
	if out := w.Settle(t); out[0].Status != core.StatusFailed || !strings.Contains(out[0].Error, "Authorization failed") {
		t.Fatalf("outbound %+v", out)
	}
}
