package channel

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"tracegate/core"
)

// A channel's dispatcher gives its queued messages their turns, best
// first, at the channel's pace, and makes each turn a send job. Every
// process runs one per channel it has; they take turns at the channel's
// row in send_slots, so the pace holds however many run, and any of them
// carries on when another dies.

// batch bounds the turns given in one transaction.
const batch = 100

// idle is how often a dispatcher looks for work no one told it about: a
// message queued by another process, a retry whose wait is over.
const idle = time.Second

func (p *Pipeline) dispatch(ctx context.Context, name string, ch Channel) {
	log := p.cfg.Log.With(slog.String("channel", name))
	for {
		next, err := p.giveTurns(ctx, name, ch)
		wait := idle
		switch {
		case errors.Is(err, context.Canceled):
			return
		case err != nil:
			log.Warn("dispatch", slog.Any("err", err))
		case !next.IsZero():
			wait = min(max(time.Until(next), 5*time.Millisecond), idle)
		}
		kicked := p.kicks[name]
		if !next.IsZero() && p.pace(ch).PerChat == 0 {
			// The channel's own pace has given its turns until next: what
			// is queued meanwhile can have none sooner, and looking at
			// every kick would cost a locking transaction per message.
			kicked = nil
		}
		select {
		case <-ctx.Done():
			return
		case <-kicked:
		case <-time.After(wait):
		}
	}
}

// giveTurns gives one batch of turns and inserts their jobs in the same
// transaction. It returns when to look again; zero when nothing waits.
func (p *Pipeline) giveTurns(ctx context.Context, name string, ch Channel) (time.Time, error) {
	var next time.Time
	err := p.cfg.Store.InTx(ctx, func(tx pgx.Tx, s core.Services) error {
		slots, n, err := s.Messages.AssignSlots(ctx, name, p.pace(ch), p.cfg.Horizon, batch)
		next = n
		if err != nil || len(slots) == 0 {
			return err
		}
		if len(slots) == batch {
			next = time.Now() // more may be waiting: look again at once
		}
		jobs := make([]river.InsertManyParams, len(slots))
		for i, sl := range slots {
			jobs[i] = river.InsertManyParams{Args: SendArgs{MessageID: sl.MessageID, Slot: sl.At.UnixMicro()},
				InsertOpts: &river.InsertOpts{Queue: queueOf(name)}}
		}
		_, err = p.river.InsertManyFastTx(ctx, tx, jobs)
		return err
	})
	return next, err
}

// kick wakes the dispatchers of the channels named: something was queued
// on them. Waking the others would cost each a locking transaction.
func (p *Pipeline) kick(channels ...string) {
	for _, name := range channels {
		select {
		case p.kicks[name] <- struct{}{}:
		default:
		}
	}
}

// keepAlive says this process is alive and takes up the sends of
// processes that stopped saying so.
func (p *Pipeline) keepAlive(ctx context.Context) {
	tick := time.NewTicker(p.cfg.DeadAfter / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := p.cfg.Store.Heartbeat(ctx, p.id); err != nil {
			p.cfg.Log.Warn("heartbeat", slog.Any("err", err))
			continue // a process that cannot say it is alive does not judge others
		}
		n, err := p.cfg.Store.RescueSends(ctx, SendArgs{}.Kind(), p.cfg.DeadAfter)
		if err != nil {
			p.cfg.Log.Warn("rescue sends", slog.Any("err", err))
		}
		if n > 0 {
			p.cfg.Log.Warn("took up the sends of a dead process", slog.Int64("jobs", n))
			sendsRescued.Add(float64(n))
		}
	}
}
