package pgcluster

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestStartReplica(t *testing.T) {
	base := privateTempDir(t)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	primary, err := Start(ctx, Options{Dir: filepath.Join(base, "primary"), Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { primary.Stop() })
	mustExec(t, primary.URL("postgres"), "CREATE TABLE copied (id int); INSERT INTO copied VALUES (1)")

	began := time.Now()
	var log syncBuffer
	replica, err := primary.StartReplica(ctx, Options{Dir: filepath.Join(base, "replica"), Throwaway: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("replica (pg_basebackup + start) ready in %s", time.Since(began).Round(time.Millisecond))
	t.Cleanup(func() { replica.Stop() })
	if !strings.Contains(log.String(), "started streaming WAL") {
		t.Errorf("the replica's log does not say it streams:\n%s", log.String())
	}

	// What the base backup copied and what was written after it both
	// reach the replica, which is a read-only standby.
	mustExec(t, primary.URL("postgres"), "INSERT INTO copied VALUES (2)")
	if err := replica.WaitReplayed(ctx, primary); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, replica.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	var standby bool
	if err := conn.QueryRow(ctx, "SELECT count(*), pg_is_in_recovery() FROM copied").Scan(&n, &standby); err != nil || n != 2 || !standby {
		t.Fatalf("the replica has %d rows, in recovery %t (%v); want 2 rows on a standby", n, standby, err)
	}

	// A cluster that is not a standby is never started as one.
	if _, err := primary.StartReplica(ctx, Options{Dir: primary.Dir(), Throwaway: true}); err == nil ||
		!strings.Contains(err.Error(), "not a standby") {
		t.Fatalf("a replica on the primary's own directory: %v", err)
	}
}
