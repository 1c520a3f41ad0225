package postgres

import (
	"context"
	"fmt"
	"time"

	"tracegate/core"
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

// Housekeep prunes what only matters for a while: delivery reports that
// never met their message, send slots, processes and request counts
// unused for a day.
func (db *DB) Housekeep(ctx context.Context) (int64, error) {
	var n int64
	for _, sql := range []string{
		`DELETE FROM early_reports WHERE received_at < now() - interval '1 day'`,
		`DELETE FROM send_slots WHERE next_at < now() - interval '1 day'`,
		`DELETE FROM gateway_processes WHERE seen_at < now() - interval '1 day'`,
		`DELETE FROM request_counts WHERE window_start < now() - interval '1 day'`,
	} {
		tag, err := db.q.Exec(ctx, sql)
		if err != nil {
			return n, fmt.Errorf("housekeeping: %w", err)
		}
		n += tag.RowsAffected()
	}
	return n, nil
}

// Queued counts the outbound messages not sent yet on the given
// channels (every channel when none is given), and the age of the oldest.
func (db *DB) Queued(ctx context.Context, channels []string) ([]core.Queued, error) {
	rows, err := db.q.Query(ctx, `
		SELECT channel, count(*), extract(epoch FROM now() - min(created_at))::float8
		FROM messages WHERE status = 'queued' AND (coalesce(cardinality($1::text[]), 0) = 0 OR channel = ANY($1))
		GROUP BY channel`, channels)
	if err != nil {
		return nil, fmt.Errorf("queued messages: %w", err)
	}
	defer rows.Close()
	var out []core.Queued
	for rows.Next() {
		var q core.Queued
		var secs float64
		if err := rows.Scan(&q.Channel, &q.Depth, &secs); err != nil {
			return nil, fmt.Errorf("queued messages: %w", err)
		}
		q.Oldest = time.Duration(secs * float64(time.Second))
		out = append(out, q)
	}
	return out, rows.Err()
}
