package telegram_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/telegram"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	secret     = "webhook-secret"
	farmerID   = 5551234
	consumerID = 7770001
)

// pace is Telegram's, at the fake's tick: 30 a tick in all, 1 a tick to
// one chat.
var pace = channel.RateLimit{PerSecond: 30 / tick.Seconds(), PerChat: 1 / tick.Seconds()}

// world is a honey cooperative whose farmer has linked Telegram, and a
// gateway serving the webhook on loopback against a fake Bot API. Every
// world fails its test if the gateway went over Telegram's limits.
type world struct {
	*channeltest.World
	api *fakeBotAPI
	tg  *telegram.Telegram
}

func newWorld(t testing.TB, errs ...apiError) *world {
	t.Helper()
	seed := pgtest.Seed{Stamps: 50, FarmerURN: []core.URN{"tel:+84912345678", core.URN(fmt.Sprintf("telegram:%d", farmerID))}}
	w := &world{World: channeltest.New(t, seed), api: newFakeBotAPI(t, errs...)}
	t.Cleanup(func() {
		if n := w.api.over(); n > 0 {
			t.Errorf("the gateway went over Telegram's limits %d times", n)
		}
	})
	// Telegram posts JSON with the secret set by setWebhook.
	w.Sign = func(r *http.Request, _ channeltest.Request) {
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	var err error
	w.tg, err = telegram.New(telegram.Config{Token: token, WebhookSecret: secret, APIEndpoint: w.api.endpoint(),
		PublicBaseURL: "https://gateway.example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(w.tg)
	cfg.Backoff, cfg.MaxAttempts, cfg.SendTimeout = 10*time.Millisecond, 3, 5*time.Second
	w.Start(t, cfg, func(p *channel.Pipeline) http.Handler { return w.tg.Handler(p, channeltest.Discard()) })
	return w
}

// config is a pipeline whose one channel is tg, paced as Telegram is at
// the fake's tick.
func config(tg *telegram.Telegram) channel.Config {
	return channel.Config{
		Channels: map[string]channel.Channel{tg.Name(): tg}, Routes: map[string]string{"telegram": tg.Name()},
		Rates: map[string]channel.RateLimit{"telegram": pace},
	}
}

// process is a second gateway process on the same database and Bot API.
func (w *world) process(t testing.TB) (*telegram.Telegram, *channeltest.Process) {
	t.Helper()
	tg, err := telegram.New(telegram.Config{Token: token, WebhookSecret: secret, APIEndpoint: w.api.endpoint()})
	if err != nil {
		t.Fatal(err)
	}
	return tg, w.Process(t, config(tg), func(p *channel.Pipeline) http.Handler { return tg.Handler(p, channeltest.Discard()) })
}

// webhook is Telegram posting an update.
func webhook(update string) channeltest.Request {
	return channeltest.Request{Path: "/telegram/webhook", Body: update}
}

// withSecret is an update posted with secretToken instead: none when "".
func withSecret(update, secretToken string) channeltest.Request {
	r := webhook(update)
	r.Header = map[string]string{"X-Telegram-Bot-Api-Secret-Token": secretToken}
	return r
}

// post delivers an update to the webhook with the given secret.
func (w *world) post(t testing.TB, update string, secretToken string) int {
	t.Helper()
	status, _ := w.Do(t, withSecret(update, secretToken))
	return status
}

// Updates in the Bot API's documented JSON shapes.

// withNUL writes a NUL the way JSON does: the updates below quote their
// text with Go's %q, which writes \x00.
func withNUL(update string) string { return strings.ReplaceAll(update, `\x00`, `\u0000`) }

func textUpdate(updateID int, userID int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764330000,
		"from":{"id":%d,"is_bot":false,"first_name":"Lan","language_code":"vi"},
		"chat":{"id":%d,"first_name":"Lan","type":"private"},"text":%q}}`, updateID, updateID, userID, userID, text)
}

// groupUpdate is a message from userID in a supergroup; replyToBot makes
// it an answer to one of the bot's messages.
func groupUpdate(updateID int, userID int64, text string, replyToBot bool) string {
	reply := ""
	if replyToBot {
		reply = `,"reply_to_message":{"message_id":3,"date":1764329000,"chat":{"id":-1001234567890,"title":"HTX Mật ong","type":"supergroup"},
			"from":{"id":123456,"is_bot":true,"first_name":"Tracegate","username":"TracegateBot"},"text":"Mời chọn lô"}`
	}
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764330000,
		"from":{"id":%d,"is_bot":false,"first_name":"Lan"},
		"chat":{"id":-1001234567890,"title":"HTX Mật ong","type":"supergroup"},"text":%q%s}}`, updateID, updateID, userID, text, reply)
}

// groupMemberUpdate is the bot's membership changing in a supergroup, by
// userID's hand.
func groupMemberUpdate(updateID int, userID int64, status string) string {
	return fmt.Sprintf(`{"update_id":%d,"my_chat_member":{"chat":{"id":-1001234567890,"title":"HTX Mật ong","type":"supergroup"},
		"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"date":1764330000,
		"old_chat_member":{"user":{"id":123456,"is_bot":true,"first_name":"Tracegate"},"status":"member"},
		"new_chat_member":{"user":{"id":123456,"is_bot":true,"first_name":"Tracegate"},"status":%q}}}`,
		updateID, userID, status)
}

func callbackUpdate(updateID int, userID int64, data string) string {
	return fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"cb%d","chat_instance":"-42",
		"from":{"id":%d,"is_bot":false,"first_name":"Lan"},
		"message":{"message_id":1,"date":1764330000,"chat":{"id":%d,"type":"private"},"text":"menu"},
		"data":%q}}`, updateID, updateID, userID, userID, data)
}

func photoUpdate(updateID int, userID int64, caption string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764330000,
		"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},
		"photo":[{"file_id":"AgAD-small","file_unique_id":"s1","width":90,"height":90,"file_size":1200},
		         {"file_id":"AgAD-large","file_unique_id":"l1","width":1280,"height":960,"file_size":98000}],
		"caption":%q}}`, updateID, updateID, userID, userID, caption)
}

func chatMemberUpdate(updateID int, userID int64, status string) string {
	return fmt.Sprintf(`{"update_id":%d,"my_chat_member":{"chat":{"id":%d,"type":"private"},
		"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"date":1764330000,
		"old_chat_member":{"user":{"id":123456,"is_bot":true,"first_name":"Tracegate"},"status":"member"},
		"new_chat_member":{"user":{"id":123456,"is_bot":true,"first_name":"Tracegate"},"status":%q}}}`,
		updateID, userID, userID, status)
}

func contactUpdate(updateID int, userID int64, phone string, owner int64) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764330000,
		"from":{"id":%d,"is_bot":false,"first_name":"Tư"},"chat":{"id":%d,"type":"private"},
		"contact":{"phone_number":%q,"first_name":"Tư","user_id":%d}}}`, updateID, updateID, userID, userID, phone, owner)
}

func locationUpdate(updateID int, userID int64, lat, lon float64) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764330000,
		"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},
		"location":{"latitude":%v,"longitude":%v}}}`, updateID, updateID, userID, userID, lat, lon)
}

// albumUpdate is one photo of an album: Telegram sends each as its own
// message sharing media_group_id, usually only the first with a caption.
func albumUpdate(updateID int, userID int64, album, fileID, caption string) string {
	text := ""
	if caption != "" {
		text = fmt.Sprintf(`,"caption":%q`, caption)
	}
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1764330000,
		"from":{"id":%d,"is_bot":false,"first_name":"Lan"},"chat":{"id":%d,"type":"private"},
		"media_group_id":%q,
		"photo":[{"file_id":"%s-small","file_unique_id":"%s-s","width":90,"height":90,"file_size":1200},
		         {"file_id":%q,"file_unique_id":"%s-l","width":1280,"height":960,"file_size":98000}]%s}}`,
		updateID, updateID, userID, userID, album, fileID, fileID, fileID, fileID, text)
}
