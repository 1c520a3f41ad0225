package sms

import (
	"fmt"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
)

// The provider names, stored on their messages and spelled so in
// SMS_PROVIDER and SEND_RATES.
const (
	twilioName = "twilio"
	kannelName = "kannel"
)

// TwilioAdapter registers Twilio with cmd: TWILIO_* and SMS_PROVIDER.
var TwilioAdapter = channel.Adapter{Name: twilioName, Load: func(getenv func(string) string) (channel.Settings, error) {
	provider, err := defaultProvider(getenv)
	return TwilioConfig{AccountSID: getenv("TWILIO_ACCOUNT_SID"), AuthToken: getenv("TWILIO_AUTH_TOKEN"),
		From: getenv("TWILIO_FROM"), APIBase: getenv("TWILIO_API_BASE"), Default: provider == twilioName}, err
}}

// KannelAdapter registers Kannel with cmd: KANNEL_* and SMS_PROVIDER.
var KannelAdapter = channel.Adapter{Name: kannelName, Load: func(getenv func(string) string) (channel.Settings, error) {
	provider, err := defaultProvider(getenv)
	return KannelConfig{SendsmsURL: getenv("KANNEL_SENDSMS_URL"), Username: getenv("KANNEL_USERNAME"),
		Password: getenv("KANNEL_PASSWORD"), From: getenv("KANNEL_FROM"), Secret: getenv("KANNEL_INBOUND_SECRET"),
		Default: provider == kannelName}, err
}}

// defaultProvider reads SMS_PROVIDER: the provider for notices to someone
// who never wrote by SMS.
func defaultProvider(getenv func(string) string) (string, error) {
	provider := getenv("SMS_PROVIDER")
	switch provider {
	case "":
		return twilioName, nil
	case twilioName, kannelName:
		return provider, nil
	}
	return "", fmt.Errorf("SMS_PROVIDER %q must be twilio or kannel", provider)
}

// Missing names Twilio's credentials when one is unset.
func (c TwilioConfig) Missing() string {
	if c.AccountSID == "" || c.AuthToken == "" || c.From == "" {
		return "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or TWILIO_FROM is unset"
	}
	return ""
}

// Open builds the provider, signing and calling back at the public URL.
func (c TwilioConfig) Open(s channel.Shared) (channel.Channel, error) {
	c.PublicBaseURL, c.Policy = s.PublicBaseURL, s.Policy
	return NewTwilio(c), nil
}

// Missing names what Kannel needs when it is unset.
func (c KannelConfig) Missing() string {
	if c.SendsmsURL == "" || c.Secret == "" {
		return "KANNEL_SENDSMS_URL or KANNEL_INBOUND_SECRET is unset"
	}
	return ""
}

// Open builds the provider, with delivery reports to the public URL.
func (c KannelConfig) Open(s channel.Shared) (channel.Channel, error) {
	c.PublicBaseURL, c.Policy = s.PublicBaseURL, s.Policy
	return NewKannel(c), nil
}

// Prefix holds /sms/twilio and /sms/twilio/status.
func (t *Twilio) Prefix() string { return "/sms/twilio" }

// Prefix holds /sms/kannel and /sms/kannel/dlr.
func (k *Kannel) Prefix() string { return "/sms/kannel" }

// Reach is every phone; SMS_PROVIDER says which provider a phone that
// never wrote gets.
func (t *Twilio) Reach() channel.Reach { return channel.Reach{Scheme: "tel", Default: t.cfg.Default} }

// Reach is every phone, like Twilio's.
func (k *Kannel) Reach() channel.Reach { return channel.Reach{Scheme: "tel", Default: k.cfg.Default} }

// Capabilities are a basic phone's: text in three parts, no buttons;
// Twilio's MMS bring photos.
func (t *Twilio) Capabilities() dialog.Capabilities {
	return dialog.Capabilities{Photos: true, MaxText: channel.SMSMaxText}
}

// Capabilities are a basic phone's: text in three parts, no buttons, and
// no photos through a short code.
func (k *Kannel) Capabilities() dialog.Capabilities {
	return dialog.Capabilities{MaxText: channel.SMSMaxText}
}

var (
	_ channel.Webhooks   = (*Twilio)(nil)
	_ channel.Webhooks   = (*Kannel)(nil)
	_ channel.PhotoStore = (*Twilio)(nil)
	_ channel.Reacher    = (*Twilio)(nil)
	_ channel.Reacher    = (*Kannel)(nil)
	_ channel.Capable    = (*Twilio)(nil)
	_ channel.Capable    = (*Kannel)(nil)
)
