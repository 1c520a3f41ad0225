package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// LogIn checks the password and opens a session.
//
// The limit counts failures in Postgres, so it holds however many gateway
// processes take logins. An attempt takes its try before its password is
// read: under a lock on its login and on its client it counts their
// failures within the window, refuses when either is spent, else writes
// its own failure and commits; only then does it hash, and a right
// password takes its failure back. Attempts at once are so counted one
// after the other, and no lock is held through the hashing. An attempt
// in flight counts as a failure until it is proven right; a process that
// dies in between leaves it counted, which errs on the safe side.
func (s *AccountService) LogIn(ctx context.Context, login, password, client string) (*core.Session, error) {
	// Phones capitalise what is typed first; a login is lower case.
	login = strings.ToLower(strings.TrimSpace(login))
	loginKey, err := s.db.loginKey(ctx, login)
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", login, err)
	}
	clientKey, err := s.db.hashURN(ctx, core.URN("console-client:"+client))
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", login, err)
	}
	try, err := s.takeTry(ctx, login, loginKey, clientKey)
	if err != nil {
		return nil, err
	}
	wrong := core.Errorf(core.EFORBIDDEN, "wrong login or password")
	// A password out of bounds was never set, so it is wrong without
	// hashing; that shows only what the public rules already say.
	if core.CheckPassword(password) != nil {
		return nil, wrong
	}
	encoded := dummyHash
	if try.account != nil {
		encoded = try.hash
	}
	ok, stale, err := checkPassword(encoded, password)
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", login, err)
	}
	// A disabled account answers as an unknown one: its password is no
	// business of anyone now.
	if !ok || try.account == nil || try.account.Disabled {
		return nil, wrong
	}
	rehash := ""
	if stale {
		if rehash, err = hashPassword(password); err != nil {
			return nil, err
		}
	}
	var session *core.Session
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE login_key = $1`, loginKey); err != nil {
			return err
		}
		if rehash != "" {
			// Today's parameters replace the old ones, unless the password
			// changed meanwhile.
			if _, err := tx.Exec(ctx, `UPDATE accounts SET password_hash = $3 WHERE id = $1 AND password_hash = $2`,
				try.account.ID, try.hash, rehash); err != nil {
				return err
			}
		}
		session, err = openSession(ctx, tx, try.account)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", login, err)
	}
	return session, nil
}

// loginTry is an attempt let through the limit: the account its login
// names (nil for none) and that account's password hash.
type loginTry struct {
	account *core.Account
	hash    string
}

// takeTry counts an attempt against its login and its client, or refuses
// it when either has spent its tries.
func (s *AccountService) takeTry(ctx context.Context, login string, loginKey, clientKey []byte) (*loginTry, error) {
	var try *loginTry
	var refusal error // a refusal writes nothing
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		for _, key := range lockOrder(loginKey, clientKey) {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, key); err != nil {
				return err
			}
		}
		var byLogin, byClient int
		err := tx.QueryRow(ctx, `
			SELECT count(*) FILTER (WHERE login_key = $1), count(*) FILTER (WHERE client_key = $2)
			FROM login_failures
			WHERE (login_key = $1 OR client_key = $2) AND failed_at > now() - make_interval(secs => $3)`,
			loginKey, clientKey, core.LoginWindow.Seconds()).Scan(&byLogin, &byClient)
		if err != nil {
			return err
		}
		if byLogin >= core.LoginTries || byClient >= core.LoginTries {
			refusal = core.Refuse(core.EFORBIDDEN, core.ReasonLoginLimited,
				map[string]any{"Minutes": int(core.LoginWindow.Minutes())},
				"%d failed logins within %s", core.LoginTries, core.LoginWindow)
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO login_failures (login_key, client_key) VALUES ($1, $2)`,
			loginKey, clientKey); err != nil {
			return err
		}
		try = &loginTry{}
		a, err := scanAccount(tx.QueryRow(ctx, `SELECT `+accountColumns+`, a.password_hash FROM accounts a WHERE a.login = $1`,
			login), &try.hash)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		default:
			try.account = a
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", login, err)
	}
	if refusal != nil {
		return nil, refusal
	}
	return try, nil
}

// lockOrder turns the two keys into advisory lock ids, always in the
// same order, so two attempts never wait on each other's second lock.
func lockOrder(a, b []byte) []int64 {
	x, y := int64(binary.BigEndian.Uint64(a)), int64(binary.BigEndian.Uint64(b))
	switch {
	case x == y:
		return []int64{x}
	case x > y:
		x, y = y, x
	}
	return []int64{x, y}
}

// loginKey keys a login as senders are keyed: what was typed into the
// login field is sometimes a password.
func (db *DB) loginKey(ctx context.Context, login string) ([]byte, error) {
	return db.hashURN(ctx, core.URN("console-login:"+strings.ToLower(strings.TrimSpace(login))))
}
