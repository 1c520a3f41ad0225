package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/core"
)

// Digest is a fingerprint of every row of the tables: equal digests
// before and after a refused request prove it changed nothing in them,
// states included.
func Digest(t testing.TB, pool *pgxpool.Pool, tables ...string) string {
	t.Helper()
	var digest string
	for _, table := range tables {
		var d string
		q := `SELECT coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM ` + pgx.Identifier{table}.Sanitize() + ` r`
		if err := pool.QueryRow(context.Background(), q).Scan(&d); err != nil {
			t.Fatalf("pgtest: digest of %s: %v", table, err)
		}
		digest += table + ":" + d + " "
	}
	return digest
}

// Rows is how many rows a table holds.
func Rows(t testing.TB, pool *pgxpool.Pool, table string) int {
	t.Helper()
	return Count(t, pool, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize())
}

// ExpirePending makes the question a contact is asked older than its
// time, as if the person had waited too long to answer.
func ExpirePending(t testing.TB, pool *pgxpool.Pool, urn core.URN) {
	t.Helper()
	if _, err := pool.Exec(context.Background(),
		`UPDATE contacts SET pending_until = now() - interval '1 second' WHERE urn = $1 AND pending IS NOT NULL`, urn); err != nil {
		t.Fatalf("pgtest: expire the question of %s: %v", urn, err)
	}
}

// PendingUntil is when the question a contact is asked expires.
func PendingUntil(t testing.TB, pool *pgxpool.Pool, urn core.URN) time.Time {
	t.Helper()
	var until time.Time
	if err := pool.QueryRow(context.Background(), `SELECT pending_until FROM contacts WHERE urn = $1`, urn).Scan(&until); err != nil {
		t.Fatalf("pgtest: the question of %s: %v", urn, err)
	}
	return until
}

// CodeTaken says whether a stamp has the code.
func CodeTaken(t testing.TB, pool *pgxpool.Pool, code core.Code) bool {
	t.Helper()
	return Count(t, pool, `SELECT count(*) FROM stamps WHERE code = $1`, code) > 0
}
