package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/sms"
	"tracegate/bots/telegram"
	"tracegate/bots/web"
	"tracegate/core"
	"tracegate/core/postgres"
)

// gateway is the pipeline with the channels whose credentials are set,
// and their webhooks.
type gateway struct {
	pipeline *channel.Pipeline
	photos   photoSources            // Telegram's and Twilio's, those on
	webhooks map[string]http.Handler // by route pattern
	// poll fetches updates for channels without a webhook until ctx ends.
	poll func(ctx context.Context)
}

// webhook is one channel's webhook paths, served by one handler.
type webhook struct {
	ch    channel.Channel
	paths []string
	serve func(p *channel.Pipeline, log *slog.Logger) http.Handler
}

// newGateway turns on each channel whose credentials are set, saying once
// in the log which are off.
func newGateway(cfg config, db *postgres.DB, log *slog.Logger) (*gateway, error) {
	var hooks []webhook
	var photos photoSources
	if cfg.Twilio.AccountSID != "" && cfg.Twilio.AuthToken != "" && cfg.Twilio.From != "" {
		t := cfg.Twilio
		t.PublicBaseURL, t.Policy = cfg.PublicBaseURL, cfg.SMSAccents
		tw := sms.NewTwilio(t)
		photos.twilio = tw
		hooks = append(hooks, webhook{tw, []string{"/sms/twilio", "/sms/twilio/status"}, tw.Handler})
	} else {
		log.Info("twilio is off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or TWILIO_FROM is unset")
	}
	if cfg.Kannel.SendsmsURL != "" && cfg.Kannel.Secret != "" {
		k := cfg.Kannel
		k.PublicBaseURL, k.Policy = cfg.PublicBaseURL, cfg.SMSAccents
		kn := sms.NewKannel(k)
		hooks = append(hooks, webhook{kn, []string{"/sms/kannel", "/sms/kannel/dlr"}, kn.Handler})
	} else {
		log.Info("kannel is off: KANNEL_SENDSMS_URL or KANNEL_INBOUND_SECRET is unset")
	}
	// The web's feedback form is a channel too; its replies are shown on
	// the page.
	channels := map[string]channel.Channel{core.ChannelWeb: web.Channel{}}
	routes := map[string]string{"telegram": "telegram"}
	if cfg.DevPhone {
		// Phones with no SMS provider ring in the simulator, notices too.
		channels["phone"] = web.Phone{Policy: cfg.SMSAccents}
		routes["tel"] = "phone"
	}
	var smsNames []string
	for _, h := range hooks {
		channels[h.ch.Name()] = h.ch
		smsNames = append(smsNames, h.ch.Name())
	}
	tg, err := newTelegram(cfg, log)
	if err != nil {
		return nil, err
	}
	if tg != nil {
		channels[tg.Name()] = tg
		hooks = append(hooks, webhook{tg, []string{"/telegram/webhook"}, tg.Handler})
	}
	p, err := channel.New(channel.Config{
		Store:      db,
		Services:   postgres.NewServices(db),
		Pool:       db.Pool,
		Dialog:     dialogFor(cfg),
		Channels:   channels,
		Routes:     routes,
		Route:      sms.Router(defaultSMS(cfg, smsNames), smsNames...),
		Rates:      cfg.SendRates,
		FloodLimit: cfg.FloodLimit,
		Log:        log,
	})
	if err != nil {
		return nil, err
	}
	if tg != nil {
		photos.telegram = tg
	}
	g := &gateway{pipeline: p, photos: photos, webhooks: map[string]http.Handler{}, poll: func(context.Context) {}}
	if tg != nil && cfg.TelegramMode == "polling" {
		g.poll = func(ctx context.Context) { tg.Poll(ctx, p, 25*time.Second, log) }
	}
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

// newTelegram turns Telegram on when its token is set: in webhook mode it
// registers the webhook and the commands at start; in polling mode the
// gateway polls (see gateway.poll).
func newTelegram(cfg config, log *slog.Logger) (*telegram.Telegram, error) {
	if cfg.Telegram.Token == "" {
		log.Info("telegram is off: TELEGRAM_BOT_TOKEN is unset")
		return nil, nil
	}
	tc := cfg.Telegram
	tc.PublicBaseURL = cfg.PublicBaseURL
	tg, err := telegram.New(tc)
	if err != nil {
		return nil, err
	}
	webhook := cfg.TelegramMode == "webhook"
	if webhook && tc.WebhookSecret == "" {
		return nil, fmt.Errorf("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
	}
	if err := tg.Register(webhook); err != nil {
		return nil, err
	}
	return tg, nil
}

// photoSources fetches a diary photo from the channel it came by:
// Telegram's file ids, Twilio's media URLs.
type photoSources struct {
	telegram, twilio web.PhotoSource
}

func (p photoSources) Photo(ctx context.Context, ref string) ([]byte, string, error) {
	switch {
	case strings.HasPrefix(ref, "telegram:") && p.telegram != nil:
		return p.telegram.Photo(ctx, ref)
	case strings.HasPrefix(ref, "https://api.twilio.com/") && p.twilio != nil:
		return p.twilio.Photo(ctx, ref)
	}
	return nil, "", fmt.Errorf("no channel that is on holds photo %q", ref)
}

// orNone is nil when no channel with photos is on: the pages then show
// none rather than broken images.
func (p photoSources) orNone() web.PhotoSource {
	if p.telegram == nil && p.twilio == nil {
		return nil
	}
	return p
}
