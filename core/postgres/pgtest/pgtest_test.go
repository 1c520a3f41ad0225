package pgtest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"tracegate/core/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Each subtest creates the same table; on a shared database the second
// CREATE would fail, whichever runs first.
func TestDatabasesAreSeparate(t *testing.T) {
	for _, name := range []string{"a", "b", "c"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pool := pgtest.New(t)
			ctx := context.Background()
			if _, err := pool.Exec(ctx, "CREATE TABLE probe (owner text)"); err != nil {
				t.Fatalf("create table in a fresh database: %v", err)
			}
			if _, err := pool.Exec(ctx, "INSERT INTO probe VALUES ($1)", name); err != nil {
				t.Fatal(err)
			}
			var owners []string
			rows, _ := pool.Query(ctx, "SELECT owner FROM probe")
			owners, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			if len(owners) != 1 || owners[0] != name {
				t.Errorf("probe holds %v, want only %q", owners, name)
			}
		})
	}
}

func TestTableAbsentElsewhere(t *testing.T) {
	ctx := context.Background()
	a, b := pgtest.New(t), pgtest.New(t)
	if _, err := a.Exec(ctx, "CREATE TABLE only_in_a (id int)"); err != nil {
		t.Fatal(err)
	}
	var found bool
	if err := b.QueryRow(ctx, "SELECT to_regclass('only_in_a') IS NOT NULL").Scan(&found); err != nil {
		t.Fatal(err)
	}
	if found {
		t.Error("a table created in one test database shows up in another")
	}
}

func TestDatabaseIsMigrated(t *testing.T) {
	pool := pgtest.New(t)
	var migrated bool
	err := pool.QueryRow(context.Background(), "SELECT to_regclass('goose_db_version') IS NOT NULL").Scan(&migrated)
	if err != nil {
		t.Fatal(err)
	}
	if !migrated {
		t.Error("test database has no goose_db_version: the template was not migrated")
	}
}

func TestNewURLIsDroppedAfterTest(t *testing.T) {
	var name string
	ok := t.Run("inner", func(t *testing.T) {
		conn, err := pgx.Connect(context.Background(), pgtest.NewURL(t))
		if err != nil {
			t.Fatal(err)
		}
		// Left open on purpose: the drop must not wait for it.
		if err := conn.QueryRow(context.Background(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	if !ok {
		return
	}
	if !strings.HasPrefix(name, "t_") {
		t.Fatalf("test database is named %q, want t_*", name)
	}
	var exists bool
	err := pgtest.New(t).QueryRow(context.Background(), "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Errorf("database %s outlived its test", name)
	}
}
