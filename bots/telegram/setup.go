package telegram

import (
	"encoding/json"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// allowedUpdates are the updates the gateway acts on.
var allowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// commands are the bot's menu, in each language; each is a keyword of the
// command language.
var commands = map[string][]tgbotapi.BotCommand{
	"vi": {
		{Command: "start", Description: "Bắt đầu, tra cứu mã tem"},
		{Command: "help", Description: "Hướng dẫn"},
		{Command: "lots", Description: "Các lô của cơ sở"},
		{Command: "diary", Description: "Ghi nhật ký sản xuất"},
		{Command: "activate", Description: "Kích hoạt tem"},
		{Command: "lookup", Description: "Tra cứu mã tem"},
		{Command: "lang", Description: "Đổi ngôn ngữ: /lang en"},
	},
	"en": {
		{Command: "start", Description: "Start, check a stamp code"},
		{Command: "help", Description: "Help"},
		{Command: "lots", Description: "Your facility's lots"},
		{Command: "diary", Description: "Record a diary step"},
		{Command: "activate", Description: "Activate stamps"},
		{Command: "lookup", Description: "Check a stamp code"},
		{Command: "lang", Description: "Language: /lang vi"},
	},
}

// Register registers the commands in both languages and, for webhook
// mode, points Telegram's webhook at the gateway with the secret and the
// updates we use. tgbotapi v5.5.1 has no secret_token field, so setWebhook
// goes through MakeRequest with raw parameters.
func (t *Telegram) Register(webhook bool) error {
	for lang, cmds := range commands {
		cfg := tgbotapi.NewSetMyCommands(cmds...)
		cfg.LanguageCode = lang
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
