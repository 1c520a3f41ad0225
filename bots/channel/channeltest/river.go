package channeltest

import (
	"context"
	"fmt"
	"testing"

	"tracegate/core/postgres/pgtest"
)

// River keeps the send jobs; these read its table, which no service of
// ours reads, for tests of gateways that die holding sends.

// RetriedSends counts the send jobs that ran more than once: taken up
// after a process died, or retried.
func (w *World) RetriedSends(t testing.TB) int {
	t.Helper()
	return pgtest.Count(t, w.DB.Pool, `SELECT count(*) FROM river_job WHERE kind = 'send_message' AND attempt > 1`)
}

// SendsHeldBy counts the sends the gateway process pid has claimed and
// not finished (its River client id carries its pid).
func (w *World) SendsHeldBy(pid int) (int, error) {
	var held int
	err := w.DB.Pool.QueryRow(context.Background(), `
		SELECT count(*) FROM river_job
		WHERE kind = 'send_message' AND state = 'running' AND attempted_by[cardinality(attempted_by)] LIKE $1`,
		fmt.Sprintf("%%-%d-%%", pid)).Scan(&held)
	return held, err
}
