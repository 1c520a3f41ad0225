package sms_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/sms"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	farmerPhone   = "+84912345678"
	consumerPhone = "+84977000001"
)

// world is a honey cooperative with a farmer, a lot and activated stamps,
// and a gateway serving the SMS webhooks on loopback. Requests to Twilio's
// webhooks are signed as Twilio signs them.
type world struct{ *channeltest.World }

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{channeltest.New(t, pgtest.Seed{})}
	w.Sign = func(r *http.Request, req channeltest.Request) {
		if strings.HasPrefix(r.URL.Path, "/sms/twilio") {
			r.Header.Set("X-Twilio-Signature", sign(r.URL.String(), req.Form))
		}
	}
	return w
}

// run starts the pipeline with the given SMS channels and its workers,
// and serves handler on the gateway.
func (w *world) run(t testing.TB, channels map[string]channel.Channel, defaultProvider string, handler func(p *channel.Pipeline) http.Handler) {
	t.Helper()
	w.Start(t, channel.Config{
		Channels: channels, Route: sms.Router(defaultProvider, "twilio", "kannel"),
		Backoff: 10 * time.Millisecond, MaxAttempts: 3, SendTimeout: 5 * time.Second, FloodLimit: 30,
	}, handler)
}

// post sends a form to the gateway, signed as Twilio would.
func (w *world) post(t testing.TB, path string, form url.Values) (int, string) {
	t.Helper()
	return w.Do(t, channeltest.Request{Path: path, Form: form})
}
