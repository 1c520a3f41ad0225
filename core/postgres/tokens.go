package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// TokenStore keeps one provider's token pair in provider_tokens.
type TokenStore struct {
	db       *DB
	provider string
}

// NewTokenStore is provider's token store on db.
func NewTokenStore(db *DB, provider string) *TokenStore {
	return &TokenStore{db: db, provider: provider}
}

var _ core.TokenStore = (*TokenStore)(nil)

// tokenLock is the advisory lock a refresh holds: transaction-scoped, so
// it is released by the commit that stores the new pair, or by a rollback.
const tokenLock = `SELECT pg_advisory_xact_lock(hashtextextended('provider_tokens/' || $1, 1))`

// Current seeds an empty store and reads the pair.
func (z *TokenStore) Current(ctx context.Context, seed string) (core.ProviderToken, error) {
	if seed != "" {
		if _, err := z.db.q.Exec(ctx, `INSERT INTO provider_tokens (provider, refresh_token) VALUES ($1, $2) ON CONFLICT (provider) DO NOTHING`, z.provider, seed); err != nil {
			return core.ProviderToken{}, fmt.Errorf("seed %s tokens: %w", z.provider, err)
		}
	}
	return readTokens(ctx, z.db.q, z.provider)
}

// Refresh takes the lock, re-reads the pair (another process may have
// refreshed while this one waited) and stores what fetch returns.
func (z *TokenStore) Refresh(ctx context.Context, stale string, fetch func(context.Context, string) (core.ProviderToken, error)) (core.ProviderToken, error) {
	var pair core.ProviderToken
	err := z.db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, tokenLock, z.provider); err != nil {
			return err
		}
		cur, err := readTokens(ctx, tx, z.provider)
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
		return tx.QueryRow(ctx, `UPDATE provider_tokens SET access_token = $2, refresh_token = $3, expires_at = $4, updated_at = now()
			WHERE provider = $1 RETURNING access_token, refresh_token, expires_at, updated_at`, z.provider, next.Access, next.Refresh, next.ExpiresAt).
			Scan(&pair.Access, &pair.Refresh, &pair.ExpiresAt, &pair.UpdatedAt)
	})
	if err != nil {
		return core.ProviderToken{}, fmt.Errorf("refresh %s tokens: %w", z.provider, err)
	}
	return pair, nil
}

// readTokens reads the pair; an empty store is a configuration error.
func readTokens(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, provider string) (core.ProviderToken, error) {
	var t core.ProviderToken
	err := q.QueryRow(ctx, `SELECT access_token, refresh_token, expires_at, updated_at FROM provider_tokens WHERE provider = $1`, provider).
		Scan(&t.Access, &t.Refresh, &t.ExpiresAt, &t.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, core.Errorf(core.ENOTFOUND, "no %s token is stored and none seeds the store", provider)
	}
	if err != nil {
		return t, fmt.Errorf("read %s tokens: %w", provider, err)
	}
	return t, nil
}
