package channel

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"tracegate/bots/dialog"
	"tracegate/core"
)

// Store is the database the pipeline needs besides the services: a
// transaction binding them, the liveness of gateway processes, the queue
// as the metrics see it, and named locks.
type Store interface {
	InTx(ctx context.Context, fn func(tx pgx.Tx, s core.Services) error) error
	Heartbeat(ctx context.Context, process string) error
	ForgetProcess(ctx context.Context, process string) error
	RescueTurns(ctx context.Context, deadAfter time.Duration) (int64, error)
	Housekeep(ctx context.Context) (int64, error)
	Rollup(ctx context.Context, now time.Time) (int, error)
	Queued(ctx context.Context, channels []string) ([]core.Queued, error)
	TryLock(ctx context.Context, name string) (release func(), ok bool, err error)
}

// Config is how a pipeline behaves.
type Config struct {
	Store    Store
	Services core.Services // on the pool, for the workers' reads
	Pool     *pgxpool.Pool // for River
	// Dialog answers messages; its Services are replaced per message by
	// the ones bound to the message's transaction.
	Dialog dialog.Dialog
	// Channels by name (ByName). A notice goes through the channel Routes
	// names for the URN's scheme (tel, telegram), unless Route is set and
	// names one; with neither, through the channels' own Reach.
	Channels map[string]Channel
	Routes   map[string]string
	Route    func(ctx context.Context, s core.Services, to core.URN) (string, error)
	// FloodLimit is how many messages a minute a sender who is not a
	// member may send before getting one "slow down" answer and then
	// silence; 0 for no limit. What a flooding sender sends is still
	// stored, not acted on; members are never limited.
	FloodLimit int
	// Rates overrides a channel's own send rates, by channel name.
	Rates map[string]RateLimit
	// Workers is how many sends each channel holds at once in this
	// process, by channel name; unset, the channel's Concurrency, else 10.
	// A send holds its worker for the provider's whole answer (Twilio
	// takes 100-600 ms), so the workers over that time bound the channel's
	// rate whatever rate is configured.
	Workers map[string]int
	// MaxAttempts bounds the tries of a send that keeps failing (default 10).
	MaxAttempts int
	// Backoff is the first retry's wait, doubled each attempt up to an hour
	// (default 2s).
	Backoff time.Duration
	// SendTimeout bounds one send (default 30s).
	SendTimeout time.Duration
	// Horizon is how far ahead a paced channel's turns are given (default
	// 500ms): a reply that comes in waits at most this long, or for the
	// sends in hand, behind turns already given to notices.
	Horizon time.Duration
	// DeadAfter is how long a process may stay silent before the sends it
	// claimed are given to others (default 15s; it says it is alive every
	// third of that).
	DeadAfter time.Duration
	// PollOnly makes River (the periodic jobs) poll for jobs and
	// leadership instead of LISTENing: behind PgBouncer in transaction
	// mode a LISTEN lasts no longer than its transaction.
	PollOnly bool
	Log      *slog.Logger
}

// Pipeline receives and sends for every channel.
type Pipeline struct {
	cfg     Config
	id      string // this process, in gateway_processes and on the turns it claims
	river   *river.Client[pgx.Tx]
	senders map[string]*sender
	// stopSends ends the sends in hand, when Stop's patience runs out.
	stopSends context.CancelFunc
	stopLoops context.CancelFunc
}

const housekeepingQueue = "housekeeping"

// New builds the pipeline; Start runs its senders and periodic jobs.
func New(cfg Config) (*Pipeline, error) {
	cfg.MaxAttempts = cmp.Or(cfg.MaxAttempts, 10)
	cfg.Backoff = cmp.Or(cfg.Backoff, 2*time.Second)
	cfg.SendTimeout = cmp.Or(cfg.SendTimeout, 30*time.Second)
	cfg.Horizon = cmp.Or(cfg.Horizon, 500*time.Millisecond)
	cfg.DeadAfter = cmp.Or(cfg.DeadAfter, 15*time.Second)
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	p := &Pipeline{cfg: cfg, id: processID(), senders: map[string]*sender{}}
	// Each process sends only through the channels it has, so `tracegate
	// chat` and `serve` can share a database without taking each other's
	// sends.
	for name, ch := range cfg.Channels {
		p.senders[name] = newSender(p, name, ch)
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &housekeeper{p: p}); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &roller{p: p}); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	queues := map[string]river.QueueConfig{housekeepingQueue: {MaxWorkers: 1}}
	var periodic []*river.PeriodicJob
	if len(cfg.Channels) == 0 {
		queues, workers = nil, nil // nothing to send through: this process only queues
	} else {
		periodic = []*river.PeriodicJob{housekeeping(), rollups()}
	}
	client, err := river.NewClient(riverpgxv5.New(cfg.Pool), &river.Config{
		ID:           p.id,
		Queues:       queues,
		Workers:      workers,
		PeriodicJobs: periodic,
		PollOnly:     cfg.PollOnly,
		Logger:       cfg.Log.With(slog.String("component", "river")),
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	p.river = client
	return p, nil
}

// processID names this process for the others: host, pid and a random
// part, since pids repeat across hosts and restarts.
func processID() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
}

// Start runs one sender per channel, the periodic jobs and the process's
// heartbeat until ctx ends or Stop.
func (p *Pipeline) Start(ctx context.Context) error {
	go p.watchQueue(ctx)
	if len(p.cfg.Channels) == 0 {
		p.cfg.Log.Info("no channel is on: replies wait in the queue")
		return nil
	}
	// Alive before the first turn is claimed, or another process could
	// take this one's turns for a dead one's.
	if err := p.cfg.Store.Heartbeat(ctx, p.id); err != nil {
		return err
	}
	go p.keepAlive(ctx)
	// The sends in hand outlive ctx and Stop's start: a send the provider
	// is answering finishes and is recorded.
	loops, stopLoops := context.WithCancel(ctx)
	sends, stopSends := context.WithCancel(context.WithoutCancel(ctx))
	p.stopLoops, p.stopSends = stopLoops, stopSends
	for _, s := range p.senders {
		s.start(loops, sends)
	}
	return p.river.Start(ctx)
}

// Stop claims no more turns, lets the sends in hand finish (until ctx
// ends), gives back the turns not started, then stops the periodic jobs.
func (p *Pipeline) Stop(ctx context.Context) error {
	if len(p.cfg.Channels) == 0 || p.stopLoops == nil {
		return nil
	}
	p.stopLoops()
	finished := make(chan struct{})
	go func() {
		for _, s := range p.senders {
			s.sends.Wait()
		}
		close(finished)
	}()
	select {
	case <-finished:
	case <-ctx.Done(): // the sends still in hand end now
	}
	p.stopSends()
	<-finished
	if err := p.cfg.Services.Messages.ReleaseTurns(context.WithoutCancel(ctx), p.id); err != nil {
		return err
	}
	if err := p.river.Stop(ctx); err != nil {
		return err
	}
	return p.cfg.Store.ForgetProcess(ctx, p.id)
}

// Receive stores a message, runs the dialog and queues its replies and
// notices, all in one transaction: the adapter acknowledges the provider
// only after it returns nil. A retried delivery of a stored message does
// nothing and returns nil. A provider id that cannot be stored is refused
// with an EINVALID error, storing nothing: the adapter answers 4xx.
func (p *Pipeline) Receive(ctx context.Context, ch Channel, in Inbound) error {
	if err := in.check(); err != nil {
		messagesIn.WithLabelValues(ch.Name(), "refused").Inc()
		return fmt.Errorf("receive %s: %w", ch.Name(), err)
	}
	in.storable()
	kicks := []string{ch.Name()} // the channels this message queues on
	err := p.cfg.Store.InTx(ctx, func(_ pgx.Tx, s core.Services) error {
		m := &core.Message{Channel: ch.Name(), URN: in.URN, Text: in.Text, ProviderID: in.ProviderID, Meta: in.meta()}
		arrival, err := s.Messages.Arrive(ctx, m, time.Minute, p.cfg.FloodLimit+2)
		if err != nil || !arrival.Stored {
			return err
		}
		log := p.cfg.Log.With(slog.Int64("message", m.ID), slog.String("channel", ch.Name()))
		if flooding, err := p.flood(ctx, s, ch, m, arrival, log); flooding || err != nil {
			return err
		}
		d := p.cfg.Dialog
		d.Services = s
		res, err := d.Handle(ctx, dialog.Message{Channel: ch.Name(), URN: in.URN, Text: in.Text,
			Ref: in.ProviderID, Photos: in.Photos, Album: in.Album, Location: in.Location, Contact: in.Contact, ContactOwn: in.ContactOwn,
			Attachment: in.Attachment, Caps: capabilities(ch), Sender: &dialog.Sender{Contact: arrival.Contact, Member: arrival.Member}})
		if err != nil {
			return err
		}
		dialogOutcomes.WithLabelValues(res.Intent).Inc()
		for _, r := range res.Replies {
			if err := p.enqueue(ctx, s, ch, in.replyTo(), r, core.KindReply, &m.ID, false); err != nil {
				return err
			}
		}
		for _, n := range res.Notices {
			via, err := p.notify(ctx, s, n)
			if err != nil {
				return err
			}
			kicks = append(kicks, via)
		}
		log.Info("received", slog.String("intent", res.Intent), slog.Int("replies", len(res.Replies)),
			slog.Int("notices", len(res.Notices)))
		return nil
	})
	outcome := "stored"
	if err != nil {
		outcome = "error"
	} else {
		p.kick(kicks...)
	}
	messagesIn.WithLabelValues(ch.Name(), outcome).Inc()
	if err != nil {
		return fmt.Errorf("receive %s/%s: %w", ch.Name(), in.ProviderID, err)
	}
	return nil
}

// Act runs work that answers no message (the agency's recall of a lot)
// on a dialog bound to one transaction, and queues the notices it returns
// in that transaction: the change and its notices commit together.
func (p *Pipeline) Act(ctx context.Context, fn func(ctx context.Context, d *dialog.Dialog) ([]dialog.Notice, error)) error {
	var kicks []string
	err := p.cfg.Store.InTx(ctx, func(_ pgx.Tx, s core.Services) error {
		kicks = kicks[:0]
		d := p.cfg.Dialog
		d.Services = s
		notices, err := fn(ctx, &d)
		if err != nil {
			return err
		}
		for _, n := range notices {
			via, err := p.notify(ctx, s, n)
			if err != nil {
				return err
			}
			kicks = append(kicks, via)
		}
		return nil
	})
	if err == nil {
		p.kick(kicks...)
	}
	return err
}

// capabilities are what a channel says it can do.
func capabilities(ch Channel) dialog.Capabilities {
	if c, ok := ch.(Capable); ok {
		return c.Capabilities()
	}
	return dialog.Capabilities{}
}

// Notify queues a notice outside any inbound message, in its own
// transaction.
func (p *Pipeline) Notify(ctx context.Context, n dialog.Notice) error {
	return p.Act(ctx, func(context.Context, *dialog.Dialog) ([]dialog.Notice, error) {
		return []dialog.Notice{n}, nil
	})
}

// flood answers a sender who is not a member and is over the limit once,
// then not at all; the message itself is stored all the same, not acted on.
func (p *Pipeline) flood(ctx context.Context, s core.Services, ch Channel, m *core.Message, a *core.Arrival, log *slog.Logger) (bool, error) {
	// Members are known people: a phone that queued a day's entries out of
	// coverage sends them all at once, and each must be recorded.
	n := a.Recent
	if p.cfg.FloodLimit <= 0 || n <= p.cfg.FloodLimit || a.Member != nil {
		return false, nil
	}
	dialogOutcomes.WithLabelValues("flood").Inc()
	log.Warn("sender floods", slog.Int("last_minute", n))
	if n > p.cfg.FloodLimit+1 {
		return true, nil
	}
	d := p.cfg.Dialog
	d.Services = s
	r, err := d.SlowDown(ctx, m.URN)
	if err != nil {
		return true, err
	}
	return true, p.enqueue(ctx, s, ch, m.URN, r, core.KindReply, &m.ID, false)
}

// notify queues a notice through the channel that serves its URN, and
// names it ("" when none does).
func (p *Pipeline) notify(ctx context.Context, s core.Services, n dialog.Notice) (string, error) {
	name, err := p.route(ctx, s, n.To)
	if err != nil {
		return "", err
	}
	ch, ok := p.cfg.Channels[name]
	if !ok {
		p.cfg.Log.Warn("no channel for notice", slog.String("urn", string(n.To)))
		return "", nil
	}
	return name, p.enqueue(ctx, s, ch, n.To, n.Reply, core.KindNotice, nil, n.Bulk)
}

// route names the channel a notice to takes: the one Routes or Route
// says, else the one the channels' Reach picks.
func (p *Pipeline) route(ctx context.Context, s core.Services, to core.URN) (string, error) {
	name := p.cfg.Routes[to.Scheme()]
	if p.cfg.Route != nil {
		routed, err := p.cfg.Route(ctx, s, to)
		if err != nil {
			return "", err
		}
		if routed != "" {
			name = routed
		}
	}
	if name != "" {
		return name, nil
	}
	return p.reach(ctx, s, to)
}

// enqueue stores a rendered message, in line for a turn on its
// channel. A notice to someone who sent STOP is stored as suppressed.
func (p *Pipeline) enqueue(ctx context.Context, s core.Services, ch Channel, to core.URN, r dialog.Reply, kind string, inReplyTo *int64, bulk bool) error {
	out := ch.Render(r)
	m := &core.Message{Kind: kind, Channel: ch.Name(), URN: to, Text: out.Text, Meta: out.Meta,
		Segments: out.Segments, InReplyTo: inReplyTo, Priority: priority(kind, bulk)}
	if kind == core.KindNotice {
		contact, err := s.Contacts.FindContact(ctx, to)
		if err != nil {
			return err
		}
		if contact.Stopped {
			m.Status = core.StatusSuppressed
			messagesOut.WithLabelValues(ch.Name(), core.StatusSuppressed).Inc()
		}
	}
	return s.Messages.StoreOutbound(ctx, m)
}

// priority puts replies to someone who just wrote before notices, and
// notices before bulk sends.
func priority(kind string, bulk bool) int {
	switch {
	case kind == core.KindReply:
		return core.PriorityReply
	case bulk:
		return core.PriorityBulk
	}
	return core.PriorityNotice
}

// ReportDelivery records a provider's delivery report for a message it
// took, whichever arrives first: the report or the send's answer. An id
// that cannot be stored is refused with EINVALID.
func (p *Pipeline) ReportDelivery(ctx context.Context, ch Channel, providerID, status, reason string) error {
	if err := core.CheckProviderID(providerID); err != nil {
		return fmt.Errorf("report to %s: %w", ch.Name(), err)
	}
	return p.cfg.Services.Messages.ReportDelivery(ctx, ch.Name(), providerID, status, core.StorableText(reason))
}

// SetStopped records that a person blocked the channel (or unblocked it):
// no notices go to them while stopped.
func (p *Pipeline) SetStopped(ctx context.Context, urn core.URN, stopped bool) error {
	return p.cfg.Services.Contacts.SetStopped(ctx, urn, stopped)
}

// TryLock takes a named lock shared by every gateway process, for work
// only one of them may do at a time (polling Telegram).
func (p *Pipeline) TryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	return p.cfg.Store.TryLock(ctx, name)
}

// Drained reports whether nothing waits to be sent on this process's
// channels: the console waits for it before it reads the next line.
func (p *Pipeline) Drained(ctx context.Context) (bool, error) {
	queued, err := p.cfg.Store.Queued(ctx, p.channelNames())
	return len(queued) == 0, err
}

// channelNames are the channels' names in order, so that a choice
// between equals is the same in every process.
func (p *Pipeline) channelNames() []string {
	names := make([]string, 0, len(p.cfg.Channels))
	for name := range p.cfg.Channels {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// watchQueue keeps the queue gauges current, for every channel: messages
// waiting for a channel no process has show too.
func (p *Pipeline) watchQueue(ctx context.Context) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	seen := map[string]bool{}
	for _, name := range p.channelNames() {
		seen[name] = true
	}
	for {
		queued, err := p.cfg.Store.Queued(ctx, nil)
		if err != nil && ctx.Err() == nil {
			p.cfg.Log.Warn("queue depth", slog.Any("err", err))
		}
		if err == nil {
			for name := range seen {
				queueDepth.WithLabelValues(name).Set(0)
				oldestQueued.WithLabelValues(name).Set(0)
			}
			for _, q := range queued {
				seen[q.Channel] = true
				queueDepth.WithLabelValues(q.Channel).Set(float64(q.Depth))
				oldestQueued.WithLabelValues(q.Channel).Set(q.Oldest.Seconds())
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
