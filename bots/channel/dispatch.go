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
	pace core.Pace // the operator's, else the channel's own
	// workers are the sends held at once; ahead, the turns held besides,
	// waiting for a worker: claimed a few at a time while the workers are
	// busy, they keep the workers from waiting for a claim.
	workers, ahead int
	inHand         atomic.Int64   // turns claimed and not done
	wake           chan struct{}  // something was queued, or a turn is done
	sends          sync.WaitGroup // the workers

	mu        sync.Mutex
	ready     *sync.Cond
	queue     []core.Turn // claimed, best first, for the workers
	closed    bool        // no more will be claimed
	lastStart time.Time   // of this process's latest send on the channel
}

func newSender(p *Pipeline, name string, ch Channel) *sender {
	workers := p.concurrency(ch)
	ahead := max(1, workers/2)
	sendWorkers.WithLabelValues(name).Set(float64(workers))
	s := &sender{p: p, name: name, ch: ch, pace: p.pace(ch), workers: workers, ahead: ahead, wake: make(chan struct{}, 1)}
	s.ready = sync.NewCond(&s.mu)
	return s
}

// start runs the sender's claims until loops ends, and its workers until
// the turns claimed are done or sends ends.
func (s *sender) start(loops, sends context.Context) {
	for range s.workers {
		s.sends.Add(1)
		go s.work(sends)
	}
	go s.run(loops)
}

// idle is how often a sender looks for work no one told it about: a
// message queued by another process, a retry whose wait is over.
const idle = time.Second

func (s *sender) run(ctx context.Context) {
	defer s.close() // the workers finish what was claimed
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
			next, err = s.claim(ctx, free)
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
		if free > 0 && !next.IsZero() && time.Until(next) > 0 && s.pace.PerChat == 0 {
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

// claim claims up to free turns, for the workers in the order given.
func (s *sender) claim(ctx context.Context, free int) (time.Time, error) {
	var lead time.Duration
	if int(s.inHand.Load()) < s.workers && (s.pace.Every > 0 || s.pace.PerChat > 0) {
		// A turn an idle worker takes at once would start late by the
		// claim's commit and the worker's waking, too close to the next,
		// which another process may send on time: on a paced channel it
		// is a little ahead. When every worker is busy the turns wait for
		// one anyway, and a lead would only leave it idle.
		lead = s.p.cfg.Horizon / 4
	}
	turns, next, err := s.p.cfg.Services.Messages.ClaimTurns(ctx, core.TurnClaim{Channel: s.name, Process: s.p.id,
		Pace: s.pace, Horizon: s.p.cfg.Horizon, Lead: lead, Max: free})
	if err != nil {
		return time.Time{}, err
	}
	s.inHand.Add(int64(len(turns)))
	s.mu.Lock()
	s.queue = append(s.queue, turns...)
	s.mu.Unlock()
	s.ready.Broadcast()
	return next, nil
}

func (s *sender) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.ready.Broadcast()
}

// work sends the turns claimed, one at a time. Once sends ends, what is
// left is not sent: Stop gives it back.
func (s *sender) work(ctx context.Context) {
	defer s.sends.Done()
	for {
		t, at, ok := s.next()
		if !ok {
			return
		}
		s.send(ctx, &t, at)
		s.inHand.Add(-1)
		s.kick() // a turn is done: there is room for more
	}
}

// next takes the best turn claimed, once there is one, and says when its
// send may start: at its turn, and no sooner after this process's
// previous send than the pace allows. A turn that waited for a worker past
// its moment would otherwise go out together with the next, which is on
// time. ok is false once the sender is closed and nothing is left.
func (s *sender) next() (t core.Turn, at time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.queue) == 0 && !s.closed {
		s.ready.Wait()
	}
	if len(s.queue) == 0 {
		return t, at, false
	}
	t, s.queue = s.queue[0], s.queue[1:]
	at = t.At
	if next := s.lastStart.Add(s.pace.Every); next.After(at) {
		at = next
	}
	s.lastStart = at
	return t, at, true
}

// started moves the process's latest send to when it really started: a
// send that went late pushes the next one back, not closer.
func (s *sender) started(at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastStart = later(s.lastStart, at)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
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
