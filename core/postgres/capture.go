package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// CaptureOutbox is epcis_outbox, which triggers fill (migration 00012).
// A claim is a lease, not a lock held while pushing: the pusher commits the
// claim, pushes with no transaction open, then settles; if it dies the row
// is due again when the lease runs out.
type CaptureOutbox struct {
	db *DB
}

func NewCaptureOutbox(db *DB) *CaptureOutbox { return &CaptureOutbox{db} }

var _ core.CaptureOutbox = (*CaptureOutbox)(nil)

// Claim skips rows another pusher is claiming (SKIP LOCKED) and pushes
// next_at past the lease, so two processes never hold the same row.
func (o *CaptureOutbox) Claim(ctx context.Context, n int, lease time.Duration) ([]*core.CaptureItem, error) {
	rows, err := o.db.q.Query(ctx, `
		UPDATE epcis_outbox SET attempts = attempts + 1, next_at = now() + $2::interval
		WHERE id IN (
			SELECT id FROM epcis_outbox WHERE state = 'pending' AND next_at <= now()
			ORDER BY next_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
		RETURNING id, lot_id, kind, at, ref, attempts`, n, lease)
	if err != nil {
		return nil, fmt.Errorf("claim capture items: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.CaptureItem, error) {
		var it core.CaptureItem
		return &it, row.Scan(&it.ID, &it.LotID, &it.Kind, &it.At, &it.Ref, &it.Attempt)
	})
	if err != nil {
		return nil, fmt.Errorf("claim capture items: %w", err)
	}
	return items, nil
}

func (o *CaptureOutbox) Pushed(ctx context.Context, it *core.CaptureItem, location string) error {
	return o.settle(ctx, it, `state = 'pushed', location = $3, last_error = NULL, settled_at = now()`, location)
}

func (o *CaptureOutbox) Retry(ctx context.Context, it *core.CaptureItem, wait time.Duration, reason string) error {
	return o.settle(ctx, it, `next_at = now() + $3::interval, last_error = $4`, wait, reason)
}

func (o *CaptureOutbox) Fail(ctx context.Context, it *core.CaptureItem, reason string) error {
	return o.settle(ctx, it, `state = 'failed', last_error = $3, settled_at = now()`, reason)
}

func (o *CaptureOutbox) Skip(ctx context.Context, it *core.CaptureItem) error {
	return o.settle(ctx, it, `state = 'skipped', settled_at = now()`)
}

// settle changes a row only if it is still pending under the attempt it
// was claimed for.
func (o *CaptureOutbox) settle(ctx context.Context, it *core.CaptureItem, set string, args ...any) error {
	_, err := o.db.q.Exec(ctx, `UPDATE epcis_outbox SET `+set+`
		WHERE id = $1 AND attempts = $2 AND state = 'pending'`, append([]any{it.ID, it.Attempt}, args...)...)
	if err != nil {
		return fmt.Errorf("settle capture item %d: %w", it.ID, err)
	}
	return nil
}
