package sms_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog/smstext"
)

// Whatever Twilio or a stranger with the account's signature sends, the
// webhook answers without a 5xx: the message is stored and answered, or
// refused with a 4xx.
//
//	go test ./bots/sms -run '^$' -fuzz FuzzTwilioInbound -fuzztime 60s
func FuzzTwilioInbound(f *testing.F) {
	f.Add("SM1", "+84977000001", "HD", "0", "", "")
	f.Add("SM2", "0977000002", "GY 4K7M2QX95 ngon\x00", "1", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1", "image/jpeg")
	f.Add("SM4", "0912345678", "NK L1 THU 5kg", "3", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME4", "image/png")
	f.Add("SM3\xff", "whatsapp:+84977000003", "\xff\xfe", "2", "", "text/vcard")
	f.Add(strings.Repeat("S", 300), "VIETTEL", strings.Repeat("ạ", 2000), "-1", "x", "application/pdf")
	w := newWorld(f)
	w.twilio(f, newFakeTwilio(f))
	f.Fuzz(func(t *testing.T, sid, from, body, numMedia, mediaURL, mediaType string) {
		form := twilioInbound(sid, from, body)
		form.Set("NumMedia", numMedia)
		for i := range 3 { // several media, each a copy of the fuzzed one
			form.Set(fmt.Sprintf("MediaUrl%d", i), mediaURL+strings.Repeat("/", i))
			form.Set(fmt.Sprintf("MediaContentType%d", i), mediaType)
		}
		if status, answer := w.post(t, "/sms/twilio", form); status >= 500 {
			t.Fatalf("%d %s for %q", status, answer, form)
		}
	})
}

// Whatever Kannel's get-url carries, the answer is never a 5xx: Kannel
// does not retry, so a 5xx loses the message.
//
//	go test ./bots/sms -run '^$' -fuzz FuzzKannelInbound -fuzztime 60s
func FuzzKannelInbound(f *testing.F) {
	f.Add("k1", "+84977000001", "HD", "0", "ISO-8859-1")
	f.Add("k2", "84977000002", "\x00H\x00D\x00\x00", "2", "UTF-16BE")
	f.Add("k3\x00", "0977000003", "50\x80\xff", "3", "WINDOWS-1252")
	f.Add(strings.Repeat("9", 300), "VIETTEL", "caf\xe9", "x", "no-such-charset")
	w := newWorld(f)
	w.kannel(f, newFakeSendsms(f), smstext.Auto)
	f.Fuzz(func(t *testing.T, id, sender, text, coding, charset string) {
		q := kannelQuery(id, sender, text, coding, charset)
		if status := w.getURL(t, q); status >= 500 {
			t.Fatalf("%d for %q", status, q)
		}
		dlr := url.Values{"secret": {kannelSecret}, "id": {id}, "type": {coding}, "answer": {text}}
		if status, _ := w.Do(t, channeltest.Request{Path: "/sms/kannel/dlr", Form: dlr}); status >= 500 {
			t.Fatalf("dlr: %d for id %q type %q", status, id, coding)
		}
	})
}
