package postgres_test

import (
	"context"
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

// `tracegate migrate` and serve's start migrate through PgBouncer in
// transaction mode too: every migration, ours and River's, from nothing.
func TestMigrateThroughPgBouncer(t *testing.T) {
	url := pgtest.NewURL(t)
	emptied := openVia(t, url, postgres.Direct, 0)
	if _, err := emptied.Pool.Exec(context.Background(), `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	db := openVia(t, pgtest.Bounced(t, url, 2), postgres.PgBouncer, 0)
	n, err := postgres.Migrate(context.Background(), db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := postgres.Migrate(context.Background(), db.Pool); err != nil || again != 0 {
		t.Fatalf("migrating again applied %d, %v", again, err)
	}
	t.Logf("applied %d migrations through PgBouncer", n)
}
