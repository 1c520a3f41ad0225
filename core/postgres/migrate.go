package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"tracegate/migrations"
)

// Migrate applies every pending migration in migrations/, then River's,
// makes the monthly partitions due, and reports how many migrations it
// applied.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return len(results), fmt.Errorf("migrate: %w", err)
	}
	// River keeps its job tables itself; they move with our schema.
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return len(results), fmt.Errorf("migrate river: %w", err)
	}
	river, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return len(results), fmt.Errorf("migrate river: %w", err)
	}
	// A fresh database gets this month's partitions and the next ones now,
	// not at the first hourly housekeeping.
	if _, err := New(pool).MaintainPartitions(ctx, time.Now(), 0); err != nil {
		return len(results) + len(river.Versions), fmt.Errorf("migrate: %w", err)
	}
	return len(results) + len(river.Versions), nil
}
