package sms_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// A farmer opens a lot, keeps its diary, activates stamps and closes the
// lot, and a consumer looks a code up and sends feedback, entirely by SMS
// through each provider.
func TestWholeFlowsBySMS(t *testing.T) {
	providers := map[string]func(w *world, t *testing.T, n int, from, text string) (replies func() []string){
		"twilio": func(w *world, t *testing.T, n int, from, text string) func() []string {
			if status, _ := w.post(t, "/sms/twilio", twilioInbound(fmt.Sprintf("SM%d", n), from, text)); status != 200 {
				t.Fatalf("%q: %d", text, status)
			}
			return nil
		},
		"kannel": func(w *world, t *testing.T, n int, from, text string) func() []string {
			coding, charset, body := "0", "ISO-8859-1", text
			if smstext.Count(text).Encoding == smstext.UCS2 {
				coding, charset, body = "2", "UTF-16BE", ucs2(text)
			}
			if status := w.getURL(t, kannelQuery(fmt.Sprintf("k%d", n), from, body, coding, charset)); status != 200 {
				t.Fatalf("%q: %d", text, status)
			}
			return nil
		},
	}
	for name, send := range providers {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			var sent func() []string
			if name == "twilio" {
				fake := newFakeTwilio(t)
				w.twilio(t, fake)
				sent = func() []string { return bodies(fake.messages(), "Body") }
			} else {
				fake := newFakeSendsms(t)
				w.kannel(t, fake, smstext.Auto)
				sent = func() []string { return bodies(fake.sent(), "text") }
			}
			steps := []struct{ from, text, reply string }{
				{farmerPhone, "LO MOI MATONG vụ hè", "L2"},
				{farmerPhone, "NK L2 BON NPK 20kg", "20 kg"},
				{farmerPhone, "nhật ký L2 thu hoạch 2,5 tạ", "2,5"},
				{farmerPhone, "KH L2 21-30", "10 tem"},
				{farmerPhone, "MUA L2 phân NPK 20 kg TỪ Đại lý Hai Lúa LÔ A7", "Da ghi dau vao lo L2: phan NPK 20 kg, tu Dai ly Hai Lua (lo A7)"},
				{farmerPhone, "BAN L2 10 chai CHO Co.op Ca Mau", "phieu so 1"},
				{farmerPhone, "LO DONG L2", "Da dong lo L2"},
				{farmerPhone, "NK L2 BON 5kg", "Lo L2 da dong"},
				{consumerPhone, w.Codes[20].Printed(), "chinh hang"},
				{consumerPhone, "GY " + string(w.Codes[20]) + " Mật ong thơm lắm", "gop y"},
			}
			for i, st := range steps {
				send(w, t, i, st.from, st.text)
				w.Settle(t)
				got := sent()
				if len(got) == 0 || !strings.Contains(smstext.Plain(strings.Join(got, "\n")), st.reply) {
					t.Fatalf("after %q no reply says %q: %q", st.text, st.reply, got)
				}
			}
			if n := len(w.Entries(t, "L2")); n != 2 {
				t.Fatalf("L2 has %d diary entries", n)
			}
			if n := len(w.StampsOn(t, "L2")); n != 10 {
				t.Fatalf("L2 has %d stamps", n)
			}
			if channeltest.Count(w.Feedback(t), bodyIs("Mật ong thơm lắm")) != 1 {
				t.Fatal("the feedback was not stored as sent")
			}
			sentNotice := func(m *core.Message) bool { return m.Kind == core.KindNotice && m.Status == core.StatusSent }
			if n := channeltest.Count(w.Messages(t), sentNotice); n != 1 {
				t.Fatal("the feedback did not reach the farmer")
			}
			// The lot is recalled: the consumer who looked it up is told, and
			// the next lookup says so first.
			for i, st := range []struct{ from, text, reply string }{
				{farmerPhone, "THUHOI L2 nhiễm khuẩn", "Da thu hoi lo L2"},
				{"0977000099", string(w.Codes[20]), "THU HOI: tem " + w.Codes[20].Printed()},
			} {
				send(w, t, 100+i, st.from, st.text)
				w.Settle(t)
				begins := func(body string) bool { return strings.HasPrefix(smstext.Plain(body), st.reply) }
				if got := sent(); !slices.ContainsFunc(got, begins) {
					t.Fatalf("after %q no message begins %q: %q", st.text, st.reply, got)
				}
			}
			toldConsumer := func(m *core.Message) bool {
				return m.Kind == core.KindNotice && m.URN == core.URN("tel:"+consumerPhone) && strings.Contains(smstext.Plain(m.Text), "THU HOI")
			}
			if channeltest.Count(w.Messages(t), toldConsumer) != 1 {
				t.Fatal("the consumer who looked the lot up was not told of its recall")
			}
		})
	}
}

// bodyIs matches feedback stored exactly as sent.
func bodyIs(body string) func(*core.Feedback) bool {
	return func(f *core.Feedback) bool { return f.Body == body }
}

// activated matches stamps on a lot.
func activated(s *core.StampInfo) bool { return s.State == core.StampActivated }

func bodies(msgs []url.Values, field string) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Get(field)
	}
	return out
}
