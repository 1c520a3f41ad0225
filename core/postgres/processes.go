package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Every gateway process says it is alive; the sends claimed by one that
// stopped saying so are taken up again by the others.

// Heartbeat records that the process id is alive now.
func (db *DB) Heartbeat(ctx context.Context, id string) error {
	_, err := db.q.Exec(ctx, `
		INSERT INTO gateway_processes (id) VALUES ($1)
		ON CONFLICT (id) DO UPDATE SET seen_at = now()`, id)
	if err != nil {
		return fmt.Errorf("heartbeat of %s: %w", id, err)
	}
	return nil
}

// ForgetProcess removes a process that stopped cleanly.
func (db *DB) ForgetProcess(ctx context.Context, id string) error {
	if _, err := db.q.Exec(ctx, `DELETE FROM gateway_processes WHERE id = $1`, id); err != nil {
		return fmt.Errorf("forget process %s: %w", id, err)
	}
	return nil
}

// RescueTurns puts back in line the turns claimed by processes silent
// for deadAfter, and forgets those processes: a slow process keeps its
// turns, a dead one's are sent by the others. The messages are looked for
// only when a process has died, which is rare.
func (db *DB) RescueTurns(ctx context.Context, deadAfter time.Duration) (int64, error) {
	var rescued int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			DELETE FROM gateway_processes WHERE seen_at < now() - make_interval(secs => $1) RETURNING id`, deadAfter.Seconds())
		if err != nil {
			return err
		}
		dead, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(dead) == 0 {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE messages SET slot_at = NULL, claimed_by = NULL, updated_at = now()
			WHERE status = 'queued' AND claimed_by = ANY($1)`, dead)
		rescued = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("rescue the turns of dead processes: %w", err)
	}
	return rescued, nil
}
