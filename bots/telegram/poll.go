package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tracegate/bots/channel"
)

// pollerLock is the lock the polling process holds: Telegram hands
// updates to one getUpdates caller at a time, and two would fight.
const pollerLock = "telegram-poller"

// Poll fetches updates with getUpdates, for deployments without a public
// https address, until ctx ends. Only one gateway process polls at a
// time; the others wait for its lock. The offset moves past an update
// only once the update is committed, so a crash re-fetches, and the
// update_id dedupes.
func (t *Telegram) Poll(ctx context.Context, p *channel.Pipeline, wait time.Duration, log *slog.Logger) {
	for ctx.Err() == nil {
		release, ok, err := p.TryLock(ctx, pollerLock)
		if err == nil && ok {
			err = t.pollAsLeader(ctx, p, wait, log)
			release()
		}
		if err != nil && ctx.Err() == nil {
			log.Warn("telegram polling", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

func (t *Telegram) pollAsLeader(ctx context.Context, p *channel.Pipeline, wait time.Duration, log *slog.Logger) error {
	// getUpdates is refused while a webhook is set.
	if _, err := t.bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		return fmt.Errorf("deleteWebhook: %w", err)
	}
	offset := 0
	for ctx.Err() == nil {
		cfg := tgbotapi.NewUpdate(offset)
		cfg.Timeout = int(max(wait/time.Second, 1))
		cfg.AllowedUpdates = allowedUpdates
		updates, err := t.bot.GetUpdates(cfg)
		if err != nil {
			return fmt.Errorf("getUpdates: %w", err)
		}
		for _, u := range updates {
			if err := t.handle(ctx, p, u); err != nil && !skippable(err, u, log) {
				return fmt.Errorf("update %d: %w", u.UpdateID, err)
			}
			offset = u.UpdateID + 1
		}
	}
	return nil
}
