package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// ZaloTokens keeps the Zalo OA's token pair in zalo_tokens.
type ZaloTokens struct{ db *DB }

// NewZaloTokens is the token store on db.
func NewZaloTokens(db *DB) *ZaloTokens { return &ZaloTokens{db: db} }

var _ core.ZaloTokens = (*ZaloTokens)(nil)

// zaloLock is the advisory lock a refresh holds: transaction-scoped, so
// it is released by the commit that stores the new pair, or by a rollback.
const zaloLock = `SELECT pg_advisory_xact_lock(hashtextextended('zalo_tokens', 1))`

// Current seeds an empty store and reads the pair.
func (z *ZaloTokens) Current(ctx context.Context, seed string) (core.ZaloToken, error) {
	if seed != "" {
		if _, err := z.db.q.Exec(ctx, `INSERT INTO zalo_tokens (refresh_token) VALUES ($1) ON CONFLICT (id) DO NOTHING`, seed); err != nil {
			return core.ZaloToken{}, fmt.Errorf("seed zalo tokens: %w", err)
		}
	}
	return readZalo(ctx, z.db.q)
}

// Refresh takes the lock, re-reads the pair (another process may have
// refreshed while this one waited) and stores what fetch returns.
func (z *ZaloTokens) Refresh(ctx context.Context, stale string, fetch func(context.Context, string) (core.ZaloToken, error)) (core.ZaloToken, error) {
	var pair core.ZaloToken
	err := z.db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, zaloLock); err != nil {
			return err
		}
		cur, err := readZalo(ctx, tx)
		if err != nil {
			return err
		}
		if cur.Access != stale {
			pair = cur // refreshed by another process: its pair, its refresh token unspent
			return nil
		}
		next, err := fetch(ctx, cur.Refresh)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `UPDATE zalo_tokens SET access_token = $1, refresh_token = $2, expires_at = $3, updated_at = now()
			RETURNING access_token, refresh_token, expires_at, updated_at`, next.Access, next.Refresh, next.ExpiresAt).
			Scan(&pair.Access, &pair.Refresh, &pair.ExpiresAt, &pair.UpdatedAt)
	})
	if err != nil {
		return core.ZaloToken{}, fmt.Errorf("refresh zalo tokens: %w", err)
	}
	return pair, nil
}

// readZalo reads the pair; an empty store is a configuration error.
func readZalo(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (core.ZaloToken, error) {
	var t core.ZaloToken
	err := q.QueryRow(ctx, `SELECT access_token, refresh_token, expires_at, updated_at FROM zalo_tokens`).
		Scan(&t.Access, &t.Refresh, &t.ExpiresAt, &t.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, core.Errorf(core.ENOTFOUND, "no Zalo token is stored and ZALO_REFRESH_TOKEN is unset")
	}
	if err != nil {
		return t, fmt.Errorf("read zalo tokens: %w", err)
	}
	return t, nil
}
