package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Count runs a query that counts, failing the test on an error.
func Count(t testing.TB, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// WaitSent waits until no message is queued any more: the send workers
// have taken every one, or the test fails after timeout.
func WaitSent(t testing.TB, pool *pgxpool.Pool, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for Count(t, pool, `SELECT count(*) FROM messages WHERE status = 'queued'`) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("messages still queued after %s", timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
