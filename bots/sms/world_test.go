package sms_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/bots/sms"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	farmerPhone   = "+84912345678"
	consumerPhone = "+84977000001"
)

// world is a honey cooperative with a farmer, a lot and activated stamps,
// and a gateway serving the SMS webhooks on loopback.
type world struct {
	db      *postgres.DB
	codes   []core.Code
	gateway *httptest.Server
	handler http.Handler
	pipe    *channel.Pipeline
}

func newWorld(t testing.TB) *world {
	t.Helper()
	db := postgres.New(pgtest.New(t))
	seeded := pgtest.Seed{}.Plant(t, postgres.NewServices(db))
	w := &world{db: db, codes: seeded.Codes, handler: http.NotFoundHandler()}
	w.gateway = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { w.handler.ServeHTTP(rw, r) }))
	t.Cleanup(w.gateway.Close)
	return w
}

// run starts the pipeline with the given SMS channels and its workers,
// and serves handler on the gateway.
func (w *world) run(t testing.TB, channels map[string]channel.Channel, defaultProvider string, handler func(p *channel.Pipeline) http.Handler) {
	t.Helper()
	p, err := channel.New(channel.Config{
		Store: w.db, Services: postgres.NewServices(w.db), Pool: w.db.Pool,
		Dialog:   dialog.Dialog{BaseURL: "https://truyxuat.example.vn", DefaultLang: core.LangVI},
		Channels: channels, Route: sms.Router(defaultProvider, "twilio", "kannel"),
		Backoff: 10 * time.Millisecond, MaxAttempts: 3, SendTimeout: 5 * time.Second, FloodLimit: 30,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	w.pipe = p
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(context.Background()); cancel() })
	w.handler = handler(p)
}

func (w *world) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	return pgtest.Count(t, w.db.Pool, sql, args...)
}

// settle waits until nothing is queued and returns the outbound messages.
func (w *world) settle(t testing.TB) []core.Message {
	t.Helper()
	pgtest.WaitSent(t, w.db.Pool, 30*time.Second)
	rows, err := w.db.Pool.Query(context.Background(), `
		SELECT urn, text, status, coalesce(provider_id, ''), coalesce(error, '') FROM messages WHERE direction = 'out' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []core.Message
	for rows.Next() {
		var m core.Message
		rows.Scan(&m.URN, &m.Text, &m.Status, &m.ProviderID, &m.Error)
		out = append(out, m)
	}
	return out
}
