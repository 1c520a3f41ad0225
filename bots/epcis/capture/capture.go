// Package capture pushes each new event to an EPCIS 2.0 repository's
// capture endpoint (EPCIS_CAPTURE_URL), from the outbox that triggers fill
// in the transaction of each fact (core.CaptureOutbox). Every process runs
// a Pusher; claims are leases taken with SKIP LOCKED, so two processes
// never push the same event at once, and one that dies mid-push leaves its
// events to the others when the lease runs out. An event can then reach
// the repository twice, with the same eventID, which lets it drop the
// repeat.
package capture

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tracegate/bots/epcis"
	"tracegate/core"
)

// Defaults of Config.
const (
	DefaultEvery       = 2 * time.Second
	DefaultFirstRetry  = 2 * time.Second
	DefaultMaxAttempts = 10
	// requestTimeout bounds one POST. A claim's lease outlasts a whole
	// batch of timed-out POSTs with a minute to spare, so no other process
	// takes an event while its claimer may still push it; a process that
	// dies leaves its batch to the others for that long.
	requestTimeout = 30 * time.Second
	batch          = 4
	lease          = batch*requestTimeout + time.Minute
)

// Config is what a Pusher needs; zero durations and counts take the
// defaults above.
type Config struct {
	URL     string // the capture endpoint, POSTed to as is
	Token   string // sent as a Bearer token when set
	Outbox  core.CaptureOutbox
	History core.HistoryService
	Builder epcis.Builder
	Client  *http.Client
	Log     *slog.Logger
	// Every is how long Run waits when nothing is due.
	Every time.Duration
	// FirstRetry is the wait after the first failed push, doubled after
	// each one up to an hour; MaxAttempts pushes in all.
	FirstRetry  time.Duration
	MaxAttempts int
}

// Pusher pushes the outbox's due events, one EPCISDocument per event.
type Pusher struct {
	cfg Config
}

func New(cfg Config) *Pusher {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: requestTimeout}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Every <= 0 {
		cfg.Every = DefaultEvery
	}
	if cfg.FirstRetry <= 0 {
		cfg.FirstRetry = DefaultFirstRetry
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	return &Pusher{cfg: cfg}
}

// Run pushes until ctx ends: every due event, then a wait of Every. A
// database that does not answer is logged and tried again next round.
func (p *Pusher) Run(ctx context.Context) {
	for {
		n, err := p.PushDue(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			p.cfg.Log.Warn("epcis capture", slog.Any("err", err))
		}
		if n > 0 && err == nil {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.cfg.Every):
		}
	}
}

// PushDue claims a batch of due events and pushes each; it returns how
// many it claimed.
func (p *Pusher) PushDue(ctx context.Context) (int, error) {
	items, err := p.cfg.Outbox.Claim(ctx, batch, lease)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		if err := p.push(ctx, it); err != nil {
			return len(items), err
		}
	}
	return len(items), nil
}

// push pushes one item and settles it; the error is only the database's.
func (p *Pusher) push(ctx context.Context, it *core.CaptureItem) error {
	log := p.cfg.Log.With(slog.Int64("outbox_id", it.ID), slog.Int64("lot_id", it.LotID),
		slog.String("kind", string(it.Kind)), slog.Int("attempt", it.Attempt))
	ev, err := p.event(ctx, it)
	if err != nil {
		return err // the lease makes it due again
	}
	if ev == nil {
		log.Info("epcis capture: event gone, skipped")
		return p.cfg.Outbox.Skip(ctx, it)
	}
	body, err := json.Marshal(p.cfg.Builder.Document([]*core.LotEvent{ev}, time.Now()))
	if err != nil {
		return fmt.Errorf("epcis document of outbox item %d: %w", it.ID, err)
	}
	location, retry, err := p.post(ctx, body)
	switch {
	case err == nil:
		log.Info("epcis capture: pushed", slog.String("location", location))
		return p.cfg.Outbox.Pushed(ctx, it, location)
	case ctx.Err() != nil:
		return ctx.Err() // shutting down: the lease makes it due again
	case retry < 0 || it.Attempt >= p.cfg.MaxAttempts:
		log.Error("epcis capture: given up", slog.Any("err", err))
		return p.cfg.Outbox.Fail(ctx, it, err.Error())
	default:
		wait := max(retry, p.backoff(it.Attempt))
		log.Warn("epcis capture: will retry", slog.Any("err", err), slog.Duration("wait", wait))
		return p.cfg.Outbox.Retry(ctx, it, wait, err.Error())
	}
}

// event reads back the event the item names: the lot's events of that kind
// at that moment, of which the one with the item's row.
func (p *Pusher) event(ctx context.Context, it *core.CaptureItem) (*core.LotEvent, error) {
	events, err := p.cfg.History.FindEvents(ctx, core.EventFilter{LotID: it.LotID, Kinds: []core.EventKind{it.Kind},
		From: it.At, To: it.At.Add(time.Microsecond), Limit: core.MaxEvents})
	if err != nil {
		return nil, fmt.Errorf("event of outbox item %d: %w", it.ID, err)
	}
	for _, ev := range events {
		if it.Is(ev) {
			return ev, nil
		}
	}
	return nil, nil
}

// backoff is the wait after the given failed attempt.
func (p *Pusher) backoff(attempt int) time.Duration {
	wait := p.cfg.FirstRetry
	for i := 1; i < attempt && wait < time.Hour; i++ {
		wait *= 2
	}
	return min(wait, time.Hour)
}

// post sends one document as the EPCIS 2.0 REST binding says. A failure
// comes with retry: the least wait the repository asked for (0 when it
// asked none), or -1 when retrying cannot help (a 4xx other than 429, or
// a 202 without a Location).
func (p *Pusher) post(ctx context.Context, body []byte) (location string, retry time.Duration, err error) {
	// Bounded here whatever the client's own timeout: the lease counts on it.
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return "", -1, fmt.Errorf("capture request: %w", err)
	}
	req.Header.Set("Content-Type", epcis.ContentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("GS1-EPCIS-Version", "2.0")
	if p.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+p.cfg.Token)
	}
	resp, err := p.cfg.Client.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("capture: %w", err)
	}
	defer resp.Body.Close()
	detail, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
	switch {
	case resp.StatusCode == http.StatusAccepted:
		if location = resp.Header.Get("Location"); location == "" {
			return "", -1, errors.New("capture: 202 without a Location")
		}
		return location, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return "", retryAfter(resp.Header.Get("Retry-After"), time.Now()), statusError(resp, detail)
	default:
		return "", -1, statusError(resp, detail)
	}
}

func statusError(resp *http.Response, detail []byte) error {
	return fmt.Errorf("capture answered %s: %s", resp.Status, strings.TrimSpace(string(detail)))
}

// retryAfter reads a Retry-After header, seconds or an HTTP date; 0 when
// there is none or it cannot be read.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
