package zalo_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/zalo"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Zalo user ids: a farmer and a consumer who both follow the OA.
const (
	farmerID   = "8901234567890123456"
	consumerID = "2468013579246801357"
	oaID       = "579745863508352884"
)

// world is the honey cooperative with the farmer on Zalo, a gateway
// serving the webhook on loopback and a fake Zalo behind it.
type world struct {
	*channeltest.World
	zalo *fakeZalo
	seed string
}

func newWorld(t testing.TB) *world {
	t.Helper()
	// The farmer's Zalo account is not hers yet: she links it with
	// LIENKET (flows_test.go).
	seed := pgtest.Seed{Stamps: 50}
	w := &world{World: channeltest.New(t, seed), zalo: newFakeZalo(t)}
	w.seed = w.zalo.seed()
	w.zalo.interact(farmerID, consumerID)
	// Zalo signs app_id + body + timestamp + the OA secret key.
	w.Sign = func(r *http.Request, req channeltest.Request) {
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-ZEvent-Signature", "mac="+sign(t, req.Body))
	}
	z := w.channel()
	w.Start(t, config(z), func(p *channel.Pipeline) http.Handler { return z.Handler(p, channeltest.Discard()) })
	return w
}

// channel is one gateway process's Zalo channel, on the shared store.
func (w *world) channel() *zalo.Zalo {
	return zalo.New(zalo.Config{AppID: appID, AppSecret: appSecret, OASecretKey: oaSecretKey, RefreshToken: w.seed,
		OpenAPIBase: w.zalo.openapi.URL, OAuthBase: w.zalo.oauth.URL}, postgres.NewTokenStore(w.DB, "zalo"))
}

// config is a pipeline whose one channel is z, paced as Zalo is but ten
// times faster, so that a burst to one user does not take seconds.
func config(z *zalo.Zalo) channel.Config {
	return channel.Config{Channels: map[string]channel.Channel{z.Name(): z}, Routes: map[string]string{"zalo": z.Name()},
		Rates:   map[string]channel.RateLimit{"zalo": {PerSecond: 100, PerChat: 10}},
		Backoff: 10 * time.Millisecond, MaxAttempts: 3, SendTimeout: 5 * time.Second}
}

// process is a second gateway process on the same database and Zalo.
func (w *world) process(t testing.TB) *channeltest.Process {
	z := w.channel()
	return w.Process(t, config(z), func(p *channel.Pipeline) http.Handler { return z.Handler(p, channeltest.Discard()) })
}

// sign is the mac of a body, with app_id and timestamp read from it.
func sign(t testing.TB, body string) string {
	var env struct {
		AppID     string `json:"app_id"`
		Timestamp string `json:"timestamp"`
	}
	json.Unmarshal([]byte(body), &env) // a body that is not JSON is signed with nothing
	return zalo.Signature(env.AppID, []byte(body), env.Timestamp, oaSecretKey)
}

// webhook is Zalo posting an event, signed.
func webhook(event string) channeltest.Request {
	return channeltest.Request{Path: "/zalo/webhook", Body: event}
}

// signedAs is an event posted with the given X-ZEvent-Signature: none
// when "".
func signedAs(event, signature string) channeltest.Request {
	r := webhook(event)
	r.Unsigned = true
	r.Header = map[string]string{"Content-Type": "application/json"}
	if signature != "" {
		r.Header["X-ZEvent-Signature"] = signature
	}
	return r
}

// Events in the shapes Zalo's OA webhook posts.

const ts = "1764330000123"

func textEvent(msgID, user, text string) string {
	return fmt.Sprintf(`{"app_id":%q,"sender":{"id":%q},"user_id_by_app":"5555000011112222","recipient":{"id":%q},
		"event_name":"user_send_text","message":{"text":%q,"msg_id":%q},"timestamp":%q}`, appID, user, oaID, text, msgID, ts)
}

func imageEvent(msgID, user, caption, url string) string {
	return fmt.Sprintf(`{"app_id":%q,"sender":{"id":%q},"user_id_by_app":"5555000011112222","recipient":{"id":%q},
		"event_name":"user_send_image","message":{"text":%q,"msg_id":%q,
		"attachments":[{"type":"image","payload":{"thumbnail":%q,"url":%q}}]},"timestamp":%q}`,
		appID, user, oaID, caption, msgID, url, url, ts)
}

// locationEvent carries its coordinates as strings, as Zalo sends them.
func locationEvent(msgID, user string, lat, lon float64) string {
	return fmt.Sprintf(`{"app_id":%q,"sender":{"id":%q},"recipient":{"id":%q},"event_name":"user_send_location",
		"message":{"msg_id":%q,"attachments":[{"type":"location","payload":{"coordinates":{"latitude":"%v","longitude":"%v"}}}]},
		"timestamp":%q}`, appID, user, oaID, msgID, lat, lon, ts)
}

func followEvent(event, user string) string {
	return fmt.Sprintf(`{"app_id":%q,"oa_id":%q,"user_id_by_app":"5555000011112222","event_name":%q,
		"timestamp":%q,"source":"oa_profile","follower":{"id":%q}}`, appID, oaID, event, ts, user)
}

// mediaEvent is a sticker, an audio, a file or a link.
func mediaEvent(event, msgID, user, kind string) string {
	return fmt.Sprintf(`{"app_id":%q,"sender":{"id":%q},"recipient":{"id":%q},"event_name":%q,
		"message":{"msg_id":%q,"attachments":[{"type":%q,"payload":{"url":"https://zalo-file.example/f/%s","id":"bc7d1"}}]},
		"timestamp":%q}`, appID, user, oaID, event, msgID, kind, msgID, ts)
}
