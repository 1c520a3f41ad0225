package channeltest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"tracegate/bots/channel"
	"tracegate/bots/dialog"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// BaseURL is where the worlds' provenance pages live, in replies.
const BaseURL = "https://truyxuat.example.vn"

// World is one gateway's world: its database, the seeded facility, and a
// loopback gateway that serves what Start or Serve give it.
type World struct {
	DB       *postgres.DB
	URL      string // the database's connection string, for child processes
	Services core.Services
	Seeded   *pgtest.Seeded
	Codes    []core.Code // the seeded stamps' codes, by serial from 1
	// Gateway serves the handler of the last Start or Serve; 404 before.
	Gateway *httptest.Server
	// Pipe is the pipeline of the last Start.
	Pipe *channel.Pipeline
	// Sign makes a request look like it came from the provider (its
	// signature, its secret); Do calls it unless a request is Unsigned.
	Sign func(r *http.Request, req Request)

	handler atomic.Pointer[http.Handler]
}

// New makes a world: a fresh database with seed planted, and a gateway.
func New(t testing.TB, seed pgtest.Seed) *World {
	t.Helper()
	url := pgtest.NewURL(t)
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("channeltest: %v", err)
	}
	// Registered after NewURL's drop, so it runs first.
	t.Cleanup(db.Close)
	w := &World{DB: db, URL: url, Services: postgres.NewServices(db)}
	w.Seeded = seed.Plant(t, w.Services)
	w.Codes = w.Seeded.Codes
	w.Serve(http.NotFoundHandler())
	w.Gateway = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		(*w.handler.Load()).ServeHTTP(rw, r)
	}))
	t.Cleanup(w.Gateway.Close)
	return w
}

// Serve makes the gateway serve h.
func (w *World) Serve(h http.Handler) { w.handler.Store(&h) }

// Discard is a logger for gateways whose logs no test reads.
func Discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Pipeline builds a pipeline (one gateway process's) on the world's
// database: cfg's Store, Services and Pool are the world's, its Dialog
// answers in Vietnamese with BaseURL unless set, and it logs nothing
// unless given a Log. It is not started.
func (w *World) Pipeline(t testing.TB, cfg channel.Config) *channel.Pipeline {
	t.Helper()
	cfg.Store, cfg.Services, cfg.Pool = w.DB, w.Services, w.DB.Pool
	if cfg.Dialog.BaseURL == "" {
		cfg.Dialog = dialog.Dialog{BaseURL: BaseURL, DefaultLang: core.LangVI}
	}
	if cfg.Log == nil {
		cfg.Log = Discard()
	}
	p, err := channel.New(cfg)
	if err != nil {
		t.Fatalf("channeltest: %v", err)
	}
	return p
}

// Run starts a pipeline's senders and periodic jobs until the test
// ends.
func (w *World) Run(t testing.TB, p *channel.Pipeline) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		cancel()
		t.Fatalf("channeltest: %v", err)
	}
	t.Cleanup(func() {
		stopCtx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		p.Stop(stopCtx)
		cancel()
	})
}

// Start builds and runs the world's pipeline over cfg and serves the
// adapter's handler on it at the gateway.
func (w *World) Start(t testing.TB, cfg channel.Config, handler func(p *channel.Pipeline) http.Handler) *channel.Pipeline {
	t.Helper()
	w.Pipe = w.Pipeline(t, cfg)
	w.Run(t, w.Pipe)
	w.Serve(handler(w.Pipe))
	return w.Pipe
}

// Process is a second gateway process on the world's database: its own
// pipeline and its own loopback gateway.
type Process struct {
	Pipe    *channel.Pipeline
	Gateway *httptest.Server
}

// Process starts another gateway process, as Start does for the world's.
func (w *World) Process(t testing.TB, cfg channel.Config, handler func(p *channel.Pipeline) http.Handler) *Process {
	t.Helper()
	p := w.Pipeline(t, cfg)
	w.Run(t, p)
	srv := httptest.NewServer(handler(p))
	t.Cleanup(srv.Close)
	return &Process{Pipe: p, Gateway: srv}
}

// Settle waits until no message is queued (the send workers have taken
// every one; the test fails after a minute) and returns the outbound
// messages, oldest first.
func (w *World) Settle(t testing.TB) []*core.Message {
	t.Helper()
	pgtest.WaitSent(t, w.DB.Pool, time.Minute)
	return w.Outbound(t)
}
