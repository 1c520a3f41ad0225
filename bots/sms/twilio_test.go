package sms_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/sms"
	"tracegate/bots/sms/twiliotest"
	"tracegate/core"
)

const (
	accountSID = "AC00000000000000000000000000000001"
	authToken  = "0123456789abcdef0123456789abcdef"
	ourNumber  = "+15005550006"
)

// fakeTwilio is Twilio's REST API on loopback, answering the first sends
// with errs.
type fakeTwilio struct{ *twiliotest.Server }

type twilioError = twiliotest.Error

func newFakeTwilio(t testing.TB, errs ...twilioError) *fakeTwilio {
	f := &fakeTwilio{twiliotest.New(accountSID, errs...)}
	t.Cleanup(f.Close)
	return f
}

// messages are the forms of the messages Twilio took.
func (f *fakeTwilio) messages() []url.Values {
	var forms []url.Values
	for _, m := range f.Messages() {
		forms = append(forms, m.Form)
	}
	return forms
}

func sign(fullURL string, form url.Values) string { return twiliotest.Sign(authToken, fullURL, form) }

func twilioInbound(sid, from, body string) url.Values {
	return twiliotest.Inbound(accountSID, ourNumber, sid, from, body)
}

// twilio runs the gateway with Twilio as its SMS provider.
func (w *world) twilio(t testing.TB, fake *fakeTwilio) *sms.Twilio {
	t.Helper()
	tw := sms.NewTwilio(sms.TwilioConfig{AccountSID: accountSID, AuthToken: authToken, From: ourNumber,
		APIBase: fake.URL, PublicBaseURL: w.Gateway.URL, Every: time.Millisecond})
	w.run(t, map[string]channel.Channel{"twilio": tw}, "twilio", func(p *channel.Pipeline) http.Handler {
		return tw.Handler(p, channeltest.Discard())
	})
	return tw
}

func TestTwilioInbound(t *testing.T) {
	w := newWorld(t)
	fake := newFakeTwilio(t)
	w.twilio(t, fake)
	genuine := string(w.Codes[0])
	mms := twilioInbound("SMmms", farmerPhone, "NK L1 BON 5kg")
	mms.Set("NumMedia", "1")
	mms.Set("MediaContentType0", "image/jpeg")
	mms.Set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/"+accountSID+"/Messages/SMmms/Media/ME1")
	long := twilioInbound("SMlong", consumerPhone, "GY "+genuine+" "+strings.Repeat("Rất ngon. ", 200))
	// A vCard first and a photo second: the photo goes on the entry.
	mixed := twilioInbound("SMmixed", farmerPhone, "NK L1 TUOI")
	mixed.Set("NumMedia", "2")
	mixed.Set("MediaContentType0", "text/vcard")
	mixed.Set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/"+accountSID+"/Messages/SMmixed/Media/ME2")
	mixed.Set("MediaContentType1", "image/png")
	mixed.Set("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/"+accountSID+"/Messages/SMmixed/Media/ME3")
	// Three pictures of one harvest: all three go on the entry, in order.
	three := twilioInbound("SMthree", farmerPhone, "NK L1 THU 30kg")
	three.Set("NumMedia", "3")
	for i, ct := range []string{"image/jpeg", "image/jpeg", "image/png"} {
		three.Set(fmt.Sprintf("MediaContentType%d", i), ct)
		three.Set(fmt.Sprintf("MediaUrl%d", i), fmt.Sprintf("https://api.twilio.com/2010-04-01/Accounts/%s/Messages/SMthree/Media/MEt%d", accountSID, i))
	}
	card := twilioInbound("SMcard", "0977000024", "")
	card.Set("NumMedia", "1")
	card.Set("MediaContentType0", "text/vcard")
	card.Set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/"+accountSID+"/Messages/SMcard/Media/ME5")
	pdf := twilioInbound("SMpdf", farmerPhone, "NK L1 KHAC chung nhan")
	pdf.Set("NumMedia", "1")
	pdf.Set("MediaContentType0", "application/pdf")
	pdf.Set("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/"+accountSID+"/Messages/SMpdf/Media/ME4")

	// Replies are looked at where their words are Vietnamese without
	// accents: the SMS policy here is auto.
	tests := []channeltest.Case{
		{Name: "consumer lookup", Request: twilioPost(twilioInbound("SM1", consumerPhone, genuine)), Status: 200,
			In: &channeltest.In{URN: "tel:" + consumerPhone, Text: genuine, ProviderID: "SM1"}, Replies: []string{"chinh hang"}},
		{Name: "provider retry of SM1", Request: twilioPost(twilioInbound("SM1", consumerPhone, genuine)), Status: 200},
		{Name: "national number form", Request: twilioPost(twilioInbound("SM2", "0977000002", "HD")), Status: 200,
			In: &channeltest.In{URN: "tel:+84977000002", Text: "HD"}},
		{Name: "picture message from the farmer", Request: twilioPost(mms), Status: 200,
			In: &channeltest.In{URN: "tel:" + farmerPhone, Text: "NK L1 BON 5kg", Photos: []string{mms.Get("MediaUrl0")}}},
		{Name: "over 1600 characters", Request: twilioPost(long), Status: 200,
			In: &channeltest.In{URN: "tel:" + consumerPhone, Text: string([]rune(long.Get("Body"))[:1600]),
				CutFrom: utf8.RuneCountInString(long.Get("Body"))}},
		{Name: "no signature", Request: unsigned(twilioInbound("SM3", consumerPhone, "HD")), Status: 403},
		{Name: "forged signature", Request: signedAs(twilioInbound("SM4", consumerPhone, "HD"), "bm90IGEgc2lnbmF0dXJl"), Status: 403},
		{Name: "signed for another body", Request: signedAs(twilioInbound("SM5", consumerPhone, "HD"),
			sign("http://x/sms/twilio", twilioInbound("SM5", consumerPhone, "LO"))), Status: 403},
		{Name: "no MessageSid", Request: twilioPost(url.Values{"From": {consumerPhone}, "Body": {"HD"}}), Status: 400},
		{Name: "sender not a phone", Request: twilioPost(twilioInbound("SM6", "VIETTEL", "HD")), Status: 400},
		{Name: "an MMS with a vCard and a photo", Request: twilioPost(mixed), Status: 200,
			In: &channeltest.In{URN: "tel:" + farmerPhone, Text: "NK L1 TUOI", Photos: []string{mixed.Get("MediaUrl1")}}},
		{Name: "an MMS with a PDF", Request: twilioPost(pdf), Status: 200,
			In: &channeltest.In{URN: "tel:" + farmerPhone, Text: "NK L1 KHAC chung nhan", Photos: []string{}}},
		{Name: "an MMS with three pictures", Request: twilioPost(three), Status: 200,
			In: &channeltest.In{URN: "tel:" + farmerPhone, Text: "NK L1 THU 30kg",
				Photos: []string{three.Get("MediaUrl0"), three.Get("MediaUrl1"), three.Get("MediaUrl2")}}},
		{Name: "an MMS with only a vCard", Request: twilioPost(card), Status: 200,
			In: &channeltest.In{URN: "tel:+84977000024", Text: "", Photos: []string{}}},
		{Name: "NUL in the body", Request: twilioPost(twilioInbound("SMnul", "0977000021", "HD\x00")), Status: 200,
			In: &channeltest.In{URN: "tel:+84977000021", Text: "HD", ProviderID: "SMnul"}},
		{Name: "invalid UTF-8 in the body", Request: twilioPost(twilioInbound("SMff", "0977000022", "HD\xff")), Status: 200,
			In: &channeltest.In{URN: "tel:+84977000022", Text: "HD\uFFFD", ProviderID: "SMff"}},
		{Name: "a WhatsApp sender", Request: twilioPost(twilioInbound("SMwa", "whatsapp:+84977000023", "HD")), Status: 400},
		{Name: "a MessageSid no database keeps", Request: twilioPost(twilioInbound("SM"+strings.Repeat("0", 298), consumerPhone, "HD")), Status: 400},
	}
	for i := range tests {
		if tests[i].Status == 200 {
			tests[i].Answer = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`
		}
	}
	channeltest.Run(t, w.World, tests)
	w.Settle(t)
	entries := w.AllEntries(t)
	onlyPhoto := func(suffix string) func(e *core.DiaryEntry) bool {
		return func(e *core.DiaryEntry) bool { return len(e.Photos) == 1 && strings.HasSuffix(e.Photos[0], suffix) }
	}
	if channeltest.Count(entries, onlyPhoto("/Media/ME1")) != 1 {
		t.Fatal("the MMS photo is not on the diary entry")
	}
	cut := func(m *core.Message) bool {
		return m.ProviderID == "SMlong" && utf8.RuneCountInString(m.Text) == 1600 && channeltest.MetaOf(t, m).CutFrom > 1600
	}
	if channeltest.Count(w.Messages(t), cut) != 1 {
		t.Fatal("the long message was not cut to 1600 with a note")
	}
	saysFile := func(m *core.Message) bool { return strings.Contains(strings.ToLower(m.Text), "tep") }
	if channeltest.Count(w.OutboundOf(t, "tel:+84977000024"), saysFile) != 1 {
		t.Error("a vCard alone was not answered with what the gateway reads")
	}
	if channeltest.Count(entries, onlyPhoto("/Media/ME3")) != 1 {
		t.Error("the MMS's photo, after its vCard, is not on the diary entry")
	}
	for _, e := range entries {
		for _, ref := range e.Photos {
			if strings.HasSuffix(ref, "/Media/ME2") || strings.HasSuffix(ref, "/Media/ME4") {
				t.Error("a vCard or a PDF became a diary photo")
			}
		}
	}
	inOrder := regexp.MustCompile(`/MEt0 .*/MEt1 .*/MEt2$`)
	harvestOfThree := func(e *core.DiaryEntry) bool {
		return e.Step == core.StepHarvest && inOrder.MatchString(strings.Join(e.Photos, " "))
	}
	if channeltest.Count(entries, harvestOfThree) != 1 {
		t.Error("the three pictures of one MMS are not all on its entry, in order")
	}
	for id, text := range map[string]string{"SMnul": "HD", "SMff": "HD\uFFFD"} {
		if channeltest.Count(w.Messages(t), func(m *core.Message) bool { return m.ProviderID == id && m.Text == text }) != 1 {
			t.Errorf("%s not stored as %q", id, text)
		}
	}
	if n := len(w.InboundOf(t, "tel:+84977000002")); n != 1 {
		t.Fatal("0977000002 did not reach the dialog as +84977000002")
	}
}

// twilioPost is a request to the inbound webhook, signed.
func twilioPost(form url.Values) channeltest.Request {
	return channeltest.Request{Path: "/sms/twilio", Form: form}
}

func unsigned(form url.Values) channeltest.Request {
	return channeltest.Request{Path: "/sms/twilio", Form: form, Unsigned: true}
}

// signedAs is a request to the inbound webhook with the signature given.
func signedAs(form url.Values, signature string) channeltest.Request {
	return channeltest.Request{Path: "/sms/twilio", Form: form, Header: map[string]string{"X-Twilio-Signature": signature}}
}

func TestTwilioRequestTooLarge(t *testing.T) {
	w := newWorld(t)
	w.twilio(t, newFakeTwilio(t))
	form := twilioInbound("SMbig", consumerPhone, strings.Repeat("a", 70<<10))
	if status, _ := w.post(t, "/sms/twilio", form); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 70 KiB request got %d", status)
	}
	if n := len(w.Messages(t)); n != 0 {
		t.Fatal("a refused request stored a message")
	}
}

// A consumer's lookup by SMS, end to end: webhook, dialog, outbox, Twilio.
func TestTwilioLookupEndToEnd(t *testing.T) {
	w := newWorld(t)
	fake := newFakeTwilio(t)
	w.twilio(t, fake)
	if status, _ := w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, w.Codes[0].Printed())); status != 200 {
		t.Fatal(status)
	}
	out := w.Settle(t)
	taken := fake.Messages()
	if len(out) != 1 || out[0].Status != core.StatusSent || len(taken) != 1 {
		t.Fatalf("outbound %+v, Twilio took %v", out, taken)
	}
	m := taken[0].Form
	if m.Get("To") != consumerPhone || m.Get("From") != ourNumber || m.Get("StatusCallback") != w.Gateway.URL+"/sms/twilio/status" ||
		!strings.Contains(m.Get("Body"), "chinh hang") || !strings.Contains(m.Get("Body"), "/t/"+string(w.Codes[0])) {
		t.Fatalf("Twilio got %v", m)
	}
	if out[0].ProviderID != taken[0].SID {
		t.Fatalf("provider id %q, Twilio named it %q", out[0].ProviderID, taken[0].SID)
	}
}

func TestTwilioSendErrors(t *testing.T) {
	tests := []struct {
		name    string
		errs    []twilioError
		status  string
		stopped bool
	}{
		{"21610: the person replied STOP", []twilioError{{Status: 400, Code: 21610}}, core.StatusFailed, true},
		{"21211: invalid number", []twilioError{{Status: 400, Code: 21211}}, core.StatusFailed, false},
		{"21614: not a mobile", []twilioError{{Status: 400, Code: 21614}}, core.StatusFailed, false},
		{"500 then accepted", []twilioError{{Status: 500, Code: 20500}}, core.StatusSent, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.twilio(t, newFakeTwilio(t, tt.errs...))
			w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, "HD"))
			out := w.Settle(t)
			if len(out) != 1 || out[0].Status != tt.status {
				t.Fatalf("outbound %+v", out)
			}
			if stopped := w.Stopped(t, "tel:"+consumerPhone); stopped != tt.stopped {
				t.Fatalf("stopped = %v", stopped)
			}
		})
	}
}

// A status callback lands on its message whether it comes after Twilio's
// answer to the send or before it.
func TestTwilioStatusCallbacks(t *testing.T) {
	for _, early := range []bool{false, true} {
		t.Run(fmt.Sprintf("before the answer: %v", early), func(t *testing.T) {
			w := newWorld(t)
			fake := newFakeTwilio(t)
			callback := func(sid, status string) {
				form := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "MessageStatus": {status}, "SmsStatus": {status},
					"AccountSid": {accountSID}, "From": {ourNumber}, "To": {consumerPhone}, "ApiVersion": {"2010-04-01"}}
				if s, b := w.post(t, "/sms/twilio/status", form); s != http.StatusNoContent {
					t.Errorf("status callback answered %d %s", s, b)
				}
			}
			if early {
				fake.Before(func(sid string) { callback(sid, "delivered") })
			}
			w.twilio(t, fake)
			w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, "HD"))
			out := w.Settle(t)
			if !early {
				callback(out[0].ProviderID, "sent")
				callback(out[0].ProviderID, "delivered")
				callback(out[0].ProviderID, "sent") // late and out of order
				out = w.Settle(t)
			}
			if out[0].Status != core.StatusDelivered {
				t.Fatalf("status %s, want delivered", out[0].Status)
			}
			forged := channeltest.Request{Path: "/sms/twilio/status", Form: url.Values{"MessageSid": {"SMx"}, "MessageStatus": {"delivered"}},
				Header: map[string]string{"X-Twilio-Signature": "forged"}}
			if s, _ := w.Do(t, forged); s != 403 {
				t.Fatalf("a forged status callback got %d", s)
			}
		})
	}
}

// A status callback's ErrorCode means what it means on a send: 21610 (the
// person replied STOP) stops the contact; an unreachable, unknown or
// landline number fails the message and stops no one.
func TestTwilioStatusErrorCodes(t *testing.T) {
	tests := []struct {
		status, code string
		stopped      bool
	}{
		{"failed", "21610", true},
		{"undelivered", "30003", false},
		{"failed", "30005", false},
		{"undelivered", "30006", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			w := newWorld(t)
			w.twilio(t, newFakeTwilio(t))
			w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, "HD"))
			out := w.Settle(t)
			form := url.Values{"MessageSid": {out[0].ProviderID}, "MessageStatus": {tt.status}, "ErrorCode": {tt.code},
				"AccountSid": {accountSID}, "From": {ourNumber}, "To": {consumerPhone}, "ApiVersion": {"2010-04-01"}}
			if s, b := w.post(t, "/sms/twilio/status", form); s != http.StatusNoContent {
				t.Fatalf("status callback: %d %s", s, b)
			}
			failed := func(m *core.Message) bool {
				return m.ProviderID == out[0].ProviderID && m.Status == core.StatusFailed && strings.Contains(m.Error, tt.code)
			}
			if channeltest.Count(w.Messages(t), failed) != 1 {
				t.Fatalf("the message is not failed with %s", tt.code)
			}
			if stopped := w.Stopped(t, "tel:"+consumerPhone); stopped != tt.stopped {
				t.Fatalf("stopped = %v, want %v", stopped, tt.stopped)
			}
		})
	}
}

// An MMS photo is fetched with the account's credentials, for the page;
// a URL that is not the account's media is never fetched.
func TestTwilioPhoto(t *testing.T) {
	fake := newFakeTwilio(t)
	fake.AuthToken = authToken
	tw := sms.NewTwilio(sms.TwilioConfig{AccountSID: accountSID, AuthToken: authToken, From: ourNumber, APIBase: fake.URL})
	ref := "https://api.twilio.com/2010-04-01/Accounts/" + accountSID + "/Messages/MM1/Media/ME1"
	body, ct, err := tw.Photo(context.Background(), ref)
	if err != nil || ct != "image/jpeg" || len(body) == 0 {
		t.Fatalf("photo: %q %q %v", body, ct, err)
	}
	for _, other := range []string{
		"https://api.twilio.com/2010-04-01/Accounts/AC99999999999999999999999999999999/Messages/MM1/Media/ME1",
		"http://169.254.169.254/latest/meta-data/",
		"https://api.twilio.com.example.net/2010-04-01/Accounts/" + accountSID + "/x",
	} {
		if _, _, err := tw.Photo(context.Background(), other); err == nil {
			t.Errorf("fetched %s", other)
		}
	}
	wrong := sms.NewTwilio(sms.TwilioConfig{AccountSID: accountSID, AuthToken: "wrong", From: ourNumber, APIBase: fake.URL})
	if _, _, err := wrong.Photo(context.Background(), ref); err == nil {
		t.Error("fetched media with the wrong credentials")
	}
}
