package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// touchEvery spares a write per request: last_seen_at moves at most once
// a minute, so the idle expiry may come up to a minute early.
const touchEvery = time.Minute

// openSession gives the account a new session: a cookie of 32 random
// bytes, of which only the SHA-256 is stored, and a CSRF token of its own.
func openSession(ctx context.Context, tx pgx.Tx, a *core.Account) (*core.Session, error) {
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, err
	}
	session := &core.Session{Token: token, CSRF: csrf, Account: a}
	err = tx.QueryRow(ctx, `
		INSERT INTO sessions (token_hash, account_id, csrf) VALUES ($1, $2, $3)
		RETURNING least(last_seen_at + make_interval(secs => $4), created_at + make_interval(secs => $5))`,
		tokenHash(token), a.ID, csrf, core.SessionIdle.Seconds(), core.SessionMax.Seconds()).Scan(&session.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	return session, nil
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is how a session is found. A plain hash is enough: the token
// is 256 random bits, nothing to guess from.
func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// FindSession checks the expiry by the database's clock, so every gateway
// process agrees on it.
func (s *AccountService) FindSession(ctx context.Context, token string) (*core.Session, error) {
	session := &core.Session{Token: token}
	var err error
	session.Account, err = scanAccount(s.db.q.QueryRow(ctx, `
		WITH live AS (
		    SELECT s.token_hash, s.csrf, s.created_at AS opened_at, s.last_seen_at,
		           a.id, a.login, a.role, coalesce(a.facility_id, 0) AS facility_id, a.created_at
		    FROM sessions s JOIN accounts a ON a.id = s.account_id
		    WHERE s.token_hash = $1 AND a.disabled_at IS NULL
		      AND s.last_seen_at > now() - make_interval(secs => $2)
		      AND s.created_at > now() - make_interval(secs => $3)
		), touched AS (
		    UPDATE sessions s SET last_seen_at = now() FROM live
		    WHERE s.token_hash = live.token_hash AND live.last_seen_at < now() - make_interval(secs => $4)
		    RETURNING s.last_seen_at
		)
		SELECT id, login, role, facility_id, false, created_at, csrf,
		       least(coalesce((SELECT last_seen_at FROM touched), live.last_seen_at) + make_interval(secs => $2),
		             opened_at + make_interval(secs => $3))
		FROM live`,
		tokenHash(token), core.SessionIdle.Seconds(), core.SessionMax.Seconds(), touchEvery.Seconds()),
		&session.CSRF, &session.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "no live session")
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return session, nil
}

func (s *AccountService) LogOut(ctx context.Context, token string) error {
	if _, err := s.db.q.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash(token)); err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	return nil
}
