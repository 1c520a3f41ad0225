package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/telegram"
	"tracegate/core"
	"tracegate/core/postgres"
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
// gateway serving the webhook on loopback against a fake Bot API.
type world struct {
	db      *postgres.DB
	api     *fakeBotAPI
	tg      *telegram.Telegram
	pipe    *channel.Pipeline
	gateway *httptest.Server
	codes   []core.Code
}

func newWorld(t testing.TB, errs ...apiError) *world {
	t.Helper()
	db := postgres.New(pgtest.New(t))
	s := postgres.NewServices(db)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	seeded := pgtest.Seed{Stamps: 50, FarmerURN: []core.URN{"tel:+84912345678", core.URN(fmt.Sprintf("telegram:%d", farmerID))}}.Plant(t, s)
	w := &world{db: db, api: newFakeBotAPI(t, errs...), codes: seeded.Codes}
	t.Cleanup(func() {
		if n := w.api.over(); n > 0 {
			t.Errorf("the gateway went over Telegram's limits %d times", n)
		}
	})
	var err error
	var handler http.Handler = http.NotFoundHandler()
	w.gateway = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { handler.ServeHTTP(rw, r) }))
	t.Cleanup(w.gateway.Close)
	w.tg, err = telegram.New(telegram.Config{Token: token, WebhookSecret: secret, APIEndpoint: w.api.endpoint(),
		PublicBaseURL: "https://gateway.example.vn"})
	must(err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p, err := channel.New(channel.Config{
		Store: db, Services: s, Pool: db.Pool,
		Dialog:   dialog.Dialog{BaseURL: "https://truyxuat.example.vn", DefaultLang: core.LangVI},
		Channels: map[string]channel.Channel{w.tg.Name(): w.tg}, Routes: map[string]string{"telegram": w.tg.Name()},
		Rates:   map[string]channel.RateLimit{"telegram": pace},
		Backoff: 10 * time.Millisecond, MaxAttempts: 3, SendTimeout: 5 * time.Second, Log: log,
	})
	must(err)
	runCtx, cancel := context.WithCancel(context.Background())
	must(p.Start(runCtx))
	t.Cleanup(func() { p.Stop(context.Background()); cancel() })
	handler = w.tg.Handler(p, log)
	w.pipe = p
	return w
}

// process is a second gateway process on the same database and Bot API.
func (w *world) process(t testing.TB) (*telegram.Telegram, *channel.Pipeline) {
	t.Helper()
	tg, err := telegram.New(telegram.Config{Token: token, WebhookSecret: secret, APIEndpoint: w.api.endpoint()})
	if err != nil {
		t.Fatal(err)
	}
	p, err := channel.New(channel.Config{
		Store: w.db, Services: postgres.NewServices(w.db), Pool: w.db.Pool,
		Dialog:   dialog.Dialog{BaseURL: "https://truyxuat.example.vn", DefaultLang: core.LangVI},
		Channels: map[string]channel.Channel{tg.Name(): tg}, Routes: map[string]string{"telegram": tg.Name()},
		Rates: map[string]channel.RateLimit{"telegram": pace},
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(context.Background()); cancel() })
	return tg, p
}

// post delivers an update to the webhook with the given secret.
func (w *world) post(t testing.TB, update string, secretToken string) int {
	t.Helper()
	return postSecret(t, w.gateway.URL, update, secretToken)
}

func postSecret(t testing.TB, base, update, secretToken string) int {
	t.Helper()
	status, err := deliver(base, update, secretToken)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

// deliver posts an update to the webhook of the gateway at base, as
// Telegram does: from any goroutine.
func deliver(base, update, secretToken string) (int, error) {
	req, _ := http.NewRequest("POST", base+"/telegram/webhook", strings.NewReader(update))
	req.Header.Set("Content-Type", "application/json")
	if secretToken != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secretToken)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

func (w *world) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	return pgtest.Count(t, w.db.Pool, sql, args...)
}

// settle waits until no message is queued.
func (w *world) settle(t testing.TB) {
	t.Helper()
	pgtest.WaitSent(t, w.db.Pool, 30*time.Second)
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
