package sms

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tracegate/bots/channel"
	"tracegate/core"
)

// emptyTwiML acknowledges a message without replying in the webhook's
// answer: replies leave through the outbox.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// Handler serves Twilio's webhooks: POST /sms/twilio for inbound messages
// and POST /sms/twilio/status for delivery reports.
func (t *Twilio) Handler(p *channel.Pipeline, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /sms/twilio", func(w http.ResponseWriter, r *http.Request) {
		if !limitBody(w, r) || !t.signed(w, r) {
			return
		}
		sid := r.PostForm.Get("MessageSid")
		if sid == "" {
			http.Error(w, "MessageSid is missing", http.StatusBadRequest)
			return
		}
		from := r.PostForm.Get("From")
		if strings.HasPrefix(from, "whatsapp:") {
			// A WhatsApp sender on this account: answering it by SMS would
			// reach a number that never texted us.
			log.Warn("twilio: a WhatsApp message refused: this gateway has no WhatsApp channel", slog.String("sid", sid))
			http.Error(w, "WhatsApp is not a channel of this gateway", http.StatusBadRequest)
			return
		}
		in, err := inbound(from, r.PostForm.Get("Body"), sid)
		if err != nil {
			http.Error(w, core.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		photos, media := images(r.PostForm)
		in.Photos = photos // a farmer's MMS photos for the diary
		if media && len(photos) == 0 {
			in.Attachment = "file" // a vCard, a voice note, a PDF: answered in words
		}
		if !receive(w, r, p, t, in, log) {
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write([]byte(emptyTwiML))
	})
	mux.HandleFunc("POST /sms/twilio/status", func(w http.ResponseWriter, r *http.Request) {
		if !limitBody(w, r) || !t.signed(w, r) {
			return
		}
		sid, status := r.PostForm.Get("MessageSid"), twilioStatus[r.PostForm.Get("MessageStatus")]
		if sid == "" {
			http.Error(w, "MessageSid is missing", http.StatusBadRequest)
			return
		}
		code := r.PostForm.Get("ErrorCode")
		if !report(w, r, p, t, sid, status, twilioReason(code), log) {
			return
		}
		if code == twilioOptedOut && !stopOptedOut(w, r, p, r.PostForm.Get("To"), log) {
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// maxMedia is the most media Twilio puts on one message.
const maxMedia = 10

// images are the URLs of an MMS's media that are images (a vCard, a
// voice note or a PDF is no photo for the diary), in order, and whether
// the message carries media at all.
func images(form url.Values) (photos []string, media bool) {
	n, _ := strconv.Atoi(form.Get("NumMedia"))
	for i := range min(n, maxMedia) {
		if strings.HasPrefix(form.Get(fmt.Sprintf("MediaContentType%d", i)), "image/") {
			photos = append(photos, form.Get(fmt.Sprintf("MediaUrl%d", i)))
		}
	}
	return photos, n > 0
}

// twilioStatus maps Twilio's message statuses to ours; the in-between ones
// (queued, sending) change nothing.
var twilioStatus = map[string]string{
	"sent":        core.StatusSent,
	"delivered":   core.StatusDelivered,
	"read":        core.StatusDelivered,
	"undelivered": core.StatusFailed,
	"failed":      core.StatusFailed,
}

// twilioOptedOut is Twilio's error for a recipient who replied STOP.
const twilioOptedOut = "21610"

// twilioErrors name the delivery errors a status callback carries.
var twilioErrors = map[string]string{
	twilioOptedOut: "the recipient replied STOP",
	"30003":        "unreachable",
	"30005":        "unknown number",
	"30006":        "landline or unreachable carrier",
	"30007":        "filtered by the carrier",
	"30008":        "unknown error",
}

func twilioReason(code string) string {
	if code == "" {
		return ""
	}
	if what, ok := twilioErrors[code]; ok {
		return "twilio " + code + ": " + what
	}
	return "twilio " + code
}

// stopOptedOut stops the contact a status callback says opted out; it says
// whether Twilio may be answered with success.
func stopOptedOut(w http.ResponseWriter, r *http.Request, p *channel.Pipeline, to string, log *slog.Logger) bool {
	urn, err := core.TelURN(to)
	if err != nil {
		return true // no number to stop: the report itself is kept
	}
	if err := p.SetStopped(r.Context(), urn, true); err != nil {
		log.Error("stop an opted-out contact", slog.String("urn", string(urn)), slog.Any("err", err))
		http.Error(w, "try again", http.StatusInternalServerError)
		return false
	}
	return true
}

// signed checks X-Twilio-Signature against the URL Twilio called, which is
// the public URL, not the one a proxy handed us.
func (t *Twilio) signed(w http.ResponseWriter, r *http.Request) bool {
	params := make(map[string]string, len(r.PostForm))
	for k, v := range r.PostForm {
		params[k] = v[0]
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if sig == "" || !t.validator.Validate(t.cfg.PublicBaseURL+r.URL.RequestURI(), params, sig) {
		http.Error(w, "bad signature", http.StatusForbidden)
		return false
	}
	return true
}
