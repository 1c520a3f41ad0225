package postgres

import (
	"context"
	"fmt"
	"time"
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

// RescueSends makes the send jobs that a process silent for deadAfter was
// running available again, at once: River's own rescuer cannot tell a
// dead process from a slow one and waits for a timeout. A job is the
// process's that fetched it last (River's attempted_by).
func (db *DB) RescueSends(ctx context.Context, kind string, deadAfter time.Duration) (int64, error) {
	tag, err := db.q.Exec(ctx, `
		UPDATE river_job j SET state = 'available', scheduled_at = now()
		WHERE j.state = 'running' AND j.kind = $1
			AND j.attempted_at < now() - make_interval(secs => $2)
			AND NOT EXISTS (
				SELECT 1 FROM gateway_processes g
				WHERE g.id = j.attempted_by[cardinality(j.attempted_by)]
					AND g.seen_at > now() - make_interval(secs => $2))`, kind, deadAfter.Seconds())
	if err != nil {
		return 0, fmt.Errorf("rescue sends of dead processes: %w", err)
	}
	return tag.RowsAffected(), nil
}
