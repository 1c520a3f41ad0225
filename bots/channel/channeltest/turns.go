package channeltest

import (
	"context"
	"fmt"
	"testing"

	"tracegate/core/postgres/pgtest"
)

// A turn is claimed by the gateway process that will send it (its id
// carries its pid); these read the claims, for tests of gateways that die
// holding turns.

// TurnsHeldBy are the queued messages whose turns the gateway process pid
// holds.
func (w *World) TurnsHeldBy(pid int) ([]int64, error) {
	rows, err := w.DB.Pool.Query(context.Background(), `
		SELECT id FROM messages WHERE status = 'queued' AND claimed_by LIKE $1 ORDER BY id`, processPattern(pid))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SentByOthers counts the messages of ids sent by a process other than
// pid: the turns another took up.
func (w *World) SentByOthers(t testing.TB, ids []int64, pid int) int {
	t.Helper()
	return pgtest.Count(t, w.DB.Pool, `
		SELECT count(*) FROM messages WHERE id = ANY($1) AND status IN ('sent', 'delivered') AND claimed_by NOT LIKE $2`,
		ids, processPattern(pid))
}

func processPattern(pid int) string { return fmt.Sprintf("%%-%d-%%", pid) }
