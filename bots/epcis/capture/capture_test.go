package capture_test

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/bots/epcis"
	"tracegate/bots/epcis/capture"
	"tracegate/bots/epcis/capture/capturetest"
	"tracegate/core"
	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// gateway is one process's pusher on its own pool.
func gateway(t *testing.T, url string, repo *capturetest.Repository) (*capture.Pusher, *pgxpool.Pool) {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return capture.New(capture.Config{URL: repo.URL, Token: repo.Token, Outbox: postgres.NewCaptureOutbox(db),
		History: postgres.NewHistoryService(db), Log: quiet, Every: 10 * time.Millisecond,
		FirstRetry: time.Millisecond}), db.Pool
}

// waitSettled waits until no outbox row is pending.
func waitSettled(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for pgtest.Count(t, pool, `SELECT count(*) FROM epcis_outbox WHERE state = 'pending'`) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("outbox rows still pending after 30s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// eventIDs are the eventIDs of every event of the lot, as exported.
func eventIDs(t *testing.T, pool *pgxpool.Pool, lotID int64) map[string]int {
	t.Helper()
	events, err := postgres.NewHistoryService(postgres.New(pool)).LotHistory(context.Background(), lotID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, ev := range (epcis.Builder{}).Events(events) {
		ids[ev.EventID] = 1
	}
	return ids
}

func TestEveryEventArrivesOnceFromTwoProcesses(t *testing.T) {
	url := pgtest.NewURL(t)
	repo := capturetest.New(t, "s3cret", capturetest.Answer{Status: http.StatusServiceUnavailable, RetryAfter: "0"},
		capturetest.Answer{Status: http.StatusServiceUnavailable})
	a, pool := gateway(t, url, repo)
	b, _ := gateway(t, url, repo)

	ctx, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	for _, p := range []*capture.Pusher{a, b} {
		running.Add(1)
		go func() { defer running.Done(); p.Run(ctx) }()
	}
	// The seed records a harvest and activates stamps 1-10 through the
	// services, with both pushers running; then one more entry and
	// activation.
	s := postgres.NewServices(postgres.New(pool))
	seed := pgtest.Seed{}.Plant(t, s)
	if err := s.Diary.RecordEntry(ctx, seed.Farmer, &core.DiaryEntry{LotCode: seed.Lot.Code, Step: core.StepPack,
		Channel: "sms"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stamps.Activate(ctx, seed.Farmer, seed.Lot.Code, core.SerialRange{From: 11, To: 30}); err != nil {
		t.Fatal(err)
	}
	waitSettled(t, pool)
	cancel()
	running.Wait()

	want := eventIDs(t, pool, seed.Lot.ID)
	if len(want) != 4 {
		t.Fatalf("the lot has %d events, want 4 (harvest, activation, pack, activation)", len(want))
	}
	if got := repo.Accepted(); !maps.Equal(got, want) {
		t.Errorf("accepted %v\nwant each once: %v", got, want)
	}
	if refused := repo.Refused(); len(refused) > 0 {
		t.Errorf("the repository refused requests: %v", refused)
	}
	if n := repo.Requests(); n != 4+2 {
		t.Errorf("%d requests, want 4 accepted after 2 answered 503", n)
	}
	if n := pgtest.Count(t, pool, `SELECT count(*) FROM epcis_outbox
		WHERE state = 'pushed' AND location LIKE '/epcis/capture/%'`); n != 4 {
		t.Errorf("%d outbox rows pushed with a Location, want 4", n)
	}
}

func TestRefusedEventIsFailedAndNotRetried(t *testing.T) {
	url := pgtest.NewURL(t)
	repo := capturetest.New(t, "", capturetest.Answer{})
	repo.Then = capturetest.Answer{Status: http.StatusBadRequest}
	p, pool := gateway(t, url, repo)
	s := postgres.NewServices(postgres.New(pool))
	pgtest.Seed{}.Plant(t, s) // a harvest, then an activation
	ctx := context.Background()

	if n, err := p.PushDue(ctx); err != nil || n != 2 {
		t.Fatalf("PushDue claimed %d, %v; want the 2 events", n, err)
	}
	if n, err := p.PushDue(ctx); err != nil || n != 0 {
		t.Fatalf("PushDue claimed %d, %v after the answers; want none", n, err)
	}
	if n := repo.Requests(); n != 2 {
		t.Errorf("%d requests, want 2: one accepted, one refused and not retried", n)
	}
	var state, reason string
	var attempts int
	if err := pool.QueryRow(ctx, `SELECT state, last_error, attempts FROM epcis_outbox WHERE kind = 'activation'`).
		Scan(&state, &reason, &attempts); err != nil {
		t.Fatal(err)
	}
	if state != "failed" || !strings.Contains(reason, "400") || attempts != 1 {
		t.Errorf("the refused event is %s after %d attempts (%q), want failed after 1 with the 400", state, attempts, reason)
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	url := pgtest.NewURL(t)
	repo := capturetest.New(t, "")
	repo.Then = capturetest.Answer{Status: http.StatusTooManyRequests}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := capture.New(capture.Config{URL: repo.URL, Outbox: postgres.NewCaptureOutbox(db),
		History: postgres.NewHistoryService(db), Log: quiet, FirstRetry: time.Millisecond, MaxAttempts: 3})
	s := postgres.NewServices(db)
	pgtest.Seed{}.Plant(t, s)
	// One event is enough to count attempts.
	if _, err := db.Pool.Exec(context.Background(), `DELETE FROM epcis_outbox WHERE kind <> 'diary'`); err != nil {
		t.Fatal(err)
	}
	for pgtest.Count(t, db.Pool, `SELECT count(*) FROM epcis_outbox WHERE state = 'pending'`) > 0 {
		if _, err := p.PushDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := repo.Requests(); n != 3 {
		t.Errorf("%d requests, want 3 attempts", n)
	}
	if n := pgtest.Count(t, db.Pool, `SELECT count(*) FROM epcis_outbox WHERE state = 'failed' AND attempts = 3
		AND last_error LIKE '%429%'`); n != 1 {
		t.Errorf("the event is not failed after 3 attempts with the 429")
	}
}
