// Package telegram is the Telegram channel on the pipeline: updates in by
// webhook, the dialog's menus as inline keyboards, its links as URL
// buttons, and Telegram's limits and errors on the way out.
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
)

// Config is what the Telegram channel needs.
type Config struct {
	Token         string
	WebhookSecret string // compared with X-Telegram-Bot-Api-Secret-Token
	// APIEndpoint overrides https://api.telegram.org/bot%s/%s (tests, a
	// local Bot API server); it takes the token and the method.
	APIEndpoint   string
	PublicBaseURL string
	// Mode is how updates arrive: webhook or polling (TELEGRAM_MODE); Open
	// picks one when it is empty.
	Mode string
}

// Telegram is the Telegram Bot API channel.
type Telegram struct {
	cfg Config
	bot *tgbotapi.BotAPI
}

var _ channel.Channel = (*Telegram)(nil)

// New connects to the Bot API; the library asks getMe at once, so a wrong
// token fails here, at start, not at the first message.
func New(cfg Config) (*Telegram, error) {
	if cfg.APIEndpoint == "" {
		cfg.APIEndpoint = tgbotapi.APIEndpoint
	}
	bot, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIEndpoint, &http.Client{Timeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	return &Telegram{cfg: cfg, bot: bot}, nil
}

// Name is stored on Telegram's messages.
func (t *Telegram) Name() string { return name }

// Pace is Telegram's: about 30 messages a second in all, one a second to
// any one chat.
func (t *Telegram) Pace() core.Pace { return core.Pace{Every: time.Second / 30, PerChat: time.Second} }

// Concurrency: the Bot API answers in tens to hundreds of milliseconds,
// so 10 sends at once keep its 30 a second.
func (t *Telegram) Concurrency() int { return 10 }

// Capabilities are Telegram's: buttons, a button that shares the
// person's phone number, photos, 4,096 characters a message.
func (t *Telegram) Capabilities() dialog.Capabilities {
	return dialog.Capabilities{Buttons: true, ShareContact: true, Photos: true, MaxText: maxText}
}

// Render lays a reply out for Telegram: plain text, the menu as buttons
// that answer the pending question by its number, the link as a URL
// button.
func (t *Telegram) Render(r dialog.Reply) channel.Outgoing {
	lines := make([]string, 0, len(r.Lines))
	for _, l := range r.Lines {
		lines = append(lines, l.Text)
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, ch := range r.Menu {
		number := strconv.Itoa(i + 1)
		if ch.Value == "0" {
			number = "0"
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(ch.Label, number)))
	}
	if r.Link != "" {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL(dialog.LinkLabel(r.Lang), r.Link)))
	}
	out := channel.Outgoing{Text: strings.Join(lines, "\n")}
	switch {
	case r.AskContact:
		// A one-time keyboard whose button shares the person's own number.
		kb := tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(
			tgbotapi.NewKeyboardButtonContact(dialog.ShareContactLabel(r.Lang))))
		out.Meta, _ = json.Marshal(kb)
	case len(rows) > 0:
		out.Meta, _ = json.Marshal(tgbotapi.NewInlineKeyboardMarkup(rows...))
	}
	return out
}

// maxText is Telegram's limit on one message.
const maxText = 4096

// Send sends the text, split at Telegram's limit, with the keyboard on the
// last part; it returns the last part's message id.
func (t *Telegram) Send(_ context.Context, to core.URN, out channel.Outgoing) (string, error) {
	chatID, err := strconv.ParseInt(to.Path(), 10, 64)
	if err != nil || to.Scheme() != name {
		return "", &channel.SendError{Kind: channel.Permanent, Err: fmt.Errorf("%s is not a Telegram chat", to)}
	}
	parts := split(out.Text, maxText)
	var sent tgbotapi.Message
	for i, part := range parts {
		msg := tgbotapi.NewMessage(chatID, part)
		if i == len(parts)-1 && len(out.Meta) > 0 {
			msg.ReplyMarkup = json.RawMessage(out.Meta) // encoded by Render, sent as is
		}
		if sent, err = t.bot.Send(msg); err != nil {
			return "", classify(err)
		}
	}
	return strconv.Itoa(sent.MessageID), nil
}

// classify reads the Bot API's errors: 429 says how long to wait, 403 is
// a user who blocked the bot or deleted their account, 400 a message that
// will never go.
func classify(err error) error {
	var tgErr *tgbotapi.Error
	if !errors.As(err, &tgErr) {
		return &channel.SendError{Kind: channel.Retry, Err: err}
	}
	switch {
	case tgErr.Code == http.StatusTooManyRequests:
		wait := time.Duration(max(tgErr.RetryAfter, 1)) * time.Second
		return &channel.SendError{Kind: channel.Retry, Wait: wait, Err: err}
	case tgErr.Code == http.StatusForbidden && strings.Contains(tgErr.Message, "can't initiate conversation"):
		// Someone who never opened a private chat with the bot blocked nothing.
		return &channel.SendError{Kind: channel.Permanent, Err: err}
	case tgErr.Code == http.StatusForbidden:
		return &channel.SendError{Kind: channel.Stopped, Err: err}
	case tgErr.Code >= 500:
		return &channel.SendError{Kind: channel.Retry, Err: err}
	}
	return &channel.SendError{Kind: channel.Permanent, Err: err}
}

// split cuts text into parts of at most n characters, at a line break
// when there is one.
func split(text string, n int) []string {
	var parts []string
	for utf8.RuneCountInString(text) > n {
		r := []rune(text)
		cut := n
		if i := strings.LastIndex(string(r[:n]), "\n"); i > 0 {
			cut = utf8.RuneCountInString(string(r[:n])[:i])
		}
		parts = append(parts, string(r[:cut]))
		text = strings.TrimLeft(string(r[cut:]), "\n")
	}
	return append(parts, text)
}
