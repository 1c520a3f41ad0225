package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// AccountService implements core.AccountService: console accounts, their
// sessions (sessions.go) and the login limit (login.go).
type AccountService struct{ db *DB }

// NewAccountService returns the account service on db.
func NewAccountService(db *DB) *AccountService { return &AccountService{db} }

var _ core.AccountService = (*AccountService)(nil)

func (s *AccountService) CreateAccount(ctx context.Context, a *core.Account, password string) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if err := core.CheckPassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO accounts (login, role, facility_id, password_hash) VALUES ($1, $2, nullif($3::bigint, 0), $4)
			RETURNING id, created_at`, a.Login, a.Role, a.FacilityID, hash).Scan(&a.ID, &a.CreatedAt)
		switch pgErrorCode(err) {
		case "":
		case pgUniqueViolation:
			return core.Errorf(core.ECONFLICT, "login %q is taken", a.Login)
		case pgForeignKeyViolation:
			return core.Errorf(core.ENOTFOUND, "facility %d not found", a.FacilityID)
		default:
			return domainError("account "+a.Login, err)
		}
		a.Disabled = false
		return nil
	})
}

func (s *AccountService) SetPassword(ctx context.Context, login, password string) error {
	if err := core.CheckPassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	loginKey, err := s.db.loginKey(ctx, login)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `UPDATE accounts SET password_hash = $2 WHERE login = $1 RETURNING id`, login, hash).Scan(&id)
		if err != nil {
			return noAccount(login, err)
		}
		// Whoever guessed at the old password has nothing left to guess
		// at, and the owner should not wait out their lockout.
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE login_key = $1`, loginKey); err != nil {
			return fmt.Errorf("set password of %s: %w", login, err)
		}
		return endSessions(ctx, tx, id)
	})
}

func (s *AccountService) DisableAccount(ctx context.Context, login string) error {
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			UPDATE accounts SET disabled_at = coalesce(disabled_at, now()) WHERE login = $1
			RETURNING id`, login).Scan(&id)
		if err != nil {
			return noAccount(login, err)
		}
		return endSessions(ctx, tx, id)
	})
}

// endSessions logs an account out everywhere: a changed password or a
// disabled account must not leave a stolen cookie working.
func endSessions(ctx context.Context, tx pgx.Tx, accountID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE account_id = $1`, accountID); err != nil {
		return fmt.Errorf("end sessions of account %d: %w", accountID, err)
	}
	return nil
}

func noAccount(login string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return core.Errorf(core.ENOTFOUND, "no account %q", login)
	}
	return fmt.Errorf("account %s: %w", login, err)
}

const accountColumns = `a.id, a.login, a.role, coalesce(a.facility_id, 0), a.disabled_at IS NOT NULL, a.created_at`

func scanAccount(row pgx.Row, more ...any) (*core.Account, error) {
	var a core.Account
	err := row.Scan(append([]any{&a.ID, &a.Login, &a.Role, &a.FacilityID, &a.Disabled, &a.CreatedAt}, more...)...)
	return &a, err
}

func (s *AccountService) FindAccounts(ctx context.Context) ([]*core.Account, error) {
	rows, err := s.db.q.Query(ctx, `SELECT `+accountColumns+` FROM accounts a ORDER BY a.login`)
	if err != nil {
		return nil, fmt.Errorf("find accounts: %w", err)
	}
	accounts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Account, error) {
		return scanAccount(row)
	})
	if err != nil {
		return nil, fmt.Errorf("find accounts: %w", err)
	}
	return accounts, nil
}
