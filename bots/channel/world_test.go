package channel_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres"
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

// world is a facility with a farmer, a lot and activated stamps, and a
// pipeline whose only channel is the fake provider.
type world struct {
	db    *postgres.DB
	fake  *fakeChannel
	rates map[string]channel.RateLimit
	flood int
	codes []core.Code
}

func newWorld(t testing.TB, p *provider) *world {
	t.Helper()
	return newWorldOn(t, p, postgres.New(pgtest.New(t)))
}

func newWorldOn(t testing.TB, p *provider, db *postgres.DB) *world {
	t.Helper()
	seeded := pgtest.Seed{Stamps: 10}.Plant(t, postgres.NewServices(db))
	w := &world{db: db, fake: &fakeChannel{url: p.srv.URL}, codes: seeded.Codes}
	return w
}

// pipeline builds a pipeline (a gateway process) on the world's database.
func (w *world) pipeline(t testing.TB) *channel.Pipeline {
	t.Helper()
	p, err := newPipeline(w.db, w.fake, w.rates, w.flood, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newPipeline is a gateway process's pipeline; deadAfter 0 is the default.
func newPipeline(db *postgres.DB, fake *fakeChannel, rates map[string]channel.RateLimit, flood int, deadAfter time.Duration) (*channel.Pipeline, error) {
	return channel.New(channel.Config{
		Store:       db,
		Services:    postgres.NewServices(db),
		Pool:        db.Pool,
		Dialog:      dialog.Dialog{BaseURL: "https://truyxuat.example.vn", DefaultLang: core.LangVI},
		Channels:    map[string]channel.Channel{"fake": fake},
		Routes:      map[string]string{"tel": "fake"},
		Rates:       rates,
		FloodLimit:  flood,
		Backoff:     10 * time.Millisecond,
		MaxAttempts: 5,
		SendTimeout: 2 * time.Second,
		DeadAfter:   deadAfter,
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
}

// start runs a pipeline's workers until the test ends.
func (w *world) start(t testing.TB, p *channel.Pipeline) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		p.Stop(stopCtx)
		cancel()
	})
}

// count runs a count query.
func (w *world) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	return pgtest.Count(t, w.db.Pool, sql, args...)
}

// settle waits until no outbound message is queued, then returns how many
// are in each status.
func (w *world) settle(t testing.TB) map[string]int {
	t.Helper()
	pgtest.WaitSent(t, w.db.Pool, time.Minute)
	rows, err := w.db.Pool.Query(context.Background(), `SELECT status, count(*) FROM messages WHERE direction = 'out' GROUP BY status`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byStatus := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		rows.Scan(&s, &n)
		byStatus[s] = n
	}
	return byStatus
}
