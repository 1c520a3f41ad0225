package postgres

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"tracegate/core"
)

// Allow counts one request of what by who and says whether it is within
// limit per window. The count lives in Postgres, so the limit holds
// however many gateway processes serve the client.
func (db *DB) Allow(ctx context.Context, what string, who core.URN, limit int, per time.Duration) (bool, error) {
	key, err := db.hashURN(ctx, core.URN(what+"|"+string(who)))
	if err != nil {
		return false, err
	}
	var n int
	err = db.q.QueryRow(ctx, `
		INSERT INTO request_counts AS r (key, window_start, count) VALUES ($1, now(), 1)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN r.window_start < now() - make_interval(secs => $2) THEN 1 ELSE r.count + 1 END,
			window_start = CASE WHEN r.window_start < now() - make_interval(secs => $2) THEN now() ELSE r.window_start END
		RETURNING count`, key, per.Seconds()).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count %s requests: %w", what, err)
	}
	return n <= limit, nil
}

// Pseudonym is who keyed with the deployment's secret: stable, and not to
// be recovered by hashing every address there is.
func (db *DB) Pseudonym(ctx context.Context, who core.URN) (string, error) {
	sum, err := db.hashURN(ctx, who)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(sum[:8]), nil
}
