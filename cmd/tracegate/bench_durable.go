package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"tracegate/core/postgres"
)

// undurableSQL names the settings of the session that asking it runs in
// which let a crash lose an acknowledged commit (fsync, synchronous_commit)
// or leave a torn page unrepaired (full_page_writes): none on a server
// run as production runs. A session may differ from the server's file (the
// database's or role's settings, PGOPTIONS), so each side asks its own.
const undurableSQL = `
	SELECT coalesce(string_agg(name || '=' || setting, ', ' ORDER BY name), '')
	FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') AND setting = 'off'`

// poolUndurable is undurableSQL in a session of db's pool, the one the
// bench's gateway serves from.
func poolUndurable(ctx context.Context, db *postgres.DB) (string, error) {
	var off string
	if err := db.Pool.QueryRow(ctx, undurableSQL).Scan(&off); err != nil {
		return "", fmt.Errorf("the gateway's commit settings: %w", err)
	}
	return off, nil
}

// psqlUndurable is undurableSQL in a session libpq opens on url with this
// process's environment, as pgbench's sessions are opened.
func psqlUndurable(ctx context.Context, binDir, url string) (string, error) {
	out, err := exec.CommandContext(ctx, filepath.Join(binDir, "psql"), "-XAtq", "-c", undurableSQL, url).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("pgbench's commit settings, by psql: %w\n%s", err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// durability checks that our load and pgbench both commit durably. The
// private cluster must (a figure without fsync is no production server's,
// and TPC-B gains more from it than we do); a server the bench was given
// may not, and then the rows that stand on commits say so.
func durability(ctx context.Context, w *benchWorld, tpcb *pgbench, plan benchPlan) (caveat string, err error) {
	ours, err := poolUndurable(ctx, w.db)
	if err != nil {
		return "", err
	}
	if ours == "" && tpcb.undurable == "" {
		return "", nil
	}
	what := fmt.Sprintf("ours %s, pgbench's %s", orDefault(ours, "durable"), orDefault(tpcb.undurable, "durable"))
	if plan.Server == "" {
		return "", fmt.Errorf("the bench's private cluster does not commit durably (%s): its figures would be no production server's", what)
	}
	fmt.Fprintf(plan.Progress, "bench: warning: commits on the given server are not durable (%s)\n", what)
	return fmt.Sprintf("NOT DURABLE (%s); ", what), nil
}
