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
)

// A reply goes back by the provider its message came in by; a notice to a
// phone goes by the provider that person last wrote through, else by the
// default.
func TestRoutingBetweenProviders(t *testing.T) {
	w := newWorld(t)
	twilioFake, kannelFake := newFakeTwilio(t), newFakeSendsms(t)
	tw := sms.NewTwilio(sms.TwilioConfig{AccountSID: accountSID, AuthToken: authToken, From: ourNumber,
		APIBase: twilioFake.URL, PublicBaseURL: w.Gateway.URL, Every: time.Millisecond})
	k := sms.NewKannel(sms.KannelConfig{SendsmsURL: kannelFake.srv.URL, Username: "u", Password: "p", From: "8079",
		Secret: kannelSecret, PublicBaseURL: w.Gateway.URL, Policy: smstext.Auto})
	w.run(t, map[string]channel.Channel{"twilio": tw, "kannel": k}, "twilio", func(p *channel.Pipeline) http.Handler {
		log := channeltest.Discard()
		mux := http.NewServeMux()
		mux.Handle("/sms/twilio", tw.Handler(p, log))
		mux.Handle("/sms/kannel", k.Handler(p, log))
		return mux
	})
	code := string(w.Codes[0])

	// The farmer has written by the short code; the consumer by Twilio.
	w.getURL(t, kannelQuery("k1", farmerPhone, "LO", "0", ""))
	w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, "GY "+code+" ngon"))
	w.Settle(t)
	toFarmer := kannelFake.sent()
	notices := 0
	for _, q := range toFarmer {
		if q.Get("to") == farmerPhone && strings.Contains(q.Get("text"), "ngon") {
			notices++
		}
	}
	if len(toFarmer) != 2 || toFarmer[0].Get("to") != farmerPhone || toFarmer[1].Get("to") != farmerPhone || notices != 1 {
		t.Fatalf("the farmer's reply and notice did not both go by Kannel: %v", toFarmer)
	}
	twilioMsgs := twilioFake.messages()
	if len(twilioMsgs) != 1 || twilioMsgs[0].Get("To") != consumerPhone {
		t.Fatalf("the consumer's reply did not go by Twilio: %v", twilioMsgs)
	}

	// The farmer answers by Twilio this time: the answer reaches the
	// consumer by Twilio, the provider they last wrote through.
	w.post(t, "/sms/twilio", twilioInbound("SM2", farmerPhone, "TL 1 Cảm ơn"))
	w.Settle(t)
	answered := 0
	for _, m := range twilioFake.messages() {
		if m.Get("To") == consumerPhone && strings.Contains(smstext.Plain(m.Get("Body")), "tra loi gop y cua Quy khach") {
			answered++
		}
	}
	if answered != 1 || len(twilioFake.messages()) != 3 {
		t.Fatalf("Twilio sends: %v", twilioFake.messages())
	}
}
