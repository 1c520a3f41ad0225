package postgres_test

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"tracegate/core/postgres"
	"tracegate/core/postgres/pgtest"
)

// Behind PgBouncer the pool leaves no named statement on a server
// connection, unless the connection string names a mode of its own (a
// PgBouncer 1.21 that keeps prepared statements); directly, pgx's
// default stays.
func TestExecModeBehindThePooler(t *testing.T) {
	url := pgtest.NewURL(t)
	for _, tt := range []struct {
		pooler postgres.Pooler
		params string
		want   pgx.QueryExecMode
	}{
		{postgres.Direct, "", pgx.QueryExecModeCacheStatement},
		{postgres.PgBouncer, "", pgx.QueryExecModeCacheDescribe},
		{postgres.PgBouncer, "&default_query_exec_mode=cache_statement", pgx.QueryExecModeCacheStatement},
	} {
		db := openVia(t, url+tt.params, tt.pooler, 0)
		if got := db.Pool.Config().ConnConfig.DefaultQueryExecMode; got != tt.want {
			t.Errorf("%q%s: exec mode %s, want %s", tt.pooler, tt.params, got, tt.want)
		}
		if got, want := db.TransactionPooled(), tt.pooler == postgres.PgBouncer; got != want {
			t.Errorf("%q: transaction pooled %v, want %v", tt.pooler, got, want)
		}
	}
}
