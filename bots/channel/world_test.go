package channel_test

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/channel/channeltest"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		runChildGateway()
		return
	}
	pgtest.Main(m)
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

const (
	farmer   = core.URN("tel:+84912345678")
	consumer = core.URN("tel:+84977000001")
)

// world is a facility with a farmer, a lot and activated stamps, and
// pipelines whose only channel is the fake provider.
type world struct {
	*channeltest.World
	fake    *fakeChannel
	rates   map[string]channel.RateLimit
	flood   int
	workers int // sends at once per process; 0 for the default
}

func newWorld(t testing.TB, p *provider) *world {
	t.Helper()
	return &world{World: channeltest.New(t, pgtest.Seed{Stamps: 10}), fake: &fakeChannel{url: p.srv.URL}}
}

// pipeline builds a pipeline (a gateway process) on the world's database.
func (w *world) pipeline(t testing.TB) *channel.Pipeline {
	t.Helper()
	cfg := config(w.fake, w.rates, w.flood, 0)
	cfg.Workers = map[string]int{"fake": w.workers}
	return w.Pipeline(t, cfg)
}

// config is a gateway process's pipeline over the fake, but for its
// database; deadAfter 0 is the default.
func config(fake *fakeChannel, rates map[string]channel.RateLimit, flood int, deadAfter time.Duration) channel.Config {
	return channel.Config{
		Dialog:      dialog.Dialog{BaseURL: channeltest.BaseURL, DefaultLang: core.LangVI},
		Channels:    map[string]channel.Channel{"fake": fake},
		Routes:      map[string]string{"tel": "fake"},
		Rates:       rates,
		FloodLimit:  flood,
		Backoff:     10 * time.Millisecond,
		MaxAttempts: 5,
		SendTimeout: 2 * time.Second,
		DeadAfter:   deadAfter,
		Log:         channeltest.Discard(),
	}
}

// settle waits until no outbound message is queued, then returns how many
// are in each status.
func (w *world) settle(t testing.TB) map[string]int {
	t.Helper()
	return channeltest.ByStatus(w.Settle(t))
}
