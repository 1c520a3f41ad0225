package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"tracegate/core/postgres"
	"tracegate/core/postgres/pgcluster"
)

// dev runs the gateway with everything it needs and nothing to set up: a
// private Postgres under --dir (unless DATABASE_URL is set), the demo data,
// and defaults for every variable.
func dev(ctx context.Context, cfg config, args []string, out io.Writer, log *slog.Logger) error {
	flags := flag.NewFlagSet("dev", flag.ContinueOnError)
	flags.SetOutput(out)
	dir := flags.String("dir", ".tracegate", "where the private Postgres cluster lives")
	if err := flags.Parse(args); err != nil {
		return errUsage
	}
	cfg.AdminToken = orDefault(cfg.AdminToken, "dev")
	// The demo's admin token is public: listen on this machine only.
	cfg.HTTPAddr = orDefault(cfg.HTTPAddr, "localhost:8080")
	if cfg.DatabaseURL == "" {
		cluster, stop, err := startDevCluster(ctx, *dir, out)
		if err != nil {
			return err
		}
		defer func() {
			if err := stop(); err != nil {
				log.Error("stop postgres", slog.Any("err", err))
			}
		}()
		if cfg.DatabaseURL, err = ensureDatabase(ctx, cluster, "tracegate"); err != nil {
			return err
		}
	}
	db, err := openDB(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer db.Close()
	demo, err := loadDemo(ctx, postgres.NewServices(db))
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	return serveDB(ctx, cfg, db, func(served config) { printBanner(out, served, demo) }, log)
}

// startDevCluster starts (creating on first use) the private cluster. As
// root, Postgres runs as the postgres user, which may not reach a checkout
// under /root: then the cluster lives in the temp directory instead. stop
// shuts it down and closes its log.
func startDevCluster(ctx context.Context, dir string, out io.Writer) (c *pgcluster.Cluster, stop func() error, err error) {
	if _, err := pgcluster.FindBinaries(); err != nil {
		if errors.Is(err, pgcluster.ErrNoBinaries) {
			return nil, nil, fmt.Errorf("%w,\n  or set DATABASE_URL to a database you already have", err)
		}
		return nil, nil, err
	}
	dataDir, moved, err := pgcluster.UsableDir(filepath.Join(dir, "pgdata"))
	if err != nil {
		return nil, nil, err
	}
	if moved {
		fmt.Fprintf(out, "The postgres user cannot reach %s, so the dev database lives in %s.\n", dir, dataDir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("create %s: %w", dir, err)
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "postgres.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("open postgres log: %w", err)
	}
	fmt.Fprintln(out, "Starting a private Postgres in", dataDir, "...")
	c, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dataDir, Log: logFile})
	if err != nil {
		logFile.Close()
		return nil, nil, err
	}
	return c, func() error { return errors.Join(c.Stop(), logFile.Close()) }, nil
}

// ensureDatabase creates the named database on first use.
func ensureDatabase(ctx context.Context, cluster *pgcluster.Cluster, name string) (string, error) {
	conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
	if err != nil {
		return "", fmt.Errorf("connect to dev postgres: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", fmt.Errorf("find database %s: %w", name, err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", fmt.Errorf("create database %s: %w", name, err)
		}
	}
	return cluster.URL(name), nil
}
