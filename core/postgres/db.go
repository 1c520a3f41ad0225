// Package postgres implements core's services on PostgreSQL with pgx: plain
// SQL, one transaction per service method.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/core"
)

// DB is the database every service shares: the pool, or one transaction
// that several services join (see InTx).
type DB struct {
	Pool *pgxpool.Pool

	// Suspicion decides when a genuine code looks cloned.
	Suspicion core.SuspicionPolicy

	// LeaseTTL is how long a lock taken behind a transaction pooler
	// outlives its holder's last renewal, if it dies (default 15s).
	LeaseTTL time.Duration

	q      dbtx // the pool, or the transaction this DB is bound to
	urnKey *urnKey
	read   *replica // the read replica, nil without one (see reader)
	pooler Pooler   // what stands between us and Postgres (OpenVia)
}

// dbtx is what a pool and a transaction share. On a transaction, Begin
// makes a savepoint, so a service's own transaction nests in a caller's.
type dbtx interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error)
}

// Open connects to url and checks the connection.
func Open(ctx context.Context, url string) (*DB, error) { return OpenVia(ctx, url, Direct) }

// New wraps an open pool.
func New(pool *pgxpool.Pool) *DB {
	return &DB{Pool: pool, Suspicion: core.DefaultSuspicion, q: pool, urnKey: &urnKey{}}
}

// InTx runs fn in one transaction with every service bound to it: what a
// message causes (its storage, the dialog's changes, the replies queued)
// commits together or not at all. tx is for work outside the services,
// such as inserting jobs.
func (db *DB) InTx(ctx context.Context, fn func(tx pgx.Tx, s core.Services) error) error {
	pool, ok := db.q.(*pgxpool.Pool)
	if !ok { // already in a transaction: a savepoint
		return pgx.BeginFunc(ctx, db.q, func(tx pgx.Tx) error {
			bound := *db
			bound.q = tx
			return fn(tx, NewServices(&bound))
		})
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Release()
	p := newPipelined(conn)
	defer p.Rollback(context.WithoutCancel(ctx)) // after a commit, a no-op
	bound := *db
	bound.q = p
	if err := fn(p, NewServices(&bound)); err != nil {
		return err
	}
	return p.Commit(ctx)
}

// later runs a write whose result nothing needs: in a transaction it
// waits to travel with the next statement (see pipelined); on the pool it
// runs now.
func (db *DB) later(ctx context.Context, what, sql string, args ...any) error {
	if p, ok := db.q.(pipelined); ok {
		p.later(what, sql, args...)
		return nil
	}
	if _, err := db.q.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Close closes the pool, and the read replica's.
func (db *DB) Close() {
	db.closeReader()
	db.Pool.Close()
}

// inTx runs fn in one transaction: the boundary of every service method.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.q, fn)
}

// Postgres error codes the services turn into domain errors.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgCheckViolation      = "23514"
	pgNotNullViolation    = "23502"
)

// pgErrorCode returns the SQLSTATE of a Postgres error, or "".
func pgErrorCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// domainError turns a constraint violation the services could not check
// beforehand into a domain error; what names the thing being written.
func domainError(what string, err error) error {
	switch pgErrorCode(err) {
	case pgUniqueViolation:
		return core.Errorf(core.ECONFLICT, "%s already exists", what)
	case pgForeignKeyViolation:
		return core.Errorf(core.ENOTFOUND, "%s refers to something that does not exist", what)
	case pgCheckViolation:
		return core.Errorf(core.EINVALID, "%s breaks a rule of the data", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// nullTime lets a zero time mean "now, by the database's clock".
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
