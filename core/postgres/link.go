package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// codeTries bounds the draws of a code that is not already live; with a
// handful live among 900,000 the second draw is already rare.
const codeTries = 5

func (s *MemberService) IssueLinkCode(ctx context.Context, memberID int64) (core.LinkCode, error) {
	var issued core.LinkCode
	keys, err := s.db.keys(ctx) // before the transaction holds a connection
	if err != nil {
		return issued, err
	}
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		// Expired codes stay until housekeeping, so that one sent late is
		// told it expired, not that it is wrong.
		if _, err := tx.Exec(ctx, `DELETE FROM link_codes WHERE member_id = $1`, memberID); err != nil {
			return err
		}
		for range codeTries {
			code, err := core.NewLinkCode()
			if err != nil {
				return err
			}
			hash := keys.hashLinkCode(code)
			err = tx.QueryRow(ctx, `
				INSERT INTO link_codes (code_hash, member_id, expires_at)
				VALUES ($1, $2, now() + make_interval(secs => $3))
				ON CONFLICT (code_hash) DO NOTHING
				RETURNING expires_at`, hash, memberID, core.LinkCodeTTL.Seconds()).Scan(&issued.ExpiresAt)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				continue // another member's live code
			case pgErrorCode(err) == pgForeignKeyViolation:
				return core.Errorf(core.ENOTFOUND, "member %d not found", memberID)
			case err != nil:
				return err
			}
			issued.Code = code
			return nil
		}
		return fmt.Errorf("no free code in %d draws", codeTries)
	})
	if err != nil {
		return core.LinkCode{}, fmt.Errorf("issue link code to member %d: %w", memberID, err)
	}
	return issued, nil
}

func (s *MemberService) LinkByCode(ctx context.Context, urn core.URN, code string) (*core.Member, error) {
	var member *core.Member
	var refusal error // a wrong code is refused, but its count commits
	// The key is loaded before the transaction holds a connection.
	keys, err := s.db.keys(ctx)
	if err != nil {
		return nil, err
	}
	hash := keys.hashLinkCode(code)
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		// The account's row is locked first, so two guesses at once are
		// counted one after the other.
		var lockedUntil *time.Time
		err := tx.QueryRow(ctx, `
			INSERT INTO link_attempts AS a (urn) VALUES ($1)
			ON CONFLICT (urn) DO UPDATE SET urn = a.urn
			RETURNING CASE WHEN a.locked_until > now() THEN a.locked_until END`, urn).Scan(&lockedUntil)
		if err != nil {
			return err
		}
		if lockedUntil != nil {
			refusal = lockedOut(urn, *lockedUntil)
			return nil
		}
		var memberID int64
		var live bool
		err = tx.QueryRow(ctx, `SELECT member_id, expires_at > now() FROM link_codes WHERE code_hash = $1 FOR UPDATE`,
			hash).Scan(&memberID, &live)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			left, until, err := countWrong(ctx, tx, urn)
			if until != nil {
				refusal = lockedOut(urn, *until)
			} else {
				refusal = core.Refuse(core.EINVALID, core.ReasonLinkCodeWrong, map[string]any{"Left": left}, "wrong link code")
			}
			return err
		case err != nil:
			return err
		case !live:
			// A real code, sent too late: said so, and not counted, since
			// it is no guess.
			refusal = core.Refuse(core.EINVALID, core.ReasonLinkCodeExpired, nil, "link code expired")
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM link_codes WHERE code_hash = $1`, hash); err != nil {
			return err
		}
		if err := addURN(ctx, tx, memberID, urn); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE link_attempts SET failures = 0 WHERE urn = $1`, urn); err != nil {
			return err
		}
		member, err = scanMember(tx.QueryRow(ctx, `SELECT `+memberColumns+` FROM members m WHERE m.id = $1`, memberID))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("link %s by code: %w", urn, err)
	}
	return member, refusal
}

// countWrong counts a wrong code against the account and says how many
// it may still send; LinkTries of them within LinkLockout lock it out
// until the time returned.
func countWrong(ctx context.Context, tx pgx.Tx, urn core.URN) (left int, lockedUntil *time.Time, err error) {
	var failures int
	err = tx.QueryRow(ctx, `
		UPDATE link_attempts SET
		    failures = CASE WHEN failed_at > now() - make_interval(secs => $2) THEN failures + 1 ELSE 1 END,
		    failed_at = now()
		WHERE urn = $1
		RETURNING failures`, urn, core.LinkLockout.Seconds()).Scan(&failures)
	if err != nil || failures < core.LinkTries {
		return core.LinkTries - failures, nil, err
	}
	err = tx.QueryRow(ctx, `
		UPDATE link_attempts SET failures = 0, locked_until = now() + make_interval(secs => $2)
		WHERE urn = $1 RETURNING locked_until`, urn, core.LinkLockout.Seconds()).Scan(&lockedUntil)
	return 0, lockedUntil, err
}

func lockedOut(urn core.URN, until time.Time) error {
	return core.Refuse(core.EFORBIDDEN, core.ReasonLinkLocked, map[string]any{"Until": until},
		"%s sent %d wrong link codes", urn, core.LinkTries)
}

// hashLinkCode keys a code as senders are keyed: a copy of the table
// gives no code away.
func (k secrets) hashLinkCode(code string) []byte { return k.hashURN(core.URN("link:" + code)) }
