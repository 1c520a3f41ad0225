package channel

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"tracegate/core"
)

// send sends one message at its moment, on one of the sender's workers,
// and records what became of it.
func (s *sender) send(ctx context.Context, t *core.Turn, at time.Time) {
	p := s.p
	if ctx.Err() != nil {
		return // the process stops: Stop gives the turn back
	}
	log := p.cfg.Log.With(slog.Int64("message", t.ID), slog.String("channel", t.Channel), slog.Int("attempt", t.Attempts+1))
	if t.Stopped {
		s.fail(ctx, t, "the contact sent STOP", log)
		return
	}
	select {
	case <-time.After(time.Until(at)):
	case <-ctx.Done():
		return // the process stops: Stop gives the turn back
	}
	// A turn long past was given to a process that stalled before it:
	// sent now, it would come on top of the turns given since, faster than
	// the provider allows. The message goes back in line for a new one.
	if late := time.Since(t.At); late > p.cfg.DeadAfter/3 {
		log.Info("turn missed, back in line", slog.Duration("late", late))
		turnsMissed.WithLabelValues(t.Channel).Inc()
		s.persist(ctx, log, "return the turn", func(ctx context.Context) error {
			return p.cfg.Services.Messages.ReturnTurn(ctx, t.ID, p.id)
		})
		return
	}
	start := time.Now()
	s.started(start)
	sendCtx, cancel := context.WithTimeout(ctx, p.cfg.SendTimeout)
	providerID, err := s.ch.Send(sendCtx, t.URN, Outgoing{Text: t.Text, Segments: t.Segments, Meta: t.Meta})
	cancel()
	sendSeconds.WithLabelValues(t.Channel).Observe(time.Since(start).Seconds())
	defer func() { sendWork.WithLabelValues(t.Channel).Observe(time.Since(start).Seconds()) }()
	if err != nil {
		s.failed(ctx, t, classify(err), log)
		return
	}
	if err := s.record(ctx, t, providerID, log); err != nil {
		return
	}
	messagesOut.WithLabelValues(t.Channel, core.StatusSent).Inc()
	segmentsSent.WithLabelValues(t.Channel).Add(float64(t.Segments))
	log.Info("sent", slog.String("provider_id", providerID))
}

// recordTries bound how long what became of a send is recorded for
// (about half a minute) before the worker gives up on the database.
const recordTries = 8

// record marks a message the provider took as sent. The provider has it
// now, so this must not fail into a retry that sends it again: a database
// that does not answer is asked again, and a provider id the database
// refuses is dropped rather than the send. A message that cannot be
// recorded at all keeps its turn until a quarter of an hour has passed,
// and may then be sent again.
func (s *sender) record(ctx context.Context, t *core.Turn, providerID string, log *slog.Logger) error {
	return s.persist(ctx, log, "record the send", func(ctx context.Context) error {
		err := s.p.cfg.Services.Messages.MarkSent(ctx, t.ID, providerID)
		if code := core.ErrorCodeOf(err); code == core.ECONFLICT || code == core.EINVALID {
			log.Error("provider id refused: recorded sent without it", slog.String("provider_id", providerID), slog.Any("err", err))
			providerID = ""
			return s.p.cfg.Services.Messages.MarkSent(ctx, t.ID, "")
		}
		return err
	})
}

// persist writes what became of a send, asking a database that does not
// answer again (out of the process's stopping, for up to recordTries),
// since the turn is this process's until it is written.
func (s *sender) persist(ctx context.Context, log *slog.Logger, what string, write func(context.Context) error) error {
	ctx = context.WithoutCancel(ctx)
	wait := 100 * time.Millisecond
	for try := 1; ; try++ {
		err := write(ctx)
		if err == nil {
			return nil
		}
		if try == recordTries {
			log.Error(what+": given up", slog.Any("err", err))
			return fmt.Errorf("%s: %w", what, err)
		}
		time.Sleep(wait)
		wait = min(2*wait, 8*time.Second)
	}
}

// failed decides what a failed send becomes: the end of the message, or
// a new turn after the wait the provider asked for or a backoff.
func (s *sender) failed(ctx context.Context, t *core.Turn, se *SendError, log *slog.Logger) {
	p := s.p
	switch {
	case se.Kind == Stopped:
		s.persist(ctx, log, "stop the contact", func(ctx context.Context) error {
			return p.cfg.Services.Contacts.SetStopped(ctx, t.URN, true)
		})
		s.fail(ctx, t, se.Error(), log)
		return
	case se.Kind == Unreachable && t.Kind == core.KindNotice:
		s.fallback(ctx, t, se, log)
		return
	case se.Kind == Permanent || se.Kind == Unreachable:
		s.fail(ctx, t, se.Error(), log)
		return
	case t.Attempts+1 >= p.cfg.MaxAttempts:
		s.fail(ctx, t, fmt.Sprintf("gave up after %d attempts: %v", t.Attempts+1, se.Err), log)
		return
	}
	wait, status, attempts := backoff{p.cfg.Backoff}.after(t.Attempts+1), "retry", t.Attempts+1
	if se.Wait > 0 {
		// The provider asked us to wait: no attempt failed.
		wait, status, attempts = se.Wait, "waiting", t.Attempts
	}
	messagesOut.WithLabelValues(t.Channel, status).Inc()
	log.Warn("send failed, will try again", slog.Duration("wait", wait), slog.Any("err", se.Err))
	s.persist(ctx, log, "requeue", func(ctx context.Context) error {
		return p.cfg.Services.Messages.Requeue(ctx, t.ID, time.Now().Add(wait), attempts, se.Error())
	})
}

// fail ends a message that will not be sent.
func (s *sender) fail(ctx context.Context, t *core.Turn, reason string, log *slog.Logger) {
	err := s.persist(ctx, log, "mark failed", func(ctx context.Context) error {
		return s.p.cfg.Services.Messages.MarkFailed(ctx, t.ID, reason)
	})
	if err != nil {
		return
	}
	messagesOut.WithLabelValues(t.Channel, core.StatusFailed).Inc()
	log.Warn("send failed for good", slog.String("reason", reason))
}
