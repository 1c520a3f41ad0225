package sms_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog/smstext"
	"tracegate/bots/sms"
	"tracegate/bots/sms/kanneltest"
	"tracegate/core"
)

// Through a real Kannel: phones on Kannel's fake SMSC write to the short
// code, Kannel calls our get-url, and our replies go back through sendsms
// to the phones, with Kannel's delivery reports landing on them.
func TestRealKannel(t *testing.T) {
	if ok, why := kanneltest.Available(); !ok {
		t.Skip(why)
	}
	w := newWorld(t)
	getURL := w.Gateway.URL + "/sms/kannel?secret=" + kannelSecret +
		"&sender=%p&receiver=%P&text=%b&id=%I&time=%t&coding=%c&charset=%C"
	kannel := kanneltest.Start(t, kanneltest.Options{GetURL: getURL, Username: "tracegate", Password: "pw"})
	k := sms.NewKannel(sms.KannelConfig{SendsmsURL: kannel.SendsmsURL(), Username: "tracegate", Password: "pw",
		From: "8079", Secret: kannelSecret, PublicBaseURL: w.Gateway.URL, Policy: smstext.Auto})
	w.run(t, map[string]channel.Channel{"kannel": k}, "kannel", func(p *channel.Pipeline) http.Handler {
		return k.Handler(p, channeltest.Discard())
	})

	code := string(w.Codes[25])
	steps := []struct {
		from, text string
		want       []string // in the replies that reach the phones, accents off
	}{
		{farmerPhone, "KH L1 21-30", []string{"10 tem"}},
		{consumerPhone, code, []string{"chinh hang", "/t/" + code}},
		{consumerPhone, "GY " + code + " Mật ong thơm", []string{"Cam on Quy khach", "Mat ong thom"}},
	}
	received := 0
	for i, st := range steps {
		if err := kannel.Inject(st.from, "8079", st.text); err != nil {
			t.Fatal(err)
		}
		w.waitInbound(t, i+1)
		n := len(w.Settle(t))
		got, err := kannel.WaitReceived(n, 30*time.Second)
		if err != nil {
			t.Fatalf("after %q: %v", st.text, err)
		}
		var texts []string
		for _, s := range got[received:] {
			texts = append(texts, s.To+": "+smstext.Plain(s.Text))
		}
		received = len(got)
		for _, want := range st.want {
			if !strings.Contains(strings.Join(texts, "\n"), want) {
				t.Fatalf("after %q the phones got %q, nothing with %q", st.text, texts, want)
			}
		}
	}
	if n := channeltest.Count(w.Stamps(t, 21, 30), activated); n != 10 {
		t.Fatalf("%d stamps activated", n)
	}
	if channeltest.Count(w.Feedback(t), bodyIs("Mật ong thơm")) != 1 {
		t.Fatal("the Vietnamese feedback did not arrive as sent")
	}
	// Kannel reports each delivery back to the dlr-url.
	deadline := time.Now().Add(20 * time.Second)
	undelivered := func(m *core.Message) bool { return m.Status != core.StatusDelivered }
	for channeltest.Count(w.Outbound(t), undelivered) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not every message was reported delivered: %v", channeltest.ByStatus(w.Settle(t)))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitInbound waits until n inbound messages are stored: Kannel calls the
// get-url on its own time.
func (w *world) waitInbound(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(w.Inbound(t)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("Kannel delivered fewer than %d messages", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
