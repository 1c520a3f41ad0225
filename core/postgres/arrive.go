package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// Arrive is the first round trip of every message received: stored,
// counted against its sender's recent ones, and its sender read, in one
// batch. The count runs after the insert, in the same transaction, so it
// includes the message; it stops at atMost, since a flood is told by
// the limit, not by its size.
func (s *MessageService) Arrive(ctx context.Context, m *core.Message, window time.Duration, atMost int) (*core.Arrival, error) {
	m.Direction, m.Kind, m.Status = "in", core.KindInbound, core.StatusReceived
	a := &core.Arrival{}
	b := &pgx.Batch{}
	b.Queue(insertInbound, inboundArgs(m)...).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&m.ID, &m.CreatedAt, &m.UpdatedAt)
		a.Stored = err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	b.Queue(`
		SELECT count(*) FROM (
			SELECT 1 FROM messages
			WHERE urn = $1 AND direction = 'in' AND created_at >= now() - make_interval(secs => $2)
			    AND id >= message_id_at(now() - make_interval(secs => $2)) -- this month's, or last month's too
			LIMIT $3) recent`, m.URN, window.Seconds(), atMost).QueryRow(func(row pgx.Row) error {
		return row.Scan(&a.Recent)
	})
	b.Queue(selectContact, m.URN).QueryRow(func(row pgx.Row) (err error) {
		a.Contact, err = scanContact(row, m.URN)
		return err
	})
	b.Queue(selectMemberByURN, m.URN).QueryRow(func(row pgx.Row) (err error) {
		a.Member, err = scanMember(row)
		if errors.Is(err, pgx.ErrNoRows) {
			a.Member, err = nil, nil
		}
		return err
	})
	if err := s.db.q.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("store inbound %s/%s: %w", m.Channel, m.ProviderID, err)
	}
	return a, nil
}

// insertInbound stores an inbound message unless its channel gave its
// provider id already; it returns no row for a provider's retry. The key
// lives in inbound_keys, not in a unique index on messages, which a
// partitioned table can only have per month (see migration 00021).
const insertInbound = `
	WITH key AS (
		INSERT INTO inbound_keys (channel, provider_id, message_id) VALUES ($1, $5, next_message_id())
		ON CONFLICT (channel, provider_id) DO NOTHING
		RETURNING message_id
	)
	INSERT INTO messages (id, direction, kind, channel, urn, text, meta, provider_id, status)
	SELECT message_id, 'in', 'inbound', $1, $2, $3, $4, $5, 'received' FROM key
	RETURNING id, created_at, updated_at`

func inboundArgs(m *core.Message) []any {
	return []any{m.Channel, m.URN, m.Text, nullJSON(m.Meta), m.ProviderID}
}
