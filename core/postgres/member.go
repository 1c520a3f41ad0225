package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// MemberService implements core.MemberService.
type MemberService struct{ db *DB }

// NewMemberService returns the member service on db.
func NewMemberService(db *DB) *MemberService { return &MemberService{db} }

var _ core.MemberService = (*MemberService)(nil)

func (s *MemberService) CreateMember(ctx context.Context, m *core.Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO members (facility_id, name, lang) VALUES ($1, $2, $3)
			RETURNING id, created_at`, m.FacilityID, m.Name, m.Lang).Scan(&m.ID, &m.CreatedAt)
		if pgErrorCode(err) == pgForeignKeyViolation {
			return core.Errorf(core.ENOTFOUND, "facility %d not found", m.FacilityID)
		}
		if err != nil {
			return domainError("member", err)
		}
		for _, urn := range m.URNs {
			_, err := tx.Exec(ctx, `INSERT INTO member_urns (urn, member_id) VALUES ($1, $2)`, urn, m.ID)
			if pgErrorCode(err) == pgUniqueViolation {
				return core.Errorf(core.ECONFLICT, "%s already belongs to a member", urn.Path())
			}
			if err != nil {
				return domainError("member "+string(urn), err)
			}
		}
		return nil
	})
}

// memberColumns lists a member with its URNs, the preferred first: the
// one the member last wrote from, else the one registered first. Notices
// go to it.
const memberColumns = `m.id, m.facility_id, m.name, m.lang, m.created_at,
	array(SELECT u.urn FROM member_urns u WHERE u.member_id = m.id
	      ORDER BY (SELECT max(id) FROM messages WHERE urn = u.urn AND direction = 'in') DESC NULLS LAST,
	               u.created_at, u.urn)`

func scanMember(row pgx.Row) (*core.Member, error) {
	var m core.Member
	err := row.Scan(&m.ID, &m.FacilityID, &m.Name, &m.Lang, &m.CreatedAt, &m.URNs)
	return &m, err
}

const selectMemberByURN = `
	SELECT ` + memberColumns + ` FROM member_urns u JOIN members m ON m.id = u.member_id
	WHERE u.urn = $1`

func (s *MemberService) FindMemberByURN(ctx context.Context, urn core.URN) (*core.Member, error) {
	m, err := scanMember(s.db.q.QueryRow(ctx, selectMemberByURN, urn))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "no member holds %s", urn)
	}
	if err != nil {
		return nil, fmt.Errorf("find member by %s: %w", urn, err)
	}
	return m, nil
}

func (s *MemberService) FindMembers(ctx context.Context, facilityID int64) ([]*core.Member, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT `+memberColumns+` FROM members m WHERE m.facility_id = $1 AND m.removed_at IS NULL ORDER BY m.id`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("find members of facility %d: %w", facilityID, err)
	}
	members, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.Member, error) {
		return scanMember(row)
	})
	if err != nil {
		return nil, fmt.Errorf("find members of facility %d: %w", facilityID, err)
	}
	return members, nil
}

func (s *MemberService) FindMemberByID(ctx context.Context, id int64) (*core.Member, error) {
	m, err := scanMember(s.db.q.QueryRow(ctx, `
		SELECT `+memberColumns+` FROM members m WHERE m.id = $1 AND m.removed_at IS NULL`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "member %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find member %d: %w", id, err)
	}
	return m, nil
}

func (s *MemberService) RemoveMember(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE members SET removed_at = now() WHERE id = $1 AND removed_at IS NULL`, id)
		if err != nil {
			return fmt.Errorf("remove member %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return core.Errorf(core.ENOTFOUND, "member %d not found", id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM member_urns WHERE member_id = $1`, id); err != nil {
			return fmt.Errorf("unlink member %d: %w", id, err)
		}
		_, err = tx.Exec(ctx, `DELETE FROM link_codes WHERE member_id = $1`, id)
		return err
	})
}

func (s *MemberService) AddURN(ctx context.Context, memberID int64, urn core.URN) error {
	return s.db.inTx(ctx, func(tx pgx.Tx) error { return addURN(ctx, tx, memberID, urn) })
}

// addURN links urn to a member unless another member holds it.
func addURN(ctx context.Context, tx pgx.Tx, memberID int64, urn core.URN) error {
	var owner int64
	err := tx.QueryRow(ctx, `
		INSERT INTO member_urns (urn, member_id) VALUES ($1, $2)
		ON CONFLICT (urn) DO UPDATE SET urn = excluded.urn
		RETURNING member_id`, urn, memberID).Scan(&owner)
	switch {
	case pgErrorCode(err) == pgForeignKeyViolation:
		return core.Errorf(core.ENOTFOUND, "member %d not found", memberID)
	case err != nil:
		return domainError("member urn", err)
	case owner != memberID:
		return core.Refuse(core.ECONFLICT, core.ReasonLinkTaken, nil, "%s already belongs to another member", urn)
	}
	return nil
}
