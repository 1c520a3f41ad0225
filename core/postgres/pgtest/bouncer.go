package pgtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"tracegate/core/postgres/pgcluster"
)

// Bounced starts a PgBouncer in transaction mode on loopback in front of
// the test database at url, with poolSize server connections, and returns
// the connection string through it. It stops when the test ends, before
// the database is dropped. Without pgbouncer the test fails, saying what
// to install: CI installs it.
func Bounced(t testing.TB, url string, poolSize int) string {
	t.Helper()
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	dir, err := os.MkdirTemp(clusterParent(), "tracegate-pgbouncer-*")
	if err != nil {
		t.Fatalf("pgtest: make a directory for pgbouncer: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := pgcluster.StartBouncer(ctx, pgcluster.BouncerOptions{Dir: dir, Upstream: url, PoolSize: poolSize})
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(b.Stop)
	return b.URL(cfg.Database)
}
