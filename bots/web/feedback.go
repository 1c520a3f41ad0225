package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/locales"
)

const (
	// maxFeedback bounds what the form takes, in characters.
	maxFeedback = 1000
	// feedbackPerHour is how often one address may give feedback on one
	// code: enough for a real shopper, too few for a spammer.
	feedbackPerHour = 3
)

// Channel is the web form as a channel: its feedback goes through the
// pipeline like a GY by SMS, so the producer's notice is queued the same
// way. The page thanks the visitor itself, so its replies have nowhere to
// go: sending one only marks it delivered.
type Channel struct{}

var _ channel.Channel = Channel{}

func (Channel) Name() string                           { return feedbackName }
func (Channel) Render(r dialog.Reply) channel.Outgoing { return channel.Outgoing{Text: textOf(r)} }
func (Channel) Pace() core.Pace                        { return core.Pace{} }
func (Channel) Send(context.Context, core.URN, channel.Outgoing) (string, error) {
	return newID(), nil
}

func textOf(r dialog.Reply) string {
	lines := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = l.Text
	}
	return strings.Join(lines, "\n")
}

// feedback takes the form: refused when empty or too long, or when this
// address has given feedback on this code too often in the last hour.
func (h *Handler) feedback(w http.ResponseWriter, r *http.Request) {
	pg := newPage(r)
	code, err := core.ParseCode(r.PathValue("code"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	text := strings.TrimSpace(r.FormValue("text"))
	pg.Code, pg.Input = code.Printed(), string(code)
	if text == "" || utf8.RuneCountInString(text) > maxFeedback {
		pg.Verdict = locales.Print(pg.Lang, "web_feedback_invalid", map[string]any{"Max": maxFeedback})
		h.render(w, http.StatusBadRequest, "feedback.html", pg)
		return
	}
	// The sender is the address and the code, keyed: no address is kept,
	// and none can be found again by hashing every address there is.
	h.sendForm(w, r, pg, formPost{what: "feedback", of: string(code), perHour: feedbackPerHour,
		text: "GY " + string(code) + " " + text, page: "feedback.html", slow: "web_feedback_slow", thanks: "web_feedback_thanks"})
}

// formPost is a message one of the page's forms sends through the
// pipeline, as a GY or BAO from the web.
type formPost struct {
	what    string // for the log
	of      string // what the sender's pseudonym names beside the client
	perHour int    // how many one sender may send an hour
	text    string // the command sent
	page    string // the template that answers
	slow    string // the message past the limit
	thanks  string // the message once sent
}

// sendForm sends a form's message as the web's sender, a keyed pseudonym
// of the client (and what it names), within its hourly limit.
func (h *Handler) sendForm(w http.ResponseWriter, r *http.Request, pg page, f formPost) {
	name, err := h.Guard.Pseudonym(r.Context(), core.URN("web:"+h.client(r)+"|"+f.of))
	if err != nil {
		h.Log.Error(f.what+" sender", "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	urn := core.URN("web:" + name)
	n, err := h.Services.Messages.CountInboundSince(r.Context(), urn, time.Now().Add(-time.Hour))
	if err != nil {
		h.Log.Error(f.what+" rate", "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	if n >= f.perHour {
		pg.Verdict = locales.Print(pg.Lang, f.slow, nil)
		h.render(w, http.StatusTooManyRequests, f.page, pg)
		return
	}
	in := channel.Inbound{URN: urn, Text: f.text, ProviderID: newID(), ReceivedAt: time.Now()}
	if err := h.Pipeline.Receive(r.Context(), Channel{}, in); err != nil {
		h.Log.Error(f.what, "err", err)
		http.Error(w, "please try again", http.StatusInternalServerError)
		return
	}
	pg.Verdict = locales.Print(pg.Lang, f.thanks, nil)
	h.render(w, http.StatusOK, f.page, pg)
}

func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return "w" + hex.EncodeToString(b[:])
}
