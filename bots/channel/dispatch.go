package channel

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"tracegate/core"
)

// A channel's sender gives its queued messages their turns, best first,
// at the channel's pace, and sends them with this process's workers.
// Every process runs one per channel it has and claims turns only for its
// own workers, a few ahead, so the turns given never outrun what the
// workers complete: a channel configured faster than its provider
// answers sends at what it can complete. The processes take turns at the
// channel's row in send_slots, so the pace holds however many run, and
// any of them carries on when another dies.
type sender struct {
	p    *Pipeline
	name string
	ch   Channel
	// workers are the sends held at once; ahead, the turns held besides,
	// each waiting for a worker: claimed a few at a time while the workers
	// are busy, they keep the workers from waiting for a claim.
	workers, ahead int
	free           chan struct{} // a token per idle worker
	inHand         atomic.Int64  // turns claimed and not done
	wake           chan struct{} // something was queued, or a turn is done
	sends          sync.WaitGroup

	mu        sync.Mutex
	lastStart time.Time // of this process's latest send on the channel
}

func newSender(p *Pipeline, name string, ch Channel) *sender {
	workers := p.concurrency(ch)
	s := &sender{p: p, name: name, ch: ch, workers: workers, ahead: max(1, workers/2),
		free: make(chan struct{}, workers), wake: make(chan struct{}, 1)}
	for range workers {
		s.free <- struct{}{}
	}
	sendWorkers.WithLabelValues(name).Set(float64(workers))
	return s
}

// idle is how often a sender looks for work no one told it about: a
// message queued by another process, a retry whose wait is over.
const idle = time.Second

func (s *sender) run(ctx, sendCtx context.Context) {
	log := s.p.cfg.Log.With(slog.String("channel", s.name))
	for {
		// Claimed a few at a time, but for an idle channel's first.
		free := s.workers + s.ahead - int(s.inHand.Load())
		if s.inHand.Load() > 0 && free < max(1, s.ahead/2) {
			free = 0
		}
		var next time.Time
		var err error
		if free > 0 {
			next, err = s.claim(ctx, sendCtx, free)
		}
		wait := idle
		switch {
		case errors.Is(err, context.Canceled):
			return
		case err != nil:
			log.Warn("claim turns", slog.Any("err", err))
		case free > 0 && !next.IsZero():
			wait = min(max(time.Until(next), 5*time.Millisecond), idle)
		}
		wake := s.wake
		if free > 0 && !next.IsZero() && time.Until(next) > 0 && s.p.pace(s.ch).PerChat == 0 {
			// The channel's own pace has given its turns until next: what
			// is queued or freed meanwhile can have none sooner, and
			// looking at every wake would cost a locking transaction each.
			wake = nil
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-time.After(wait):
		}
	}
}

// claim claims up to free turns; each waits for a worker, in order.
func (s *sender) claim(ctx, sendCtx context.Context, free int) (time.Time, error) {
	turns, next, err := s.p.cfg.Services.Messages.ClaimTurns(ctx, s.name, s.p.id, s.p.pace(s.ch), s.p.cfg.Horizon, free)
	if err != nil {
		return time.Time{}, err
	}
	s.inHand.Add(int64(len(turns)))
	s.sends.Add(len(turns))
	queue := make(chan *core.Turn, len(turns))
	for i := range turns {
		queue <- &turns[i]
	}
	close(queue)
	for range turns {
		go s.work(sendCtx, queue)
	}
	return next, nil
}

// work sends the next turn of a claim on the first idle worker.
func (s *sender) work(ctx context.Context, queue <-chan *core.Turn) {
	defer s.sends.Done()
	select {
	case <-s.free:
	case <-ctx.Done():
		s.inHand.Add(-1)
		return // the process stops: Stop gives the turn back
	}
	s.send(ctx, <-queue)
	s.free <- struct{}{}
	s.inHand.Add(-1)
	s.kick() // a turn is done: there is room for more
}

// due is when a turn's send may start: at its turn, and no sooner after
// this process's previous send than the pace allows. A turn that waited
// for a worker past its moment would otherwise go out together with the
// next, which is on time.
func (s *sender) due(t *core.Turn) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := t.At
	if next := s.lastStart.Add(s.p.pace(s.ch).Every); next.After(at) {
		at = next
	}
	s.lastStart = at
	return at
}

func (s *sender) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// kick wakes the senders of the channels named: something was queued on
// them. Waking the others would cost each a locking transaction.
func (p *Pipeline) kick(channels ...string) {
	for _, name := range channels {
		if s, ok := p.senders[name]; ok {
			s.kick()
		}
	}
}

// keepAlive says this process is alive and puts back in line the turns
// of processes that stopped saying so.
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
		n, err := p.cfg.Store.RescueTurns(ctx, p.cfg.DeadAfter)
		if err != nil {
			p.cfg.Log.Warn("rescue turns", slog.Any("err", err))
		}
		if n > 0 {
			p.cfg.Log.Warn("took up the turns of a dead process", slog.Int64("messages", n))
			sendsRescued.Add(float64(n))
			p.kick(p.channelNames()...)
		}
	}
}

// concurrency is how many sends a channel holds at once in this process:
// the operator's, else the channel's own, else 10.
func (p *Pipeline) concurrency(ch Channel) int {
	if n := p.cfg.Workers[ch.Name()]; n > 0 {
		return n
	}
	if c, ok := ch.(Concurrent); ok && c.Concurrency() > 0 {
		return c.Concurrency()
	}
	return 10
}
