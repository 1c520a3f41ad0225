package sms

import (
	"log/slog"
	"net/http"
	"strconv"

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
		in, err := inbound(r.PostForm.Get("From"), r.PostForm.Get("Body"), sid)
		if err != nil {
			http.Error(w, core.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		if n, _ := strconv.Atoi(r.PostForm.Get("NumMedia")); n > 0 {
			in.Photo = r.PostForm.Get("MediaUrl0") // a farmer's MMS photo for the diary
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
		reason := ""
		if code := r.PostForm.Get("ErrorCode"); code != "" {
			reason = "twilio " + code
		}
		if report(w, r, p, t, sid, status, reason, log) {
			w.WriteHeader(http.StatusNoContent)
		}
	})
	return mux
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
