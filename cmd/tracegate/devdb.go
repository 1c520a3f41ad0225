package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"tracegate/core/postgres/pgcluster"
)

// devDatabase finds the dev database under dir: the one a running `dev`
// or `chat` already serves (its URL is in dir/database.url), else a
// private cluster it starts, creating it on first use. stop undoes what
// it started.
func devDatabase(ctx context.Context, dir string, out io.Writer) (url string, stop func() error, err error) {
	urlFile := filepath.Join(dir, "database.url")
	if raw, err := os.ReadFile(urlFile); err == nil {
		url := strings.TrimSpace(string(raw))
		if conn, err := pgx.Connect(ctx, url); err == nil {
			conn.Close(ctx)
			return url, func() error { return nil }, nil
		}
	}
	cluster, stopCluster, err := startDevCluster(ctx, dir, out)
	if err != nil {
		return "", nil, err
	}
	if url, err = ensureDatabase(ctx, cluster, "tracegate"); err != nil {
		return "", nil, errors.Join(err, stopCluster())
	}
	if err := os.WriteFile(urlFile, []byte(url+"\n"), 0o644); err != nil {
		return "", nil, errors.Join(fmt.Errorf("write %s: %w", urlFile, err), stopCluster())
	}
	return url, func() error { return errors.Join(os.Remove(urlFile), stopCluster()) }, nil
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
