package main

import (
	"context"
	"fmt"
	"time"

	"tracegate/core/postgres"
)

// followEvery is how often the replies are counted: often enough for the
// queue's depth, seldom enough that counting costs the load little.
const followEvery = 500 * time.Millisecond

// callbackPatience is how long a reply sent may wait for its "delivered"
// before the run is taken as done without it.
const callbackPatience = 10 * time.Second

// repliesSample is the replies made since a moment, as the database has
// them at another, with what had been spent by then.
type repliesSample struct {
	replies, delivered, failed int
	pending                    int // queued, or sent and not yet reported delivered
	queued                     int64
	oldest                     time.Duration // the oldest queued reply's age
	lastDelivered              time.Time     // when the last "delivered" was recorded
	at                         time.Time     // the database's clock when counted
	spent                      cost          // totals: CPU so far, the WAL's position
}

// repliesSQL counts the Twilio replies made since $1, with the WAL's
// position and the backend (see costSQL). The ids grow with time, so only
// the months since are read.
const repliesSQL = `
	SELECT count(*), count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status = 'failed'),
		count(*) FILTER (WHERE status IN ('queued', 'sent')), count(*) FILTER (WHERE status = 'queued'),
		coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'queued')), 0)::float8,
		coalesce(max(updated_at) FILTER (WHERE status = 'delivered'), $1),
		pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, pg_backend_pid(), now()
	FROM messages
	WHERE direction = 'out' AND kind = 'reply' AND channel = 'twilio'
		AND id >= message_id_at($1) AND created_at >= $1`

func sampleReplies(ctx context.Context, db *postgres.DB, since time.Time) (repliesSample, error) {
	var s repliesSample
	var oldest float64
	var backend int
	err := db.Pool.QueryRow(ctx, repliesSQL, since).Scan(&s.replies, &s.delivered, &s.failed, &s.pending,
		&s.queued, &oldest, &s.lastDelivered, &s.spent.wal, &backend, &s.at)
	if err != nil {
		return s, fmt.Errorf("count the replies since %s: %w", since.Format(time.TimeOnly), err)
	}
	s.oldest = time.Duration(oldest * float64(time.Second))
	s.spent.self, s.spent.server = selfCPU(), postgresCPU(postmasterOf(backend))
	return s, nil
}

// follow runs load and counts the replies made since start while it runs
// and after, until every acknowledged lookup's reply is delivered or
// failed, or drain has passed since the load ended. The database is the
// truth: a reply is done when its "delivered" is recorded there. A reply
// sent whose report never comes (Twilio does not retry a callback the
// gateway did not answer) does not hold the run once nothing is left to
// send and nothing more was delivered for callbackPatience.
func follow(ctx context.Context, db *postgres.DB, start time.Time, load func() loadResult, drain time.Duration) (e2eResult, error) {
	first, err := sampleReplies(ctx, db, start)
	if err != nil {
		return e2eResult{}, err
	}
	loaded := make(chan loadResult, 1)
	go func() { loaded <- load() }()
	r := e2eResult{start: start, last: first}
	var ended, progress time.Time
	tick := time.NewTicker(followEvery)
	defer tick.Stop()
	for {
		select {
		case r.acked = <-loaded:
			ended, loaded = time.Now(), nil
		case <-tick.C:
		}
		s, err := sampleReplies(ctx, db, start)
		if err != nil {
			if loaded != nil {
				<-loaded // the load's clients still post to the gateway
			}
			return r, err
		}
		if s.delivered > r.end.delivered || progress.IsZero() {
			progress = time.Now()
		}
		r.observe(s)
		if ended.IsZero() {
			continue
		}
		r.waited = time.Since(ended)
		sentAll := s.queued == 0 && s.replies >= r.acked.Done
		if r.drained = sentAll && (s.pending == 0 || time.Since(progress) > callbackPatience); r.drained || r.waited >= drain {
			break
		}
	}
	r.finish(first)
	return r, nil
}

// finish sets how long the run took and what each completed lookup cost.
// Drained, the run ended with its last delivery. Not drained, it was still
// on when the wait ended: what it completed is counted over all that time,
// not up to a last delivery that a stall may have followed.
func (r *e2eResult) finish(first repliesSample) {
	until := r.last
	r.elapsed = r.last.lastDelivered.Sub(r.start)
	if !r.drained {
		until, r.elapsed = r.end, r.end.at.Sub(r.start)
	}
	// Everything spent by then, over the lookups that completed: one
	// acknowledged but never delivered is not one.
	r.each = until.spent.per(first.spent, until.delivered)
}

func (r *e2eResult) observe(s repliesSample) {
	r.deepest, r.oldest = max(r.deepest, s.queued), max(r.oldest, s.oldest)
	if s.delivered > r.last.delivered {
		r.last = s
	}
	r.end = s
}
