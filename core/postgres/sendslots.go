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

// TryLock takes a lock by name for as long as the caller holds it, across
// every gateway process: only one of them polls Telegram at a time. The
// lock lives on its own connection, so it is released when release is
// called or when the process dies.
func (db *DB) TryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 1))`, name).Scan(&ok); err != nil || !ok {
		conn.Release()
		if err != nil {
			return nil, false, fmt.Errorf("lock %s: %w", name, err)
		}
		return nil, false, nil
	}
	return func() {
		// A connection that cannot unlock is closed, which unlocks.
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock(hashtextextended($1, 1))`, name); err != nil {
			conn.Conn().Close(context.Background())
		}
		conn.Release()
	}, true, nil
}
