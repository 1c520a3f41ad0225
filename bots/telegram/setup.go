package telegram

import (
	"encoding/json"
	"fmt"
	"strings"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/locales"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the updates the gateway acts on.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// menu is the bot's command menu in lang: /start (a stamp's QR code
// opens it with the code), then the dialog's own.
func menu(lang core.Lang) []tgbotapi.BotCommand {
	start := locales.Print(lang, "menu_start", nil)
	cmds := []tgbotapi.BotCommand{{Command: "start", Description: start}}
	for _, e := range dialog.Menu(lang) {
		cmds = append(cmds, tgbotapi.BotCommand{Command: e.Command, Description: e.Description})
	}
	return cmds
}

// Register registers the commands in both languages and, for webhook
// mode, points Telegram's webhook at the gateway with the secret and the
// updates we use. tgbotapi v5.5.1 has no secret_token field, so setWebhook
// goes through MakeRequest with raw parameters.
func (t *Telegram) Register(webhook bool) error {
	for _, lang := range []core.Lang{core.LangVI, core.LangEN} {
		cfg := tgbotapi.NewSetMyCommands(menu(lang)...)
		cfg.LanguageCode = string(lang)
		if _, err := t.bot.Request(cfg); err != nil {
			return fmt.Errorf("telegram setMyCommands %s: %w", lang, err)
		}
	}
	if !webhook {
		return nil
	}
	if !strings.HasPrefix(t.cfg.PublicBaseURL, "https://") {
		return errNoWebhook
	}
	allowed, _ := json.Marshal(allowedUpdates)
	params := tgbotapi.Params{
		"url":             t.cfg.PublicBaseURL + "/telegram/webhook",
		"secret_token":    t.cfg.WebhookSecret,
		"allowed_updates": string(allowed),
	}
	if _, err := t.bot.MakeRequest("setWebhook", params); err != nil {
		return fmt.Errorf("telegram setWebhook: %w", err)
	}
	return nil
}
