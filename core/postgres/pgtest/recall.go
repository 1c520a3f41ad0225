package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Recall recalls a lot the way the recall service will (it is not written
// yet): closed if it was open, with the time and the reason.
func Recall(t testing.TB, pool *pgxpool.Pool, lotID int64, reason string) {
	t.Helper()
	tag, err := pool.Exec(context.Background(), `
		UPDATE lots SET status = 'recalled', closed_at = coalesce(closed_at, now()),
			recalled_at = now(), recall_reason = $2
		WHERE id = $1`, lotID, reason)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("pgtest: recall lot %d: %v (%d rows)", lotID, err, tag.RowsAffected())
	}
}
