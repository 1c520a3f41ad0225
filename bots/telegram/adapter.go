package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"tracegate/bots/channel"
)

// name is stored on Telegram's messages and is its URNs' scheme.
const name = "telegram"

// How updates arrive (TELEGRAM_MODE).
const (
	modeWebhook = "webhook"
	modePolling = "polling"
)

// Adapter registers Telegram with cmd: TELEGRAM_*.
var Adapter = channel.Adapter{Name: name, Load: func(getenv func(string) string) (channel.Settings, error) {
	cfg := Config{Token: getenv("TELEGRAM_BOT_TOKEN"), WebhookSecret: getenv("TELEGRAM_WEBHOOK_SECRET"),
		APIEndpoint: getenv("TELEGRAM_API_ENDPOINT"), Mode: getenv("TELEGRAM_MODE")}
	if cfg.Mode != "" && cfg.Mode != modeWebhook && cfg.Mode != modePolling {
		return cfg, fmt.Errorf("TELEGRAM_MODE %q must be webhook or polling", cfg.Mode)
	}
	return cfg, nil
}}

// Missing names the token when it is unset.
func (c Config) Missing() string {
	if c.Token == "" {
		return "TELEGRAM_BOT_TOKEN is unset"
	}
	return ""
}

// Open connects, registers the commands and, in webhook mode, the
// webhook; in polling mode Run polls. The mode defaults to webhook when
// the public URL is https, since Telegram calls only https.
func (c Config) Open(s channel.Shared) (channel.Channel, error) {
	c.PublicBaseURL = s.PublicBaseURL
	if c.Mode == "" {
		c.Mode = modePolling
		if strings.HasPrefix(c.PublicBaseURL, "https://") {
			c.Mode = modeWebhook
		}
	}
	webhook := c.Mode == modeWebhook
	if webhook && c.WebhookSecret == "" {
		return nil, fmt.Errorf("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
	}
	tg, err := New(c)
	if err != nil {
		return nil, err
	}
	if err := tg.Register(webhook); err != nil {
		return nil, err
	}
	return tg, nil
}

// Prefix holds /telegram/webhook, served only in webhook mode: a
// polling bot has no webhook.
func (t *Telegram) Prefix() string {
	if t.cfg.Mode == modePolling {
		return ""
	}
	return "/telegram"
}

// Run polls in polling mode; in webhook mode updates come to Handler.
func (t *Telegram) Run(ctx context.Context, p *channel.Pipeline, log *slog.Logger) {
	if t.cfg.Mode == modePolling {
		t.Poll(ctx, p, 25*time.Second, log)
	}
}

// Reach is every Telegram user who opened a chat with the bot.
func (t *Telegram) Reach() channel.Reach { return channel.Reach{Scheme: name} }

// HoldsPhoto says whether ref is a Telegram file id.
func (t *Telegram) HoldsPhoto(ref string) bool { return strings.HasPrefix(ref, name+":") }

var (
	_ channel.Webhooks   = (*Telegram)(nil)
	_ channel.Runner     = (*Telegram)(nil)
	_ channel.Reacher    = (*Telegram)(nil)
	_ channel.PhotoStore = (*Telegram)(nil)
	_ channel.Capable    = (*Telegram)(nil)
)
