package main

import (
	"log/slog"
	"net/http"

	"tracegate/bots/channel"
	"tracegate/bots/sms"
	"tracegate/core/postgres"
)

// gateway is the pipeline with the channels whose credentials are set,
// and their webhooks.
type gateway struct {
	pipeline *channel.Pipeline
	webhooks map[string]http.Handler // by route pattern
}

// smsWebhook is one provider's webhook paths, served by one handler.
type smsWebhook struct {
	ch    channel.Channel
	paths []string
	serve func(p *channel.Pipeline, log *slog.Logger) http.Handler
}

// newGateway turns on each channel whose credentials are set, saying once
// in the log which are off.
func newGateway(cfg config, db *postgres.DB, log *slog.Logger) (*gateway, error) {
	var hooks []smsWebhook
	if cfg.Twilio.AccountSID != "" && cfg.Twilio.AuthToken != "" && cfg.Twilio.From != "" {
		t := cfg.Twilio
		t.PublicBaseURL, t.Policy = cfg.PublicBaseURL, cfg.SMSAccents
		tw := sms.NewTwilio(t)
		hooks = append(hooks, smsWebhook{tw, []string{"/sms/twilio", "/sms/twilio/status"}, tw.Handler})
	} else {
		log.Info("twilio is off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or TWILIO_FROM is unset")
	}
	if cfg.Kannel.SendsmsURL != "" && cfg.Kannel.Secret != "" {
		k := cfg.Kannel
		k.PublicBaseURL, k.Policy = cfg.PublicBaseURL, cfg.SMSAccents
		kn := sms.NewKannel(k)
		hooks = append(hooks, smsWebhook{kn, []string{"/sms/kannel", "/sms/kannel/dlr"}, kn.Handler})
	} else {
		log.Info("kannel is off: KANNEL_SENDSMS_URL or KANNEL_INBOUND_SECRET is unset")
	}
	channels := map[string]channel.Channel{}
	var smsNames []string
	for _, h := range hooks {
		channels[h.ch.Name()] = h.ch
		smsNames = append(smsNames, h.ch.Name())
	}
	p, err := channel.New(channel.Config{
		Store:      db,
		Services:   postgres.NewServices(db),
		Pool:       db.Pool,
		Dialog:     dialogFor(cfg),
		Channels:   channels,
		Route:      sms.Router(defaultSMS(cfg, smsNames), smsNames...),
		Rates:      cfg.SendRates,
		FloodLimit: cfg.FloodLimit,
		Log:        log,
	})
	if err != nil {
		return nil, err
	}
	g := &gateway{pipeline: p, webhooks: map[string]http.Handler{}}
	for _, h := range hooks {
		handler := h.serve(p, log)
		for _, path := range h.paths {
			g.webhooks[path] = handler
		}
	}
	return g, nil
}

// defaultSMS is SMS_PROVIDER when it is on, else the one provider on.
func defaultSMS(cfg config, on []string) string {
	for _, name := range on {
		if name == cfg.SMSProvider {
			return name
		}
	}
	if len(on) > 0 {
		return on[0]
	}
	return ""
}
