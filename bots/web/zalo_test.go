package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog"
	"tracegate/bots/web"
	"tracegate/core"
)

// zaloSend posts text as a Zalo user from the simulator's Zalo pane and
// returns the status and the page it ends on.
func (s *site) zaloSend(t *testing.T, user, text string) (int, string) {
	t.Helper()
	res, err := http.PostForm(s.srv.URL+"/dev/phone?app=zalo", url.Values{"user": {user}, "text": {text}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// The Zalo pane: a Zalo user's help and lookup answered as Zalo's channel
// lays them out (accents kept, the link whole), sized in characters, not
// SMS; the SMS pane is a link away.
func TestZaloPane(t *testing.T) {
	s := newSite(t)
	res, page := s.get(t, "/dev/phone?app=zalo")
	if res.StatusCode != 200 || !strings.Contains(page, `class="phone zalo"`) || !strings.Contains(page, `value="`+web.ZaloFarmer+`"`) ||
		!strings.Contains(page, `value="`+web.ZaloConsumer+`"`) || !strings.Contains(page, `<a href="/dev/phone">SMS</a>`) {
		t.Fatalf("the Zalo pane: %d\n%s", res.StatusCode, page)
	}
	if _, sms := s.get(t, "/dev/phone"); !strings.Contains(sms, `<a href="/dev/phone?app=zalo">Zalo</a>`) {
		t.Fatalf("the SMS pane has no way to the Zalo pane:\n%s", sms)
	}
	status, page := s.zaloSend(t, web.ZaloConsumer, "HD")
	if status != 200 || !strings.Contains(page, `<li class="oa"><pre>`) || !strings.Contains(page, "Tra cứu: gửi mã tem") ||
		!strings.Contains(page, "/2000 ký tự") || strings.Contains(page, "SMS ·") {
		t.Fatalf("HD in the Zalo pane: %d\n%s", status, page)
	}
	_, page = s.zaloSend(t, web.ZaloConsumer, string(s.Seeded.Codes[0]))
	if !strings.Contains(page, "hàng chính hãng") || !strings.Contains(page, "https://truyxuat.example.vn/t/"+string(s.Seeded.Codes[0])) {
		t.Fatalf("a lookup in the Zalo pane:\n%s", page)
	}
	consumer := core.URN("zalo:" + web.ZaloConsumer)
	out := s.OutboundOf(t, consumer)
	onSim := func(m *core.Message) bool { return m.Channel == "zalosim" && len(m.Meta) == 0 }
	if len(out) != 2 || channeltest.Count(out, onSim) != 2 || len(s.InboundOf(t, consumer)) != 2 {
		t.Fatalf("the consumer's replies are %d, %d on the simulator as Zalo's", len(out), channeltest.Count(out, onSim))
	}
	if _, page = s.get(t, "/dev/phone?app=zalo&user="+web.ZaloFarmer+"&lang=en"); strings.Contains(page, "Tra cứu") ||
		!strings.Contains(page, "Zalo ID") || !strings.Contains(page, `action="/dev/phone?app=zalo&amp;lang=en"`) {
		t.Fatalf("the farmer's Zalo, in English, shows another's chat or no English:\n%s", page)
	}
}

// A Zalo user id is 1 to 32 digits: anything else is refused, not made
// into a URN no Zalo user has.
func TestZaloPaneRefusesBadUserIDs(t *testing.T) {
	s := newSite(t)
	for _, user := range []string{"abc", "12a", "-1", "+84912345678", strings.Repeat("1", 33), "1 2", "１２"} {
		if res, _ := s.get(t, "/dev/phone?app=zalo&user="+url.QueryEscape(user)); res.StatusCode != 400 {
			t.Errorf("GET as %q: %d, want 400", user, res.StatusCode)
		}
		if status, _ := s.zaloSend(t, user, "HD"); status != 400 {
			t.Errorf("POST as %q: %d, want 400", user, status)
		}
	}
	if status, _ := s.zaloSend(t, "", "HD"); status != 400 {
		t.Errorf("POST with no user: %d, want 400", status)
	}
	if res, _ := s.get(t, "/dev/phone?app=zalo&user="+strings.Repeat("9", 32)); res.StatusCode != 200 {
		t.Errorf("a 32-digit id: %d", res.StatusCode)
	}
	if n := len(s.Inbound(t)); n != 0 {
		t.Fatalf("%d messages stored from bad ids", n)
	}
}

// With only the simulator reaching Zalo users, a notice to one is queued
// on it and rings in the pane.
func TestZaloNoticeRingsInThePane(t *testing.T) {
	s := newSite(t)
	farmer := core.URN("zalo:" + web.ZaloFarmer)
	n := dialog.Notice{To: farmer, Reply: dialog.Reply{Lang: core.LangVI, Lines: []dialog.Line{{Text: "Lô L1 đã bị thu hồi."}}}}
	if err := s.Pipe.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	onSim := func(m *core.Message) bool { return m.Kind == core.KindNotice && m.Channel == "zalosim" }
	if out := s.OutboundOf(t, farmer); len(out) != 1 || !onSim(out[0]) {
		t.Fatalf("the notice to %s is queued as %+v", farmer, out)
	}
	if _, page := s.get(t, "/dev/phone?app=zalo&user="+web.ZaloFarmer); !strings.Contains(page, "Lô L1 đã bị thu hồi.") {
		t.Fatalf("the notice does not show in the pane:\n%s", page)
	}
}

// Without the simulator's Zalo channel (as the handler is given it), the
// pane is not there.
func TestZaloPaneOffWithoutItsChannel(t *testing.T) {
	s := newSite(t, func(h *web.Handler) { h.Zalo = nil })
	if res, _ := s.get(t, "/dev/phone?app=zalo"); res.StatusCode != 404 {
		t.Errorf("GET the pane: %d, want 404", res.StatusCode)
	}
	if status, _ := s.zaloSend(t, web.ZaloConsumer, "HD"); status != 404 {
		t.Errorf("POST to the pane: %d, want 404", status)
	}
}
