package postgres

import (
	"context"
	"fmt"
	"time"
)

// ReserveSendSlot books the next moment a send under key may go, given
// one send per every: the row is shared by every gateway process, so a
// provider's rate holds however many of them send. The slot may be in
// the past (send now) or the future (wait until then).
func (db *DB) ReserveSendSlot(ctx context.Context, key string, every time.Duration) (time.Time, error) {
	var slot time.Time
	err := db.q.QueryRow(ctx, `
		INSERT INTO send_slots AS s (key, next_at) VALUES ($1, now() + make_interval(secs => $2))
		ON CONFLICT (key) DO UPDATE SET next_at = greatest(s.next_at, now()) + make_interval(secs => $2)
		RETURNING next_at - make_interval(secs => $2)`, key, every.Seconds()).Scan(&slot)
	if err != nil {
		return time.Time{}, fmt.Errorf("reserve send slot %s: %w", key, err)
	}
	return slot, nil
}

// QueueDepth counts the send jobs not done yet, for the metrics.
func (db *DB) QueueDepth(ctx context.Context) (int64, error) {
	var n int64
	err := db.q.QueryRow(ctx, `
		SELECT count(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'running')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("queue depth: %w", err)
	}
	return n, nil
}
