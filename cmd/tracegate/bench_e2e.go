package main

import (
	"context"
	"fmt"
	"time"

	"tracegate/bots/sms/twiliotest"
	"tracegate/core/postgres"
)

// benchSendRate is the Twilio rate the end-to-end gateway is configured
// with (SEND_RATES) and the fake's own pace: a ceiling far above what the
// gateway completes, so what is measured is its delivery, never a pace
// it waits for (PROVIDERS.md: a configured rate is a ceiling).
const benchSendRate = 100_000

// The fake Twilio's status callbacks, in the bench and the soak: "sent"
// this long after it answers a send, "delivered" as long again, posted by
// as many senders.
const (
	statusCallbackAfter   = 50 * time.Millisecond
	statusCallbackSenders = 32
)

// e2eResult is what the end-to-end load measured: the webhook's
// acknowledgements meanwhile, and the replies as the database has them.
type e2eResult struct {
	start   time.Time // the database's clock when the load started
	acked   loadResult
	last    repliesSample // the first sample with the most replies delivered
	end     repliesSample // the last sample taken
	elapsed time.Duration // from the load's start to the last delivery, or the wait's end if not drained
	waited  time.Duration // after the load, for the backlog
	drained bool          // every acknowledged lookup's reply delivered or failed
	deepest int64         // queued replies, at most
	oldest  time.Duration // the oldest queued reply's age, at most
	each    cost          // per lookup delivered
	refused int           // status callbacks the gateway refused or never answered
}

// rate is lookups completed end to end a second: a reply delivered, from
// the load's start to the last delivery recorded, its drain included (to
// the wait's end, when the backlog was not drained).
func (r e2eResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.end.delivered) / r.elapsed.Seconds()
}

// benchEndToEnd measures lookups whole: the signed webhook in, the reply
// sent to Twilio (which takes plan.Latency to answer), its "delivered"
// callback received and recorded. It runs on a gateway of its own, after
// the backlog of the webhook-only loads is dropped.
func benchEndToEnd(ctx context.Context, w *benchWorld, plan benchPlan) (e2eResult, error) {
	if err := dropBacklog(ctx, w.db); err != nil {
		return e2eResult{}, err
	}
	g, err := startE2EGateway(ctx, w, plan)
	if err != nil {
		return e2eResult{}, err
	}
	defer g.stop()
	op := func(int) error { return g.lookup(w.codes) }
	if err := warmEndToEnd(ctx, w.db, plan, op); err != nil {
		return e2eResult{}, err
	}
	start, err := dbNow(ctx, w.db)
	if err != nil {
		return e2eResult{}, err
	}
	fmt.Fprintf(plan.Progress, "bench: lookups end to end for %s, then up to %s for their replies\n", plan.Duration, plan.Drain)
	stop, err := profileTo(profileOfEndToEnd(plan.CPUProfile))
	if err != nil {
		return e2eResult{}, err
	}
	defer stop()
	r, err := follow(ctx, w.db, start, func() loadResult { return closedLoop(plan.Clients, plan.Duration, op) }, plan.Drain)
	_, r.refused = g.twilio.Callbacks()
	if err == nil && r.acked.Failed > 0 {
		err = fmt.Errorf("end to end: %d of the lookups were not acknowledged", r.acked.Failed)
	}
	return r, err
}

// profileOfEndToEnd is where the end-to-end load's profile goes: beside
// the webhook's, named for it.
func profileOfEndToEnd(path string) string {
	if path == "" {
		return ""
	}
	return path + ".e2e"
}

// startE2EGateway is a bench gateway whose Twilio sends as fast as it is
// asked, answers after plan.Latency and reports each message's status.
func startE2EGateway(ctx context.Context, w *benchWorld, plan benchPlan) (*benchGateway, error) {
	twilio := twiliotest.New(soakAccount)
	twilio.SendsEvery(time.Second / benchSendRate)
	twilio.Latency(plan.Latency)
	twilio.ReportStatus(soakToken, statusCallbackAfter, statusCallbackSenders)
	return startBenchGateway(ctx, w.db, w.url, twilio, map[string]string{
		"SEND_RATES": fmt.Sprintf("twilio=%d", benchSendRate),
		// Sends held at once: at Twilio's latency they bound the rate
		// whatever rate is configured.
		"SEND_WORKERS": fmt.Sprintf("twilio=%d", plan.Workers),
	})
}

// warmEndToEnd opens the gateway's connections and plans with a few
// lookups, and lets their replies go (or drops them) before the load:
// a load that starts on a backlog measures the backlog.
func warmEndToEnd(ctx context.Context, db *postgres.DB, plan benchPlan, op func(int) error) error {
	start, err := dbNow(ctx, db)
	if err != nil {
		return err
	}
	warm := func() loadResult { return closedLoop(plan.Clients, 250*time.Millisecond, op) }
	r, err := follow(ctx, db, start, warm, min(plan.Drain, 30*time.Second))
	if err != nil || r.drained {
		return err
	}
	fmt.Fprintf(plan.Progress, "bench: %d of the end-to-end warm-up's %d replies were not delivered within %s; dropped\n",
		r.end.pending, r.end.replies, r.waited.Round(time.Second))
	if err := dropBacklog(ctx, db); err != nil {
		return err
	}
	time.Sleep(plan.Latency + 3*statusCallbackAfter) // the sends in flight end
	return nil
}

// dropBacklog fails what earlier loads left queued: sent during the
// end-to-end load, it would be counted as that load's work.
func dropBacklog(ctx context.Context, db *postgres.DB) error {
	_, err := db.Pool.Exec(ctx, `
		UPDATE messages SET status = 'failed', error = 'bench: left queued by an earlier load',
			slot_at = NULL, updated_at = now()
		WHERE status = 'queued'`)
	if err != nil {
		return fmt.Errorf("drop the replies earlier loads left queued: %w", err)
	}
	return nil
}

// dbNow is the database's clock, which stamps the messages.
func dbNow(ctx context.Context, db *postgres.DB) (time.Time, error) {
	var t time.Time
	if err := db.Pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&t); err != nil {
		return t, fmt.Errorf("the database's clock: %w", err)
	}
	return t, nil
}

// e2eRow is the end-to-end figure beside TPC-B, with what it rests on.
func e2eRow(r e2eResult, plan benchPlan, tps float64, caveat string) benchRow {
	return benchRow{What: fmt.Sprintf("SMS lookups end to end (in, reply sent, delivered recorded), %d in flight, /s", plan.Clients),
		BareIs: "pgbench TPC-B, same clients, tps", Ours: r.rate(), Bare: tps, Note: caveat + e2eNote(r, plan)}
}

func e2eNote(r e2eResult, plan benchPlan) string {
	done := fmt.Sprintf("%d of %d lookups acknowledged had their reply delivered in %.1f s (load %.1f s)",
		r.end.delivered, r.acked.Done, r.elapsed.Seconds(), r.acked.Elapsed.Seconds())
	if !r.drained {
		done = fmt.Sprintf("only %d of %d lookups acknowledged had their reply delivered when the wait ended, %.1f s "+
			"after the start (load %.1f s, last delivery at %.1f s): %d still pending, %d failed", r.end.delivered,
			r.acked.Done, r.elapsed.Seconds(), r.acked.Elapsed.Seconds(), r.last.lastDelivered.Sub(r.start).Seconds(),
			r.end.pending, r.end.failed)
	}
	note := fmt.Sprintf("webhook acknowledged %.0f/s meanwhile; %s; queue at most %d, oldest %.1f s; "+
		"Twilio answers in %s, SEND_WORKERS=twilio=%d; a lookup: %s", r.acked.rate(), done, r.deepest,
		r.oldest.Seconds(), plan.Latency, plan.Workers, r.each)
	if r.drained && r.end.pending > 0 {
		note += fmt.Sprintf("; %d sent with no delivered report", r.end.pending)
	}
	if r.refused > 0 {
		note += fmt.Sprintf("; %d status callbacks refused or unanswered", r.refused)
	}
	return note
}
