package channel

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"tracegate/core"
)

// SendArgs is the job that sends one stored outbound message at the turn
// the dispatcher gave it.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
	// Slot is the turn, in Unix microseconds: a job whose message has since
	// been given another turn is stale and does nothing.
	Slot int64 `json:"slot"`
}

// Kind names the job in River's tables.
func (SendArgs) Kind() string { return "send_message" }

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	p *Pipeline
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	p := w.p
	m, err := p.cfg.Services.Messages.FindMessage(ctx, job.Args.MessageID)
	if err != nil {
		return err
	}
	if m.Status != core.StatusQueued || m.SlotAt == nil || m.SlotAt.UnixMicro() != job.Args.Slot {
		return nil // sent, failed or given another turn since this job was made
	}
	log := p.cfg.Log.With(slog.Int64("message", m.ID), slog.String("channel", m.Channel), slog.Int("attempt", m.Attempts+1))
	ch, ok := p.cfg.Channels[m.Channel]
	if !ok {
		return w.fail(ctx, m, "channel "+m.Channel+" is off", log)
	}
	if m.Kind == core.KindNotice {
		contact, err := p.cfg.Services.Contacts.FindContact(ctx, m.URN)
		if err != nil {
			return err
		}
		if contact.Stopped {
			return w.fail(ctx, m, "the contact sent STOP", log)
		}
	}
	// A turn long past was given to a process that died before it: sent
	// now, it would come on top of the turns given since, faster than the
	// provider allows. The message goes back in line for a new one.
	if late := time.Since(*m.SlotAt); late > p.cfg.DeadAfter/3 {
		log.Info("turn missed, back in line", slog.Duration("late", late))
		return p.cfg.Services.Messages.ReturnTurn(ctx, m.ID)
	}
	select {
	case <-time.After(time.Until(*m.SlotAt)):
	case <-ctx.Done():
		return ctx.Err()
	}
	start := time.Now()
	providerID, err := ch.Send(ctx, m.URN, Outgoing{Text: m.Text, Segments: m.Segments, Meta: m.Meta})
	sendSeconds.WithLabelValues(m.Channel).Observe(time.Since(start).Seconds())
	if err != nil {
		return w.failed(ctx, m, classify(err), log)
	}
	if err := w.record(ctx, m, providerID, log); err != nil {
		return err
	}
	messagesOut.WithLabelValues(m.Channel, core.StatusSent).Inc()
	segmentsSent.WithLabelValues(m.Channel).Add(float64(m.Segments))
	log.Info("sent", slog.String("provider_id", providerID))
	return nil
}

// recordTries bound how long a send the provider took is recorded for
// (about half a minute) before the job gives up, and may send again.
const recordTries = 8

// record marks a message the provider took as sent. The provider has it
// now, so this must not fail into a retry that sends it again: a database
// that does not answer is asked again, out of the job's deadline, and a
// provider id the database refuses is dropped rather than the send.
func (w *sendWorker) record(ctx context.Context, m *core.Message, providerID string, log *slog.Logger) error {
	ctx = context.WithoutCancel(ctx)
	wait := 100 * time.Millisecond
	for try := 1; ; try++ {
		err := w.p.cfg.Services.Messages.MarkSent(ctx, m.ID, providerID)
		switch {
		case err == nil:
			return nil
		case core.ErrorCodeOf(err) == core.ECONFLICT || core.ErrorCodeOf(err) == core.EINVALID:
			log.Error("provider id refused: recorded sent without it", slog.String("provider_id", providerID), slog.Any("err", err))
			providerID = ""
			continue
		case try == recordTries:
			log.Error("sent but not recorded: it may be sent again", slog.Any("err", err))
			return fmt.Errorf("record send of message %d: %w", m.ID, err)
		}
		time.Sleep(wait)
		wait = min(2*wait, 8*time.Second)
	}
}

// failed decides what a failed send becomes: the end of the message, or
// a new turn after the wait the provider asked for or a backoff.
func (w *sendWorker) failed(ctx context.Context, m *core.Message, se *SendError, log *slog.Logger) error {
	p := w.p
	switch {
	case se.Kind == Stopped:
		if err := p.cfg.Services.Contacts.SetStopped(ctx, m.URN, true); err != nil {
			return err
		}
		return w.fail(ctx, m, se.Error(), log)
	case se.Kind == Unreachable && m.Kind == core.KindNotice:
		return w.fallback(ctx, m, se, log)
	case se.Kind == Permanent || se.Kind == Unreachable:
		return w.fail(ctx, m, se.Error(), log)
	case m.Attempts+1 >= p.cfg.MaxAttempts:
		return w.fail(ctx, m, fmt.Sprintf("gave up after %d attempts: %v", m.Attempts+1, se.Err), log)
	}
	wait, status, attempts := backoff{p.cfg.Backoff}.after(m.Attempts+1), "retry", m.Attempts+1
	if se.Wait > 0 {
		// The provider asked us to wait: no attempt failed.
		wait, status, attempts = se.Wait, "waiting", m.Attempts
	}
	messagesOut.WithLabelValues(m.Channel, status).Inc()
	log.Warn("send failed, will try again", slog.Duration("wait", wait), slog.Any("err", se.Err))
	return p.cfg.Services.Messages.Requeue(ctx, m.ID, time.Now().Add(wait), attempts, se.Error())
}

// fail ends a message that will not be sent.
func (w *sendWorker) fail(ctx context.Context, m *core.Message, reason string, log *slog.Logger) error {
	if err := w.p.cfg.Services.Messages.MarkFailed(ctx, m.ID, reason); err != nil {
		return err
	}
	messagesOut.WithLabelValues(m.Channel, core.StatusFailed).Inc()
	log.Warn("send failed for good", slog.String("reason", reason))
	return nil
}
