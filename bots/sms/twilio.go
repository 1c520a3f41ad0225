package sms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	twilio "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/dialog/smstext"
	"tracegate/core"
)

// TwilioConfig is what the Twilio provider needs.
type TwilioConfig struct {
	AccountSID string
	AuthToken  string
	From       string // a number, or a messaging service SID (MG...)
	// APIBase overrides https://api.twilio.com (tests, proxies).
	APIBase string
	// PublicBaseURL is the gateway's address as Twilio calls it: signatures
	// are checked against it, and status callbacks point at it.
	PublicBaseURL string
	Policy        smstext.Policy
	// Every is one send per Every: a long code takes 1 a second.
	Every time.Duration
	// Default makes Twilio the provider of notices to a phone that never
	// wrote by SMS (SMS_PROVIDER).
	Default bool
}

// Twilio is the Twilio SMS provider.
type Twilio struct {
	cfg       TwilioConfig
	api       *api.ApiService
	http      *http.Client // to Twilio, through APIBase when it is set
	validator client.RequestValidator
}

var _ channel.Channel = (*Twilio)(nil)

// NewTwilio builds the provider. twilio-go's base URL is fixed, so
// APIBase is honoured by a transport that rewrites the host.
func NewTwilio(cfg TwilioConfig) *Twilio {
	if cfg.Every == 0 {
		cfg.Every = time.Second
	}
	httpClient := &http.Client{Timeout: 20 * time.Second}
	if cfg.APIBase != "" {
		if base, err := url.Parse(cfg.APIBase); err == nil {
			httpClient.Transport = rewriteHost{base: base}
		}
	}
	base := &client.Client{Credentials: client.NewCredentials(cfg.AccountSID, cfg.AuthToken), HTTPClient: httpClient}
	base.SetAccountSid(cfg.AccountSID)
	rest := twilio.NewRestClientWithParams(twilio.ClientParams{
		Username: cfg.AccountSID, Password: cfg.AuthToken, AccountSid: cfg.AccountSID, Client: base,
	})
	return &Twilio{cfg: cfg, api: rest.Api, http: httpClient, validator: client.NewRequestValidator(cfg.AuthToken)}
}

// rewriteHost sends every request to base instead of api.twilio.com.
type rewriteHost struct{ base *url.URL }

func (t rewriteHost) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	return http.DefaultTransport.RoundTrip(r)
}

// Name is stored on Twilio's messages.
func (t *Twilio) Name() string { return twilioName }

// Render sizes a reply for SMS.
func (t *Twilio) Render(r dialog.Reply) channel.Outgoing { return render(r, t.cfg.Policy) }

// Pace is one send per Every over the sending number.
func (t *Twilio) Pace() core.Pace { return core.Pace{Every: t.cfg.Every} }

// Concurrency: Twilio's API takes 100-600 ms to create a message, so 20
// sends at once keep up with a short code or a messaging service of
// several senders (SEND_WORKERS for more); a long code needs one.
func (t *Twilio) Concurrency() int { return 20 }

// Send creates the message with a status callback to the gateway.
func (t *Twilio) Send(_ context.Context, to core.URN, out channel.Outgoing) (string, error) {
	params := &api.CreateMessageParams{}
	params.SetTo(to.Path()).SetBody(out.Text).SetStatusCallback(t.cfg.PublicBaseURL + "/sms/twilio/status")
	if len(t.cfg.From) > 2 && t.cfg.From[:2] == "MG" {
		params.SetMessagingServiceSid(t.cfg.From)
	} else {
		params.SetFrom(t.cfg.From)
	}
	msg, err := t.api.CreateMessage(params)
	if err != nil {
		return "", classifyTwilio(err)
	}
	if msg.Sid == nil {
		return "", &channel.SendError{Kind: channel.Retry, Err: errors.New("twilio answered without a message sid")}
	}
	return *msg.Sid, nil
}

// classifyTwilio reads Twilio's error codes: 21610 the person replied
// STOP, 21211/21614 the number cannot get SMS, 429/20429/63018 slow down.
func classifyTwilio(err error) error {
	var rest *client.TwilioRestError
	if !errors.As(err, &rest) {
		return &channel.SendError{Kind: channel.Retry, Err: err}
	}
	e := fmt.Errorf("twilio %d: %s", rest.Code, rest.Message)
	switch {
	case rest.Code == 21610:
		return &channel.SendError{Kind: channel.Stopped, Err: e}
	case rest.Code == 21211 || rest.Code == 21614 || rest.Code == 21612 || rest.Code == 21408:
		return &channel.SendError{Kind: channel.Permanent, Err: e}
	case rest.Status == http.StatusTooManyRequests || rest.Code == 20429 || rest.Code == 63018:
		return &channel.SendError{Kind: channel.Retry, Wait: 2 * time.Second, Err: e}
	case rest.Status >= 500:
		return &channel.SendError{Kind: channel.Retry, Err: e}
	}
	return &channel.SendError{Kind: channel.Permanent, Err: e}
}
