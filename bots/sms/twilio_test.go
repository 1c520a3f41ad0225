package sms_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
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
		APIBase: fake.URL, PublicBaseURL: w.gateway.URL, Every: time.Millisecond})
	w.run(t, map[string]channel.Channel{"twilio": tw}, "twilio", func(p *channel.Pipeline) http.Handler {
		return tw.Handler(p, slog.New(slog.NewTextHandler(io.Discard, nil)))
	})
	return tw
}

// post sends a form to the gateway, signed as Twilio would unless sig is
// given ("" for none).
func (w *world) post(t testing.TB, path string, form url.Values, sig *string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", w.gateway.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sig == nil {
		req.Header.Set("X-Twilio-Signature", sign(w.gateway.URL+path, form))
	} else if *sig != "" {
		req.Header.Set("X-Twilio-Signature", *sig)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func ptr(s string) *string { return &s }

func TestTwilioInbound(t *testing.T) {
	w := newWorld(t)
	fake := newFakeTwilio(t)
	w.twilio(t, fake)
	genuine := string(w.codes[0])
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

	tests := []struct {
		name   string
		form   url.Values
		sig    *string
		status int
		stored int // inbound messages stored by this request
	}{
		{"consumer lookup", twilioInbound("SM1", consumerPhone, genuine), nil, 200, 1},
		{"provider retry of SM1", twilioInbound("SM1", consumerPhone, genuine), nil, 200, 0},
		{"national number form", twilioInbound("SM2", "0977000002", "HD"), nil, 200, 1},
		{"picture message from the farmer", mms, nil, 200, 1},
		{"over 1600 characters", long, nil, 200, 1},
		{"no signature", twilioInbound("SM3", consumerPhone, "HD"), ptr(""), 403, 0},
		{"forged signature", twilioInbound("SM4", consumerPhone, "HD"), ptr("bm90IGEgc2lnbmF0dXJl"), 403, 0},
		{"signed for another body", twilioInbound("SM5", consumerPhone, "HD"), ptr(sign("http://x/sms/twilio", twilioInbound("SM5", consumerPhone, "LO"))), 403, 0},
		{"no MessageSid", url.Values{"From": {consumerPhone}, "Body": {"HD"}}, nil, 400, 0},
		{"sender not a phone", twilioInbound("SM6", "VIETTEL", "HD"), nil, 400, 0},
		{"an MMS with a vCard and a photo", mixed, nil, 200, 1},
		{"an MMS with a PDF", pdf, nil, 200, 1},
		{"an MMS with three pictures", three, nil, 200, 1},
		{"an MMS with only a vCard", card, nil, 200, 1},
		{"NUL in the body", twilioInbound("SMnul", "0977000021", "HD\x00"), nil, 200, 1},
		{"invalid UTF-8 in the body", twilioInbound("SMff", "0977000022", "HD\xff"), nil, 200, 1},
		{"a WhatsApp sender", twilioInbound("SMwa", "whatsapp:+84977000023", "HD"), nil, 400, 0},
		{"a MessageSid no database keeps", twilioInbound("SM"+strings.Repeat("0", 298), consumerPhone, "HD"), nil, 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`)
			status, body := w.post(t, "/sms/twilio", tt.form, tt.sig)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if status == 200 && body != `<?xml version="1.0" encoding="UTF-8"?><Response></Response>` {
				t.Fatalf("answered %q, want empty TwiML", body)
			}
			if got := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`) - before; got != tt.stored {
				t.Fatalf("%d messages stored, want %d", got, tt.stored)
			}
		})
	}
	w.settle(t)
	if n := w.count(t, `SELECT count(*) FROM diary_entries WHERE photo_refs[1] LIKE '%/Media/ME1' AND cardinality(photo_refs) = 1`); n != 1 {
		t.Fatal("the MMS photo is not on the diary entry")
	}
	if n := w.count(t, `SELECT count(*) FROM messages WHERE provider_id = 'SMlong' AND length(text) = 1600 AND (meta->>'cut_from')::int > 1600`); n != 1 {
		t.Fatal("the long message was not cut to 1600 with a note")
	}
	if n := w.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND urn = 'tel:+84977000024' AND text ILIKE '%tep%'`); n != 1 {
		t.Error("a vCard alone was not answered with what the gateway reads")
	}
	if n := w.count(t, `SELECT count(*) FROM diary_entries WHERE photo_refs[1] LIKE '%/Media/ME3' AND cardinality(photo_refs) = 1`); n != 1 {
		t.Error("the MMS's photo, after its vCard, is not on the diary entry")
	}
	if n := w.count(t, `SELECT count(*) FROM diary_entries, unnest(photo_refs) ref WHERE ref LIKE '%/Media/ME2' OR ref LIKE '%/Media/ME4'`); n != 0 {
		t.Error("a vCard or a PDF became a diary photo")
	}
	if n := w.count(t, `SELECT count(*) FROM diary_entries WHERE step = 'harvest'
		AND array_to_string(photo_refs, ' ') ~ '/MEt0 .*/MEt1 .*/MEt2$'`); n != 1 {
		t.Error("the three pictures of one MMS are not all on its entry, in order")
	}
	for id, text := range map[string]string{"SMnul": "HD", "SMff": "HD\uFFFD"} {
		if n := w.count(t, `SELECT count(*) FROM messages WHERE provider_id = $1 AND text = $2`, id, text); n != 1 {
			t.Errorf("%s not stored as %q", id, text)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM messages WHERE urn = 'tel:+84977000002' AND direction = 'in'`); n != 1 {
		t.Fatal("0977000002 did not reach the dialog as +84977000002")
	}
}

func TestTwilioRequestTooLarge(t *testing.T) {
	w := newWorld(t)
	w.twilio(t, newFakeTwilio(t))
	form := twilioInbound("SMbig", consumerPhone, strings.Repeat("a", 70<<10))
	if status, _ := w.post(t, "/sms/twilio", form, nil); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 70 KiB request got %d", status)
	}
	if n := w.count(t, `SELECT count(*) FROM messages`); n != 0 {
		t.Fatal("a refused request stored a message")
	}
}

// A consumer's lookup by SMS, end to end: webhook, dialog, outbox, Twilio.
func TestTwilioLookupEndToEnd(t *testing.T) {
	w := newWorld(t)
	fake := newFakeTwilio(t)
	w.twilio(t, fake)
	if status, _ := w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, w.codes[0].Printed()), nil); status != 200 {
		t.Fatal(status)
	}
	out := w.settle(t)
	taken := fake.Messages()
	if len(out) != 1 || out[0].Status != core.StatusSent || len(taken) != 1 {
		t.Fatalf("outbound %+v, Twilio took %v", out, taken)
	}
	m := taken[0].Form
	if m.Get("To") != consumerPhone || m.Get("From") != ourNumber || m.Get("StatusCallback") != w.gateway.URL+"/sms/twilio/status" ||
		!strings.Contains(m.Get("Body"), "chinh hang") || !strings.Contains(m.Get("Body"), "/t/"+string(w.codes[0])) {
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
			w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, "HD"), nil)
			out := w.settle(t)
			if len(out) != 1 || out[0].Status != tt.status {
				t.Fatalf("outbound %+v", out)
			}
			stopped := w.count(t, `SELECT count(*) FROM contacts WHERE urn = $1 AND stopped_at IS NOT NULL`, "tel:"+consumerPhone) == 1
			if stopped != tt.stopped {
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
				if s, b := w.post(t, "/sms/twilio/status", form, nil); s != http.StatusNoContent {
					t.Errorf("status callback answered %d %s", s, b)
				}
			}
			if early {
				fake.Before(func(sid string) { callback(sid, "delivered") })
			}
			w.twilio(t, fake)
			w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, "HD"), nil)
			out := w.settle(t)
			if !early {
				callback(out[0].ProviderID, "sent")
				callback(out[0].ProviderID, "delivered")
				callback(out[0].ProviderID, "sent") // late and out of order
				out = w.settle(t)
			}
			if out[0].Status != core.StatusDelivered {
				t.Fatalf("status %s, want delivered", out[0].Status)
			}
			if s, _ := w.post(t, "/sms/twilio/status", url.Values{"MessageSid": {"SMx"}, "MessageStatus": {"delivered"}}, ptr("forged")); s != 403 {
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
			w.post(t, "/sms/twilio", twilioInbound("SM1", consumerPhone, "HD"), nil)
			out := w.settle(t)
			form := url.Values{"MessageSid": {out[0].ProviderID}, "MessageStatus": {tt.status}, "ErrorCode": {tt.code},
				"AccountSid": {accountSID}, "From": {ourNumber}, "To": {consumerPhone}, "ApiVersion": {"2010-04-01"}}
			if s, b := w.post(t, "/sms/twilio/status", form, nil); s != http.StatusNoContent {
				t.Fatalf("status callback: %d %s", s, b)
			}
			if n := w.count(t, `SELECT count(*) FROM messages WHERE provider_id = $1 AND status = 'failed' AND error LIKE $2`,
				out[0].ProviderID, "%"+tt.code+"%"); n != 1 {
				t.Fatalf("the message is not failed with %s", tt.code)
			}
			stopped := w.count(t, `SELECT count(*) FROM contacts WHERE urn = $1 AND stopped_at IS NOT NULL`, "tel:"+consumerPhone) == 1
			if stopped != tt.stopped {
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
