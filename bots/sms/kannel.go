package sms

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// KannelConfig is what the Kannel provider needs.
type KannelConfig struct {
	SendsmsURL string // smsbox's http://host:13013/cgi-bin/sendsms
	Username   string
	Password   string
	From       string // the short code
	// Secret is what Kannel's get-url and dlr-url carry as ?secret=.
	Secret string
	// PublicBaseURL is where Kannel reaches the gateway, for delivery
	// reports.
	PublicBaseURL string
	Policy        smstext.Policy
	Every         time.Duration // one send per Every; 0 for none
	// Default makes Kannel the provider of notices to a phone that never
	// wrote by SMS (SMS_PROVIDER).
	Default bool
}

// Kannel is the SMS provider for a carrier short code: Kannel speaks SMPP
// to the carrier and HTTP to us.
type Kannel struct {
	cfg  KannelConfig
	http *http.Client
}

var _ channel.Channel = (*Kannel)(nil)

// NewKannel builds the provider.
func NewKannel(cfg KannelConfig) *Kannel {
	return &Kannel{cfg: cfg, http: &http.Client{Timeout: 20 * time.Second}}
}

// Name is stored on Kannel's messages.
func (k *Kannel) Name() string { return kannelName }

// Render sizes a reply for SMS.
func (k *Kannel) Render(r dialog.Reply) channel.Outgoing { return render(r, k.cfg.Policy) }

// Pace is the carrier's, if the operator set one.
func (k *Kannel) Pace() core.Pace { return core.Pace{Every: k.cfg.Every} }

// Concurrency: sendsms blocks until smsbox has queued the message, which
// on loopback or a LAN takes milliseconds; 20 at once keep a short code's
// rate.
func (k *Kannel) Concurrency() int { return 20 }

// Send hands the message to smsbox's sendsms. Kannel answers without a
// message id, so we make one and put it in the dlr-url: delivery reports
// come back with it.
func (k *Kannel) Send(ctx context.Context, to core.URN, out channel.Outgoing) (string, error) {
	id, err := newKannelID()
	if err != nil {
		return "", err
	}
	dlr := k.cfg.PublicBaseURL + "/sms/kannel/dlr?" + url.Values{"secret": {k.cfg.Secret}, "id": {id}}.Encode() +
		"&type=%d&answer=%A"
	q := url.Values{
		"username": {k.cfg.Username}, "password": {k.cfg.Password},
		"from": {k.cfg.From}, "to": {to.Path()}, "text": {out.Text},
		"charset": {"UTF-8"}, "coding": {"0"},
		"dlr-mask": {"31"}, "dlr-url": {dlr},
	}
	if smstext.Count(out.Text).Encoding == smstext.UCS2 {
		q.Set("coding", "2")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.cfg.SendsmsURL+"?"+q.Encode(), nil)
	if err != nil {
		return "", &channel.SendError{Kind: channel.Permanent, Err: err}
	}
	res, err := k.http.Do(req)
	if err != nil {
		return "", err // retried: Kannel may be restarting
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	answer := strings.TrimSpace(string(body))
	switch {
	case res.StatusCode == http.StatusAccepted || res.StatusCode == http.StatusOK:
		return id, nil
	case res.StatusCode == http.StatusServiceUnavailable || res.StatusCode >= 500:
		return "", &channel.SendError{Kind: channel.Retry, Wait: 5 * time.Second, Err: fmt.Errorf("kannel %d: %s", res.StatusCode, answer)}
	}
	return "", &channel.SendError{Kind: channel.Permanent, Err: fmt.Errorf("kannel %d: %s", res.StatusCode, answer)}
}

func newKannelID() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("kannel message id: %w", err)
	}
	return "k" + hex.EncodeToString(b[:]), nil
}
