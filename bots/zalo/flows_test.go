package zalo_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/sms"
	"tracegate/bots/sms/twiliotest"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

const (
	accountSID = "AC00000000000000000000000000000001"
	authToken  = "0123456789abcdef0123456789abcdef"
	ourNumber  = "+15005550006"
	farmerTel  = "+84912345678"
)

// both is the cooperative on a gateway with Zalo and Twilio: the farmer
// links her Zalo account from her phone, and a notice Zalo will not take
// goes to that phone.
type both struct {
	*world
	twilio *twiliotest.Server
	n      int // events posted, for their msg_ids
}

func newBoth(t *testing.T) *both {
	t.Helper()
	w := &world{World: channeltest.New(t, pgtest.Seed{Stamps: 50}), zalo: newFakeZalo(t)}
	w.seed = w.zalo.seed()
	tw := twiliotest.New(accountSID) // a long code: one SMS a second, as Twilio sends them
	t.Cleanup(tw.Close)
	w.Sign = func(r *http.Request, req channeltest.Request) {
		if strings.HasPrefix(r.URL.Path, "/sms/twilio") {
			r.Header.Set("X-Twilio-Signature", twiliotest.Sign(authToken, r.URL.String(), req.Form))
			return
		}
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-ZEvent-Signature", "mac="+sign(t, req.Body))
	}
	z := w.channel()
	tel := sms.NewTwilio(sms.TwilioConfig{AccountSID: accountSID, AuthToken: authToken, From: ourNumber,
		APIBase: tw.URL, PublicBaseURL: w.Gateway.URL, Every: time.Second})
	cfg := config(z)
	cfg.Channels[tel.Name()], cfg.Routes["tel"] = tel, tel.Name()
	w.Start(t, cfg, func(p *channel.Pipeline) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/zalo/", z.Handler(p, channeltest.Discard()))
		mux.Handle("/sms/twilio", tel.Handler(p, channeltest.Discard()))
		mux.Handle("/sms/twilio/", tel.Handler(p, channeltest.Discard()))
		return mux
	})
	return &both{world: w, twilio: tw}
}

// zaloSays is the user writing to the OA, which opens their interaction
// window as it does on Zalo, and waits for what it causes to be sent.
func (b *both) zaloSays(t *testing.T, user string, event func(msgID string) string) {
	t.Helper()
	b.n++
	b.zalo.interact(user)
	if status, body := b.Do(t, webhook(event(fmt.Sprintf("zmsg%04d", b.n)))); status != 200 {
		t.Fatalf("zalo event %d: %d %s", b.n, status, body)
	}
	b.Settle(t)
}

func (b *both) zaloText(t *testing.T, user, text string) {
	t.Helper()
	b.zaloSays(t, user, func(id string) string { return textEvent(id, user, text) })
}

// smsSays is the phone texting the gateway's Twilio number.
func (b *both) smsSays(t *testing.T, from, text string) {
	t.Helper()
	b.n++
	form := twiliotest.Inbound(accountSID, ourNumber, fmt.Sprintf("SM%032d", b.n), from, text)
	if status, body := b.Do(t, channeltest.Request{Path: "/sms/twilio", Form: form}); status != 200 {
		t.Fatalf("sms %d: %d %s", b.n, status, body)
	}
	b.Settle(t)
}

// lastZalo is the last text Zalo took for user.
func (b *both) lastZalo(t *testing.T, user string) string {
	t.Helper()
	var last string
	for _, s := range b.zalo.texts() {
		if s.User == user {
			last = s.Text
		}
	}
	return last
}

// lastSMS is the last SMS Twilio took for a phone.
func (b *both) lastSMS(t *testing.T, to string) string {
	t.Helper()
	var last string
	for _, m := range b.twilio.Messages() {
		if m.Form.Get("To") == to {
			last = m.Form.Get("Body")
		}
	}
	return last
}

func wantSaid(t *testing.T, step, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Fatalf("%s: answered %q, want it to say %q", step, got, w)
		}
	}
}

var linkCodeIn = regexp.MustCompile(`(?:Ma lien ket|Mã liên kết): ([0-9]{6})`)

// The farmer's whole season over Zalo: her account linked by the code
// her phone got, a lot opened, an entry with a photo and then its place,
// stamps activated.
func TestFarmerOnZalo(t *testing.T) {
	b := newBoth(t)
	farmer := core.URN("zalo:" + farmerID)

	b.zaloText(t, farmerID, "NK L1 BON 20kg")
	wantSaid(t, "before linking", b.lastZalo(t, farmerID), "chưa liên kết", "LIENKET")

	b.smsSays(t, farmerTel, "LIENKET")
	m := linkCodeIn.FindStringSubmatch(b.lastSMS(t, farmerTel))
	if m == nil {
		t.Fatalf("LIENKET answered %q, want a code", b.lastSMS(t, farmerTel))
	}
	b.zaloText(t, farmerID, m[1])
	wantSaid(t, "the code", b.lastZalo(t, farmerID), "Đã liên kết tài khoản với Chị Lan", "Zalo")
	if got := b.Member(t, farmer); got == nil || got.ID != b.Seeded.Farmer.ID {
		t.Fatalf("the Zalo account belongs to %+v", got)
	}

	b.zaloText(t, farmerID, "LO MOI MATONG vu he")
	wantSaid(t, "open a lot", b.lastZalo(t, farmerID), "L2")
	photo := b.zalo.openapi.URL + "/cdn/honey.jpg"
	b.zaloSays(t, farmerID, func(id string) string { return imageEvent(id, farmerID, "NK L2 THU 30kg", photo) })
	wantSaid(t, "a photo with the entry", b.lastZalo(t, farmerID), "Đã ghi nhật ký lô L2", "30 kg")
	b.zaloSays(t, farmerID, func(id string) string { return locationEvent(id, farmerID, 9.1769, 105.1524) })
	wantSaid(t, "its place", b.lastZalo(t, farmerID), "Đã thêm vị trí vào nhật ký lô L2")
	b.zaloText(t, farmerID, "KH L2 11-20")
	wantSaid(t, "activate", b.lastZalo(t, farmerID), "10")

	entries := b.Entries(t, "L2")
	if len(entries) != 1 || len(entries[0].Photos) != 1 || entries[0].Photos[0] != "zalo:"+photo ||
		entries[0].Location == nil || entries[0].Location.Lat != 9.1769 || entries[0].Channel != "zalo" {
		t.Fatalf("L2's diary %+v", entries)
	}
	if on := b.StampsOn(t, "L2"); len(on) != 10 {
		t.Fatalf("%d stamps on L2, want 10", len(on))
	}
	logSession(t, b, farmer, "tel:"+farmerTel)
}

// A consumer on Zalo looks a stamp up and sends feedback; the farmer,
// on Zalo, is told and answers; the answer comes back on Zalo. Once her
// Zalo window has closed, the next notice reaches her by SMS.
func TestConsumerOnZalo(t *testing.T) {
	b := newBoth(t)
	code := string(b.Codes[0])
	b.smsSays(t, farmerTel, "LIENKET")
	b.zaloText(t, farmerID, linkCodeIn.FindStringSubmatch(b.lastSMS(t, farmerTel))[1])

	b.zaloText(t, consumerID, code)
	wantSaid(t, "lookup", b.lastZalo(t, consumerID), "chính hãng", "https://truyxuat.example.vn/t/"+code)
	b.zaloText(t, consumerID, "GY "+code+" Mật ong thơm, lần sau mua nữa")
	wantSaid(t, "feedback", b.lastZalo(t, consumerID), "Cảm ơn")
	notice := b.lastZalo(t, farmerID)
	wantSaid(t, "the farmer's notice", notice, "Mật ong thơm", "Zalo …357")
	id := regexp.MustCompile(`TL ([0-9]+)`).FindStringSubmatch(notice)
	if id == nil {
		t.Fatalf("notice %q names no feedback id", notice)
	}
	b.zaloText(t, farmerID, "TL "+id[1]+" Cảm ơn anh đã ủng hộ")
	wantSaid(t, "the answer relayed", b.lastZalo(t, consumerID), "Cảm ơn anh đã ủng hộ")

	// Zalo's window for the farmer closes: the notice fails there and goes
	// to her phone, once.
	b.zalo.closeWindow(farmerID)
	b.zaloText(t, consumerID, "GY "+code+" Hũ thứ hai cũng ngon")
	wantSaid(t, "the notice by SMS", b.lastSMS(t, farmerTel), "Hu thu hai cung ngon")
	var failed []*core.Message
	for _, m := range b.OutboundOf(t, "zalo:"+farmerID) {
		if m.Status == core.StatusFailed {
			failed = append(failed, m)
		}
	}
	if len(failed) != 1 || !strings.Contains(failed[0].Error, "interaction window") ||
		!strings.Contains(failed[0].Error, "sent to tel:"+farmerTel+" by twilio instead") {
		t.Fatalf("failed on Zalo %+v, want the notice with the phone named", failed)
	}
	if late := b.twilio.Late(); late != 0 {
		t.Fatalf("%d SMS came faster than the long code sends", late)
	}
	logSession(t, b, "zalo:"+consumerID, "zalo:"+farmerID, "tel:"+farmerTel)
}

// A consumer has no phone behind their Zalo account: a notice Zalo will
// not take fails with the reason, and nothing goes by SMS.
func TestClosedWindowWithoutAPhone(t *testing.T) {
	b := newBoth(t)
	code := string(b.Codes[0])
	b.zaloText(t, consumerID, "GY "+code+" ngon")
	fb := b.Feedback(t)
	b.zalo.closeWindow(consumerID)
	b.smsSays(t, farmerTel, fmt.Sprintf("TL %d Cảm ơn", fb[0].ID))
	out := b.OutboundOf(t, "zalo:"+consumerID)
	last := out[len(out)-1]
	if last.Status != core.StatusFailed || !strings.Contains(last.Error, "interaction window") || strings.Contains(last.Error, "instead") {
		t.Fatalf("the relayed answer %+v, want it failed naming the window", last)
	}
	for _, m := range b.twilio.Messages() {
		if m.Form.Get("To") != farmerTel {
			t.Fatalf("an SMS went to %s: %q", m.Form.Get("To"), m.Form.Get("Body"))
		}
	}
}

// logSession prints the conversations as Zalo and the phone showed them,
// for the closing note.
func logSession(t *testing.T, b *both, urns ...core.URN) {
	t.Helper()
	for _, urn := range urns {
		t.Logf("--- %s", urn)
		for _, m := range b.History(t, urn) {
			arrow := "<"
			if m.Direction == "in" {
				arrow = ">"
			}
			t.Logf("%s %s", arrow, strings.ReplaceAll(m.Text, "\n", "\n  "))
		}
	}
}
