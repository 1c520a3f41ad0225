package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"tracegate/bots/channel"
	"tracegate/bots/sms"
	"tracegate/bots/telegram"
	"tracegate/bots/web"
	"tracegate/bots/zalo"
	"tracegate/core"
	"tracegate/core/postgres"
)

// adapters are every channel the gateway can have, each turned on when
// its configuration is complete: adding a channel is a line here.
var adapters = []channel.Adapter{
	sms.TwilioAdapter,
	sms.KannelAdapter,
	telegram.Adapter,
	zalo.Adapter,
	web.FeedbackAdapter,
	web.PhoneAdapter,
	web.ZaloSimAdapter,
}

// configured is an adapter with its configuration as read.
type configured struct {
	channel.Adapter
	settings channel.Settings
}

// loadChannels reads every adapter's variables: one set wrong stops every
// command before it starts.
func loadChannels(getenv func(string) string) ([]configured, error) {
	var all []configured
	for _, a := range adapters {
		settings, err := a.Load(getenv)
		if err != nil {
			return nil, err
		}
		all = append(all, configured{a, settings})
	}
	return all, nil
}

// gateway is the pipeline with the channels that are on, and what they
// declared: their webhooks, their photos, their work of their own.
type gateway struct {
	pipeline *channel.Pipeline
	photos   photoSources
	webhooks map[string]http.Handler // by prefix
	runners  []channel.Runner
}

// newGateway opens each channel whose configuration is complete, saying
// once in the log which are off.
func newGateway(cfg config, db *postgres.DB, log *slog.Logger) (*gateway, error) {
	chs, err := openChannels(cfg, db, log)
	if err != nil {
		return nil, err
	}
	p, err := channel.New(channel.Config{
		Store:      retainingStore{db, cfg.RetentionMonths},
		Services:   postgres.NewServices(db),
		Pool:       db.Pool,
		Dialog:     dialogFor(cfg),
		Channels:   channel.ByName(chs...),
		Rates:      cfg.SendRates,
		Workers:    cfg.SendWorkers,
		FloodLimit: cfg.FloodLimit,
		PollOnly:   db.TransactionPooled(),
		Log:        log,
	})
	if err != nil {
		return nil, err
	}
	g := &gateway{pipeline: p, webhooks: map[string]http.Handler{}}
	for _, ch := range chs {
		if w, ok := ch.(channel.Webhooks); ok && w.Prefix() != "" {
			g.webhooks[w.Prefix()] = w.Handler(p, log)
		}
		if ps, ok := ch.(channel.PhotoStore); ok {
			g.photos = append(g.photos, ps)
		}
		if r, ok := ch.(channel.Runner); ok {
			g.runners = append(g.runners, r)
		}
	}
	return g, nil
}

// openChannels opens the channels that are on: dev's only under dev, the
// others when their configuration is complete.
func openChannels(cfg config, db *postgres.DB, log *slog.Logger) ([]channel.Channel, error) {
	shared := channel.Shared{PublicBaseURL: cfg.PublicBaseURL, Policy: cfg.SMSAccents,
		Tokens: func(provider string) core.TokenStore { return postgres.NewTokenStore(db, provider) }}
	var chs []channel.Channel
	for _, c := range cfg.Channels {
		if c.DevOnly && !cfg.Dev {
			continue
		}
		if missing := c.settings.Missing(); missing != "" {
			log.Info(c.Name + " is off: " + missing)
			continue
		}
		ch, err := c.settings.Open(shared)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		chs = append(chs, ch)
	}
	return chs, nil
}

// mount serves each channel's webhooks: its prefix and everything under it.
func (g *gateway) mount(mux *http.ServeMux) {
	for prefix, h := range g.webhooks {
		mux.Handle(prefix, h)
		mux.Handle(prefix+"/", h)
	}
}

// run does the channels' own work (Telegram's polling) until ctx ends.
func (g *gateway) run(ctx context.Context, log *slog.Logger) {
	for _, r := range g.runners {
		go r.Run(ctx, g.pipeline, log)
	}
}

// photoSources fetch a diary photo from the channel that holds it, and
// from no other.
type photoSources []channel.PhotoStore

func (ps photoSources) Photo(ctx context.Context, ref string) ([]byte, string, error) {
	for _, p := range ps {
		if p.HoldsPhoto(ref) {
			return p.Photo(ctx, ref)
		}
	}
	return nil, "", fmt.Errorf("no channel that is on holds photo %q", ref)
}

// orNone is nil when no channel with photos is on: the pages then show
// none rather than broken images.
func (ps photoSources) orNone() web.PhotoSource {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// retainingStore is the database whose hourly housekeeping also detaches
// the months past RETENTION_MONTHS.
type retainingStore struct {
	*postgres.DB
	months int
}

func (s retainingStore) Housekeep(ctx context.Context) (int64, error) {
	return s.HousekeepRetaining(ctx, s.months)
}
