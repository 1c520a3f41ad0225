package pgtest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/core/postgres"
	"tracegate/core/postgres/pgcluster"
)

// Replicated is a primary of its own with one streaming replica, for tests
// of what reads on a replica see. The shared server cannot be the primary:
// a base backup of it would copy every other test's database mid-write,
// and DATABASE_URL may name a server the tests do not run.
type Replicated struct {
	Primary, Replica *pgcluster.Cluster
	// PrimaryURL and ReplicaURL name the migrated database on each.
	PrimaryURL, ReplicaURL string

	replicaDir string
}

// replicatedDB is the database migrated on the primary, and so on the
// replica too.
const replicatedDB = "tracegate"

// NewReplicated starts a throwaway primary, migrates a database on it and
// starts a replica of it with pg_basebackup -R; both stop and their
// directories go when the test ends. It needs the Postgres server binaries
// even when DATABASE_URL is set.
func NewReplicated(t testing.TB) *Replicated {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	primaryDir, replicaDir := clusterDir(t, "primary"), clusterDir(t, "replica")
	primary, err := pgcluster.Start(ctx, pgcluster.Options{Dir: primaryDir, Throwaway: true})
	if err != nil {
		t.Fatalf("pgtest: start the primary: %v", err)
	}
	t.Cleanup(func() { primary.Stop() })
	if err := migrateNew(ctx, primary); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	replica, err := primary.StartReplica(ctx, pgcluster.Options{Dir: replicaDir, Throwaway: true})
	if err != nil {
		t.Fatalf("pgtest: start the replica: %v", err)
	}
	r := &Replicated{Primary: primary, Replica: replica, replicaDir: replicaDir,
		PrimaryURL: primary.URL(replicatedDB), ReplicaURL: replica.URL(replicatedDB)}
	// Cleanups run last-in first-out: the replica stops before its primary,
	// so it does not log a lost primary for nothing.
	t.Cleanup(func() { r.Replica.Stop() })
	return r
}

// RestartReplica starts the replica again on its directory and port after
// the test stopped it; it catches up with the primary from where it was.
func (r *Replicated) RestartReplica(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := r.Primary.StartReplica(ctx, pgcluster.Options{Dir: r.replicaDir, Port: r.Replica.Port(), Throwaway: true})
	if err != nil {
		t.Fatalf("pgtest: restart the replica: %v", err)
	}
	r.Replica = c
}

// WaitReplayed returns once the replica shows everything written on the
// primary so far.
func (r *Replicated) WaitReplayed(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Replica.WaitReplayed(ctx, r.Primary); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}

// clusterDir is an empty data directory for one cluster, where the tests'
// shared cluster would go, removed when the test ends or, if the test
// binary dies, by a watcher once the server is gone.
func clusterDir(t testing.TB, role string) string {
	t.Helper()
	dir, err := os.MkdirTemp(clusterParent(), "tracegate-pgtest-"+role+"-*")
	if err != nil {
		t.Fatalf("pgtest: make a directory for the %s: %v", role, err)
	}
	// Registered before the server's Stop, so it runs after it.
	t.Cleanup(func() { os.RemoveAll(dir) })
	if _, moved, err := pgcluster.UsableDir(dir); err != nil || moved {
		t.Fatalf("pgtest: %s in %s: the postgres OS user cannot reach it (%v); set TMPDIR to a directory it can reach", role, dir, err)
	}
	watchDir(dir)
	return dir
}

// migrateNew creates the replicated database on c and migrates it.
func migrateNew(ctx context.Context, c *pgcluster.Cluster) error {
	admin, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connect to the primary: %w", err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+replicatedDB); err != nil {
		return fmt.Errorf("create the replicated database: %w", err)
	}
	pool, err := pgxpool.New(ctx, c.URL(replicatedDB))
	if err != nil {
		return fmt.Errorf("connect to the replicated database: %w", err)
	}
	defer pool.Close()
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		return fmt.Errorf("migrate the replicated database: %w", err)
	}
	return nil
}
