package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// MessageService implements core.MessageService.
type MessageService struct{ db *DB }

// NewMessageService returns the message service on db.
func NewMessageService(db *DB) *MessageService { return &MessageService{db} }

var _ core.MessageService = (*MessageService)(nil)

const messageColumns = `id, direction, kind, channel, urn, text, meta, coalesce(provider_id, ''),
	in_reply_to, status, coalesce(segments, 0), coalesce(error, ''), priority, attempts, slot_at, created_at, updated_at`

func scanMessage(row pgx.Row) (*core.Message, error) {
	var m core.Message
	err := row.Scan(&m.ID, &m.Direction, &m.Kind, &m.Channel, &m.URN, &m.Text, &m.Meta, &m.ProviderID,
		&m.InReplyTo, &m.Status, &m.Segments, &m.Error, &m.Priority, &m.Attempts, &m.SlotAt, &m.CreatedAt, &m.UpdatedAt)
	return &m, err
}

func (s *MessageService) StoreOutbound(ctx context.Context, m *core.Message) error {
	m.Direction = "out"
	if m.Status == "" {
		m.Status = core.StatusQueued
	}
	if m.Priority == 0 {
		m.Priority = core.PriorityNotice
	}
	err := s.db.q.QueryRow(ctx, `
		INSERT INTO messages (direction, kind, channel, urn, text, meta, in_reply_to, status, segments, error, priority)
		VALUES ('out', $1, $2, $3, $4, $5, $6, $7, $8, nullif($9, ''), $10)
		RETURNING id, created_at, updated_at`,
		m.Kind, m.Channel, m.URN, m.Text, nullJSON(m.Meta), m.InReplyTo, m.Status, m.Segments, m.Error, m.Priority,
	).Scan(&m.ID, &m.CreatedAt, &m.UpdatedAt)
	if err != nil {
		return fmt.Errorf("store outbound to %s: %w", m.URN, err)
	}
	return nil
}

func (s *MessageService) FindMessage(ctx context.Context, id int64) (*core.Message, error) {
	m, err := scanMessage(s.db.q.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "message %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find message %d: %w", id, err)
	}
	return m, nil
}

// MarkSent records the provider id and the send, with a delivery report
// that came before it, in one transaction: whoever reads the message sees
// the report with the send. A report stored while that transaction ran
// was not visible to it, and looked for the message before the commit; so
// the send looks for an early report once more after it (see
// ReportDelivery): each side writes before it reads the other's, and at
// least one of them sees both, with no lock between them.
func (s *MessageService) MarkSent(ctx context.Context, id int64, providerID string) error {
	var channel string
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if channel, err = recordSend(ctx, tx, id, providerID); err != nil || providerID == "" {
			return err
		}
		return applyEarlyReport(ctx, tx, channel, providerID)
	})
	if err != nil || providerID == "" {
		return err
	}
	return applyEarlyReport(ctx, s.db.q, channel, providerID)
}

// recordSend stores the provider id and moves the message to sent, in
// one statement, and names its channel. A provider id another message of
// the channel and recipient has is refused with ECONFLICT.
func recordSend(ctx context.Context, tx dbtx, id int64, providerID string) (string, error) {
	var owner *int64
	var channel *string
	err := tx.QueryRow(ctx, `
		WITH key AS (
			INSERT INTO outbound_keys (channel, provider_id, urn, message_id)
			SELECT channel, $2, urn, id FROM messages WHERE id = $1 AND $2 <> ''
			ON CONFLICT (channel, provider_id, urn) DO UPDATE SET message_id = outbound_keys.message_id
			RETURNING message_id
		), moved AS (
			UPDATE messages SET provider_id = nullif($2, ''), updated_at = now(),
				status = CASE WHEN status = 'queued' THEN 'sent' ELSE status END
			WHERE id = $1 AND coalesce((SELECT message_id FROM key), $1) = $1
			RETURNING channel
		)
		SELECT (SELECT message_id FROM key), (SELECT channel FROM moved)`, id, providerID).Scan(&owner, &channel)
	switch {
	case err != nil:
		return "", domainError(fmt.Sprintf("provider id %s of message %d", providerID, id), err)
	case owner != nil && *owner != id:
		return "", core.Errorf(core.ECONFLICT, "provider id %s of message %d already exists", providerID, id)
	case channel == nil:
		return "", core.Errorf(core.ENOTFOUND, "message %d not found", id)
	}
	return *channel, nil
}

// applyEarlyReport applies the delivery report that came for a provider
// id before its send was recorded, if one did.
func applyEarlyReport(ctx context.Context, q dbtx, channel, providerID string) error {
	var status, reason string
	err := q.QueryRow(ctx, `
		DELETE FROM early_reports WHERE channel = $1 AND provider_id = $2
		RETURNING status, coalesce(error, '')`, channel, providerID).Scan(&status, &reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("early report of %s/%s: %w", channel, providerID, err)
	}
	_, err = applyReport(ctx, q, channel, providerID, status, reason)
	return err
}

func (s *MessageService) MarkFailed(ctx context.Context, id int64, reason string) error {
	_, err := s.db.q.Exec(ctx, `
		UPDATE messages SET status = 'failed', error = $2, slot_at = NULL, updated_at = now()
		WHERE id = $1`, id, reason)
	if err != nil {
		return fmt.Errorf("mark message %d failed: %w", id, err)
	}
	return nil
}

func (s *MessageService) ReturnTurn(ctx context.Context, id int64, process string) error {
	_, err := s.db.q.Exec(ctx, `
		UPDATE messages SET slot_at = NULL, claimed_by = NULL, updated_at = now()
		WHERE id = $1 AND status = 'queued' AND claimed_by = $2`, id, process)
	if err != nil {
		return fmt.Errorf("return the turn of message %d: %w", id, err)
	}
	return nil
}

// ReleaseTurns finds a process's turns by the queued index: a stopping
// process holds no more than its workers.
func (s *MessageService) ReleaseTurns(ctx context.Context, process string) error {
	_, err := s.db.q.Exec(ctx, `
		UPDATE messages SET slot_at = NULL, claimed_by = NULL, updated_at = now()
		WHERE status = 'queued' AND claimed_by = $1`, process)
	if err != nil {
		return fmt.Errorf("release the turns of %s: %w", process, err)
	}
	return nil
}

func (s *MessageService) Requeue(ctx context.Context, id int64, notBefore time.Time, attempts int, reason string) error {
	_, err := s.db.q.Exec(ctx, `
		UPDATE messages SET slot_at = NULL, claimed_by = NULL, not_before = $2, attempts = $3, error = $4, updated_at = now()
		WHERE id = $1 AND status = 'queued'`, id, notBefore, attempts, reason)
	if err != nil {
		return fmt.Errorf("requeue message %d: %w", id, err)
	}
	return nil
}

// ReportDelivery is one statement when the send is recorded, as it
// nearly always is by the time its report comes.
func (s *MessageService) ReportDelivery(ctx context.Context, channel, providerID, status, reason string) error {
	switch status {
	case core.StatusSent, core.StatusDelivered, core.StatusFailed:
	default:
		return core.Errorf(core.EINVALID, "delivery status %q is not sent, delivered or failed", status)
	}
	known, err := applyReport(ctx, s.db.q, channel, providerID, status, reason)
	if err != nil || known {
		return err
	}
	_, err = s.db.q.Exec(ctx, `
		INSERT INTO early_reports (channel, provider_id, status, error) VALUES ($1, $2, $3, nullif($4, ''))
		ON CONFLICT (channel, provider_id) DO UPDATE SET status = excluded.status, error = excluded.error
		WHERE early_reports.status = 'sent'`, channel, providerID, status, reason)
	if err != nil {
		return fmt.Errorf("keep early report %s/%s: %w", channel, providerID, err)
	}
	// The send may have been recorded since, without seeing this report.
	// Applied, the report goes, but not a later one that replaced it
	// meanwhile ("delivered" over "sent"): the send's record applies that.
	if known, err = applyReport(ctx, s.db.q, channel, providerID, status, reason); err != nil || !known {
		return err
	}
	_, err = s.db.q.Exec(ctx, `DELETE FROM early_reports WHERE channel = $1 AND provider_id = $2 AND status = $3`,
		channel, providerID, status)
	if err != nil {
		return fmt.Errorf("drop applied early report %s/%s: %w", channel, providerID, err)
	}
	return nil
}

// applyReport moves a message forward, never back: a late "sent" does
// not undo "delivered", and delivered and failed are final. known is false
// when no message has that provider id yet. The message is found through
// outbound_keys and then by id, so only its month is read. The status is
// checked on the row the UPDATE locks, which Postgres reads again after
// any concurrent report: so a "sent", which moves nothing, locks and
// writes nothing either.
func applyReport(ctx context.Context, tx dbtx, channel, providerID, status, reason string) (known bool, err error) {
	err = tx.QueryRow(ctx, `
		WITH target AS (
			SELECT id FROM messages
			WHERE id = ANY (SELECT message_id FROM outbound_keys WHERE channel = $1 AND provider_id = $2)
				AND direction = 'out' AND channel = $1 AND provider_id = $2
		), moved AS (
			UPDATE messages m SET status = $3, error = coalesce(nullif($4, ''), m.error), updated_at = now()
			FROM target t
			WHERE m.id = t.id AND m.status IN ('queued', 'sent') AND $3 <> 'sent'
		)
		SELECT EXISTS (SELECT 1 FROM target)`, channel, providerID, status, reason).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("report %s for %s/%s: %w", status, channel, providerID, err)
	}
	return known, nil
}

// CountInboundSince bounds the ids by since as well, so only the months
// since are read: an id is never older than its row's created_at. (Ids
// made before migration 00021 are not time-ordered, so for the minute
// after it the flood limit does not count the messages made before.)
func (s *MessageService) CountInboundSince(ctx context.Context, urn core.URN, since time.Time) (int, error) {
	var n int
	err := s.db.q.QueryRow(ctx, `
		SELECT count(*) FROM messages
		WHERE urn = $1 AND direction = 'in' AND created_at >= $2 AND id >= message_id_at($2)`, urn, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count messages of %s: %w", urn, err)
	}
	return n, nil
}

func (s *MessageService) LastInboundChannel(ctx context.Context, urn core.URN, channels []string) (string, error) {
	var channel string
	err := s.db.q.QueryRow(ctx, `
		SELECT channel FROM messages WHERE urn = $1 AND direction = 'in' AND channel = ANY($2)
		ORDER BY id DESC LIMIT 1`, urn, channels).Scan(&channel)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("last channel of %s: %w", urn, err)
	}
	return channel, nil
}

func (s *MessageService) FindMessagesByURN(ctx context.Context, urn core.URN, limit int) ([]*core.Message, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT `+messageColumns+` FROM messages WHERE urn = $1 ORDER BY id DESC LIMIT $2`, urn, limit)
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", urn, err)
	}
	msgs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Message, error) { return scanMessage(row) })
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", urn, err)
	}
	return msgs, nil
}

// nullJSON stores an absent meta as NULL, not as the JSON null.
func nullJSON(raw []byte) any {
	if len(raw) == 0 {
		return nil
	}
	return raw
}
