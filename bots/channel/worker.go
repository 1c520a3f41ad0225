package channel

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"tracegate/core"
)

// SendArgs is the job that sends one stored outbound message.
type SendArgs struct {
	MessageID int64 `json:"message_id"`
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
	if m.Status != core.StatusQueued {
		return nil // sent already, before a crash kept the job from completing
	}
	log := p.cfg.Log.With(slog.Int64("message", m.ID), slog.String("channel", m.Channel), slog.Int("attempt", job.Attempt))
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
	if wait, err := w.slot(ctx, p.rates(ch, m.URN)); err != nil || wait > 0 {
		if err != nil {
			return err
		}
		return river.JobSnooze(wait)
	}
	start := time.Now()
	providerID, err := ch.Send(ctx, m.URN, Outgoing{Text: m.Text, Segments: m.Segments, Meta: m.Meta})
	sendSeconds.WithLabelValues(m.Channel).Observe(time.Since(start).Seconds())
	if err != nil {
		return w.failed(ctx, job, m, classify(err), log)
	}
	// Completing the job in the transaction that records the send keeps the
	// window for a doubled send to the gap between the provider's answer
	// and this commit.
	err = p.cfg.Store.InTx(ctx, func(tx pgx.Tx, s core.Services) error {
		if err := s.Messages.MarkSent(ctx, m.ID, providerID); err != nil {
			return err
		}
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if err != nil {
		return fmt.Errorf("record send of message %d: %w", m.ID, err)
	}
	messagesOut.WithLabelValues(m.Channel, core.StatusSent).Inc()
	segmentsSent.WithLabelValues(m.Channel).Add(float64(m.Segments))
	log.Info("sent", slog.String("provider_id", providerID))
	return nil
}

// slot reserves this send's place under every rate that applies and says
// how long to wait for the latest of them. A wait up to half the send
// timeout is slept here, using the slot; a longer one (a backlog) is left
// to the queue, and its slot goes unused.
func (w *sendWorker) slot(ctx context.Context, rates []Rate) (time.Duration, error) {
	var at time.Time
	for _, r := range rates {
		slot, err := w.p.cfg.Store.ReserveSendSlot(ctx, r.Key, r.Every)
		if err != nil {
			return 0, err
		}
		if slot.After(at) {
			at = slot
		}
	}
	wait := time.Until(at)
	if wait <= 0 {
		return 0, nil
	}
	if wait > w.p.cfg.SendTimeout/2 {
		return wait, nil
	}
	select {
	case <-time.After(wait):
		return 0, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// failed decides what a failed send becomes: a wait the provider asked
// for, a retry with backoff, or the end of the message.
func (w *sendWorker) failed(ctx context.Context, job *river.Job[SendArgs], m *core.Message, se *SendError, log *slog.Logger) error {
	switch {
	case se.Kind == Stopped:
		if err := w.p.cfg.Services.Contacts.SetStopped(ctx, m.URN, true); err != nil {
			return err
		}
		return w.fail(ctx, m, se.Error(), log)
	case se.Kind == Permanent:
		return w.fail(ctx, m, se.Error(), log)
	case se.Wait > 0:
		messagesOut.WithLabelValues(m.Channel, "waiting").Inc()
		log.Warn("provider asked to wait", slog.Duration("wait", se.Wait), slog.Any("err", se.Err))
		return river.JobSnooze(se.Wait)
	case job.Attempt >= job.MaxAttempts:
		return w.fail(ctx, m, fmt.Sprintf("gave up after %d attempts: %v", job.Attempt, se.Err), log)
	}
	messagesOut.WithLabelValues(m.Channel, "retry").Inc()
	log.Warn("send failed, will retry", slog.Any("err", se.Err))
	return se
}

// fail ends a message that will not be sent and cancels its job.
func (w *sendWorker) fail(ctx context.Context, m *core.Message, reason string, log *slog.Logger) error {
	if err := w.p.cfg.Services.Messages.MarkFailed(ctx, m.ID, reason); err != nil {
		return err
	}
	messagesOut.WithLabelValues(m.Channel, core.StatusFailed).Inc()
	log.Warn("send failed for good", slog.String("reason", reason))
	return river.JobCancel(fmt.Errorf("message %d: %s", m.ID, reason))
}
