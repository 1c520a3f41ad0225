package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// randomSuffix keeps names of concurrent test binaries sharing one server
// apart; lower-case hex needs no quoting in psql when someone inspects them.
func randomSuffix() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// withDatabase points a connection string, URL or keyword/value form, at
// another database on the same server.
func withDatabase(conn, database string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		if u, err := url.Parse(conn); err == nil {
			u.Path = "/" + database
			u.RawPath = ""
			return u.String()
		}
	}
	// A later keyword overrides an earlier one.
	return conn + " dbname=" + database
}

func dropDatabase(ctx context.Context, admin *pgxpool.Pool, name string) error {
	// FORCE ends sessions a test left open, e.g. a binary under test.
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}
