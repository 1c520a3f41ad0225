package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"tracegate/core/postgres"
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
	cfg.Dev = true
	// The demo's admin token is public: listen on this machine only.
	cfg.HTTPAddr = orDefault(cfg.HTTPAddr, "localhost:8080")
	db, demo, stop, err := openDevDB(ctx, &cfg, *dir, out, log)
	if err != nil {
		return err
	}
	defer stop()
	return serveDB(ctx, cfg, db, func(served config) { printBanner(out, served, demo) }, log)
}

// openDevDB opens DATABASE_URL, or the dev database under dir, migrated
// and with the demo loaded; stop closes it and stops what it started.
func openDevDB(ctx context.Context, cfg *config, dir string, out io.Writer, log *slog.Logger) (*postgres.DB, *demo, func(), error) {
	stopDB := func() error { return nil }
	pooler := cfg.Pooler
	if cfg.DatabaseURL == "" {
		pooler = postgres.Direct // the dev cluster is ours, with no pooler
		var err error
		if cfg.DatabaseURL, stopDB, err = devDatabase(ctx, dir, out); err != nil {
			return nil, nil, nil, err
		}
	}
	stop := func() {
		if err := stopDB(); err != nil {
			log.Error("stop postgres", slog.Any("err", err))
		}
	}
	db, err := openDB(ctx, cfg.DatabaseURL, pooler, log)
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	d, err := loadDemo(ctx, postgres.NewServices(db))
	if err != nil {
		db.Close()
		stop()
		return nil, nil, nil, fmt.Errorf("demo data: %w", err)
	}
	return db, d, func() { db.Close(); stop() }, nil
}
