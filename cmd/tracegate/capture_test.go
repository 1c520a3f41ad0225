package main

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/bots/epcis"
	"tracegate/bots/epcis/capture/capturetest"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// Two serve processes on one database with EPCIS_CAPTURE_URL set: a
// diary entry and an activation recorded through the services reach the
// repository once each, through two 503s.
func TestServePushesEachEventOnce(t *testing.T) {
	repo := capturetest.New(t, "s3cret", capturetest.Answer{Status: http.StatusServiceUnavailable},
		capturetest.Answer{Status: http.StatusServiceUnavailable, RetryAfter: "1"})
	url := pgtest.NewURL(t)
	base := "http://epcis.test"
	for range 2 {
		serveInBackground(t, map[string]string{"DATABASE_URL": url, "HTTP_ADDR": freeAddr(t), "PUBLIC_BASE_URL": base,
			"EPCIS_CAPTURE_URL": repo.URL, "EPCIS_CAPTURE_TOKEN": "s3cret"})
	}
	pool := poolOn(t, url)
	seeded := pgtest.Seed{}.Plant(t, postgres.NewServices(postgres.New(pool))) // a harvest, an activation
	deadline := time.Now().Add(time.Minute)
	for pgtest.Count(t, pool, `SELECT count(*) FROM epcis_outbox WHERE state = 'pending'`) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("events still pending after a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	events, err := postgres.NewHistoryService(postgres.New(pool)).LotHistory(context.Background(), seeded.Lot.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, ev := range (epcis.Builder{BaseURL: base}).Events(events) {
		want[ev.EventID] = 1
	}
	if got := repo.Accepted(); len(want) != 2 || !maps.Equal(got, want) {
		t.Errorf("accepted %v, want each of %v once", got, want)
	}
	if refused := repo.Refused(); len(refused) > 0 {
		t.Errorf("the repository refused: %v", refused)
	}
}

// Without EPCIS_CAPTURE_URL the outbox fills and nothing is pushed: the
// events recorded before serve starts are still unclaimed when it stops.
func TestServeWithoutCaptureURLPushesNothing(t *testing.T) {
	url := pgtest.NewURL(t)
	pool := poolOn(t, url)
	pgtest.Seed{}.Plant(t, postgres.NewServices(postgres.New(pool)))
	out := &output{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	env := map[string]string{"DATABASE_URL": url, "HTTP_ADDR": freeAddr(t)}
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, out, slog.New(slog.NewTextHandler(out, nil)))
	}()
	waitReady(t, "http://"+env["HTTP_ADDR"], done)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := pgtest.Count(t, pool, `SELECT count(*) FROM epcis_outbox WHERE state = 'pending' AND attempts = 0`); n != 2 {
		t.Errorf("%d events unclaimed in the outbox, want both", n)
	}
	if !strings.Contains(out.String(), "EPCIS capture is off") {
		t.Errorf("serve did not say capture is off:\n%s", out)
	}
}

func poolOn(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
