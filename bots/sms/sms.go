// Package sms is the SMS channel: Twilio, and Kannel for carrier short
// codes over SMPP, both on the pipeline. Replies are sized to segments
// for basic phones; numbers reach the dialog in E.164 whatever form a
// provider sends.
package sms

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

const (
	// maxText is the longest text kept from one inbound SMS: ten parts.
	maxText = 1600
	// maxRequest refuses anything larger: no honest SMS webhook is.
	maxRequest = 64 << 10
)

// render sizes a reply for SMS under the accent policy.
func render(r dialog.Reply, policy smstext.Policy) channel.Outgoing {
	f := dialog.RenderSMS(r, policy, dialog.SMSBudget)
	return channel.Outgoing{Text: f.Text, Segments: f.Segments.Parts}
}

// inbound builds the pipeline's message from what a provider posted: the
// sender in E.164, the text cut to its limit.
func inbound(from, text, providerID string) (channel.Inbound, error) {
	urn, err := core.TelURN(from)
	if err != nil {
		return channel.Inbound{}, err
	}
	in := channel.Inbound{URN: urn, Text: text, ProviderID: providerID}
	if n := utf8.RuneCountInString(text); n > maxText {
		in.Text, in.CutFrom = string([]rune(text)[:maxText]), n
	}
	return in, nil
}

// limitBody refuses requests over maxRequest before anything is read:
// the query (Kannel's get-url carries the text in it) and the body.
func limitBody(w http.ResponseWriter, r *http.Request) bool {
	if len(r.URL.RawQuery) > maxRequest {
		http.Error(w, "query too long", http.StatusRequestURITooLong)
		return false
	}
	if r.ContentLength > maxRequest {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequest)
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "unreadable form", status)
		return false
	}
	return true
}

func sameSecret(given, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

// Router sends a notice to a phone through the provider that person last
// wrote through, else through the default provider.
func Router(defaultProvider string, providers ...string) func(context.Context, core.Services, core.URN) (string, error) {
	return func(ctx context.Context, s core.Services, to core.URN) (string, error) {
		if to.Scheme() != "tel" {
			return "", nil
		}
		last, err := s.Messages.LastInboundChannel(ctx, to, providers)
		if err != nil || last != "" {
			return last, err
		}
		return defaultProvider, nil
	}
}

// receive hands a message to the pipeline and says whether it committed;
// when it did not, the provider is told to try again, or, for a message
// that can never be stored, that it is refused.
func receive(w http.ResponseWriter, r *http.Request, p *channel.Pipeline, ch channel.Channel, in channel.Inbound, log *slog.Logger) bool {
	err := p.Receive(r.Context(), ch, in)
	return accepted(w, err, log.With(slog.String("channel", ch.Name()), slog.String("what", "inbound sms")))
}

// report records a delivery report; status "" is a step that changes
// nothing. It says whether the provider may be answered with success.
func report(w http.ResponseWriter, r *http.Request, p *channel.Pipeline, ch channel.Channel, id, status, reason string, log *slog.Logger) bool {
	if status == "" {
		return true
	}
	err := p.ReportDelivery(r.Context(), ch, id, status, reason)
	return accepted(w, err, log.With(slog.String("channel", ch.Name()), slog.String("what", "delivery report")))
}

// accepted answers what the pipeline said: nothing yet on success, 400
// for what can never be stored, 500 (try again) for the rest.
func accepted(w http.ResponseWriter, err error, log *slog.Logger) bool {
	switch {
	case err == nil:
		return true
	case core.ErrorCodeOf(err) == core.EINVALID:
		log.Warn("refused", slog.Any("err", err))
		http.Error(w, core.ErrorMessage(err), http.StatusBadRequest)
	default:
		log.Error("not stored", slog.Any("err", err))
		http.Error(w, "try again", http.StatusInternalServerError)
	}
	return false
}
