package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tracegate/bots/channel"
	"tracegate/core"
)

// maxUpdate bounds an update's body: Telegram's are a few KiB.
const maxUpdate = 1 << 20

// Handler serves POST /telegram/webhook. An update is answered 200 only
// after it is committed, so Telegram redelivers what we did not keep.
func (t *Telegram) Handler(p *channel.Pipeline, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /telegram/webhook", func(w http.ResponseWriter, r *http.Request) {
		given := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if t.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(given), []byte(t.cfg.WebhookSecret)) != 1 {
			http.Error(w, "wrong secret", http.StatusUnauthorized)
			return
		}
		var u tgbotapi.Update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdate)).Decode(&u); err != nil {
			http.Error(w, "not an update", http.StatusBadRequest)
			return
		}
		if err := t.handle(r.Context(), p, u); err != nil && !skippable(err, u, log) {
			log.Error("telegram update", slog.Int("update_id", u.UpdateID), slog.Any("err", err))
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	return mux
}

// handle hands an update to the pipeline: messages and button presses are
// messages; a user blocking or unblocking the bot stops or resumes them.
func (t *Telegram) handle(ctx context.Context, p *channel.Pipeline, u tgbotapi.Update) error {
	switch {
	case u.Message != nil && u.Message.From != nil && u.Message.Chat != nil && !u.Message.Chat.IsPrivate():
		if !t.meantForUs(u.Message) {
			return nil // group talk that is not for the bot: not ours to keep
		}
		in := inboundMessage(u)
		in.ReplyTo = urnOf(u.Message.Chat.ID)
		return p.Receive(ctx, t, in)
	case u.Message != nil && u.Message.From != nil:
		return p.Receive(ctx, t, inboundMessage(u))
	case u.CallbackQuery != nil && u.CallbackQuery.From != nil:
		in := channel.Inbound{URN: urnOf(u.CallbackQuery.From.ID), Text: u.CallbackQuery.Data,
			ProviderID: strconv.Itoa(u.UpdateID), ReceivedAt: time.Now()}
		if err := p.Receive(ctx, t, in); err != nil {
			return err
		}
		// The button stops spinning; a failure here loses nothing.
		t.bot.Request(tgbotapi.NewCallback(u.CallbackQuery.ID, ""))
		return nil
	case u.MyChatMember != nil && u.MyChatMember.Chat.IsPrivate():
		// Only a private chat's membership is the person's will: leaving or
		// removing the bot from a group blocks nothing.
		status := u.MyChatMember.NewChatMember.Status
		return p.SetStopped(ctx, urnOf(u.MyChatMember.From.ID), status == "kicked" || status == "left")
	}
	return nil // updates we do not use are acknowledged and dropped
}

// skippable says whether an update failed for good (it can never be
// stored): it is logged and acknowledged, so that Telegram does not send
// it forever, nor hold back the updates after it.
func skippable(err error, u tgbotapi.Update, log *slog.Logger) bool {
	if core.ErrorCodeOf(err) != core.EINVALID {
		return false
	}
	log.Warn("telegram update skipped", slog.Int("update_id", u.UpdateID), slog.Any("err", err))
	return true
}

// meantForUs says whether a group message is for the bot: a command
// without a bot's name or with ours, or an answer to one of our messages.
func (t *Telegram) meantForUs(m *tgbotapi.Message) bool {
	if m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == t.bot.Self.ID {
		return true
	}
	cmd, _, _ := strings.Cut(strings.TrimSpace(textOf(m)), " ")
	if !strings.HasPrefix(cmd, "/") {
		return false
	}
	_, bot, addressed := strings.Cut(cmd, "@")
	return !addressed || strings.EqualFold(bot, t.bot.Self.UserName)
}

// inboundMessage normalises a message: /start <code> is a lookup (the QR
// code's deep link), other commands are our keywords, a photo's caption is
// its text.
func inboundMessage(u tgbotapi.Update) channel.Inbound {
	m := u.Message
	in := channel.Inbound{URN: urnOf(m.From.ID), Text: commandText(textOf(m)), ProviderID: strconv.Itoa(u.UpdateID),
		ReceivedAt: time.Unix(int64(m.Date), 0)}
	switch {
	case len(m.Photo) > 0:
		in.Photos = []string{"telegram:" + m.Photo[len(m.Photo)-1].FileID} // the largest size
	case m.Document != nil && strings.HasPrefix(m.Document.MimeType, "image/"):
		in.Photos = []string{"telegram:" + m.Document.FileID} // a photo sent as a file, uncompressed
	default:
		in.Attachment = attachmentOf(m)
	}
	in.Album = m.MediaGroupID
	if m.Location != nil {
		in.Location = &core.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude}
	}
	if m.Contact != nil && m.Contact.PhoneNumber != "" {
		if tel, err := core.TelURN(m.Contact.PhoneNumber); err == nil {
			in.Contact, in.ContactOwn = &tel, m.Contact.UserID == m.From.ID
		}
	}
	return in
}

// textOf is a message's text, or the caption of its photo or file.
func textOf(m *tgbotapi.Message) string {
	if m.Text != "" {
		return m.Text
	}
	return m.Caption
}

// attachmentOf names what a message carries that the dialog cannot read.
func attachmentOf(m *tgbotapi.Message) string {
	switch {
	case m.Voice != nil:
		return "voice"
	case m.Audio != nil:
		return "audio"
	case m.Video != nil || m.VideoNote != nil:
		return "video"
	case m.Sticker != nil:
		return "sticker"
	case m.Document != nil:
		return "file"
	}
	return ""
}

// commandText turns Telegram's commands into the words of the command
// language: /start 4K7M2QX95 looks the code up, /start alone is help,
// /lang en switches language; the others are keywords already.
func commandText(text string) string {
	cmd, arg, _ := strings.Cut(strings.TrimSpace(text), " ")
	if !strings.HasPrefix(cmd, "/") {
		return text
	}
	cmd, _, _ = strings.Cut(cmd, "@") // /start@TracegateBot in groups
	switch strings.ToLower(cmd) {
	case "/start", "/lang":
		if arg == "" {
			return "HELP"
		}
		return arg
	}
	return strings.TrimSpace(cmd + " " + arg)
}

// urnOf is a user's URN, or a group's (whose chat id is negative).
func urnOf(id int64) core.URN { return core.URN("telegram:" + strconv.FormatInt(id, 10)) }

// errNoWebhook is returned when the gateway has no https address for
// Telegram to call.
var errNoWebhook = errors.New("telegram webhook needs PUBLIC_BASE_URL on https (or TELEGRAM_MODE=polling)")
