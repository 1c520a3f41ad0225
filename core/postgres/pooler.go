package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Pooler is what stands between the gateway and Postgres. It cannot be
// told from the connection string: PgBouncer passes the server's own
// parameters through, and its pool mode is its own configuration.
type Pooler string

const (
	// Direct is Postgres itself, or a pooler in session mode: a
	// connection's session lasts as long as the connection.
	Direct Pooler = ""
	// PgBouncer is PgBouncer in transaction mode (any version from 1.18):
	// each transaction may run on another server connection, so nothing
	// may outlive a transaction on the server, neither a named prepared
	// statement, nor a LISTEN, nor a session's advisory lock.
	PgBouncer Pooler = "pgbouncer"
)

// ParsePooler reads DATABASE_POOLER: empty or "none" for Direct,
// "pgbouncer" for PgBouncer in transaction mode.
func ParsePooler(s string) (Pooler, error) {
	switch s {
	case "", "none":
		return Direct, nil
	case string(PgBouncer):
		return PgBouncer, nil
	}
	return Direct, fmt.Errorf("%q must be none or pgbouncer", s)
}

// adapt makes a pool's connections safe behind the pooler.
//
// Behind PgBouncer, queries describe themselves on the unnamed statement
// and cache the description in the client (pgx's QueryExecModeCacheDescribe):
// every execution parses again in the same round trip as it binds and
// runs, so nothing named is left on a server connection, yet parameters
// and results keep the binary formats and the types the server declared,
// as in the default mode the services were written for. pgx's
// QueryExecModeExec and QueryExecModeSimpleProtocol are also safe, but
// guess parameter types from Go types and go through text, which River's
// driver has to patch around for JSON; QueryExecModeDescribeExec is not
// safe, as PgBouncer may switch server connections between its describe
// and its execute.
//
// A mode the connection string names wins: PgBouncer 1.21 and later, with
// max_prepared_statements set, keep pgx's default prepared statements
// working (default_query_exec_mode=cache_statement), which spares the
// server parsing and planning every query again.
func (p Pooler) adapt(cfg *pgxpool.Config) {
	if p == PgBouncer && !strings.Contains(cfg.ConnString(), "default_query_exec_mode") {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
}

// OpenVia is Open for a database reached through pooler.
func OpenVia(ctx context.Context, url string, pooler Pooler) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pooler.adapt(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database %s: %w", cfg.ConnConfig.Host, err)
	}
	db := New(pool)
	db.pooler = pooler
	return db, nil
}

// TransactionPooled reports whether every transaction may run on another
// server connection: then River must poll rather than LISTEN.
func (db *DB) TransactionPooled() bool { return db.pooler == PgBouncer }
