package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// AuditService implements core.AuditService. The table refuses UPDATE,
// DELETE and TRUNCATE by trigger (migration 00015), whoever asks.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db} }

var _ core.AuditService = (*AuditService)(nil)

// Audit pages: a page a person reads, and no more than a screenful of
// screenfuls.
const (
	auditPage    = 50
	auditMaxPage = 500
)

// Record writes through the DB it was made on, so a service bound to a
// transaction (DB.InTx) logs the change in that transaction: the change
// and its entry commit together or not at all. A change made outside the
// console names no account (0) and says who made it in Login.
func (s *AuditService) Record(ctx context.Context, e *core.AuditEntry) error {
	switch {
	case e.Action == "" || e.Object == "":
		return core.Errorf(core.EINVALID, "an audit entry needs its action and object")
	case e.AccountID == 0 && e.Login == "":
		return core.Errorf(core.EINVALID, "an audit entry needs who made the change")
	case e.Before != nil && !json.Valid(e.Before), e.After != nil && !json.Valid(e.After):
		return core.Errorf(core.EINVALID, "an audit entry's before and after are JSON")
	}
	err := s.db.q.QueryRow(ctx, `
		INSERT INTO audit_log (account_id, login, action, object, object_id, facility_id, before, after)
		VALUES (nullif($1::bigint, 0), coalesce(nullif($2, ''), (SELECT login FROM accounts WHERE id = $1::bigint)),
		        $3, $4, $5, nullif($6::bigint, 0), $7, $8)
		RETURNING id, at, login`,
		e.AccountID, e.Login, e.Action, e.Object, e.ObjectID, e.FacilityID, jsonOrNull(e.Before), jsonOrNull(e.After),
	).Scan(&e.ID, &e.At, &e.Login)
	// An unknown account leaves login null before its foreign key is
	// even checked.
	if pgErrorCode(err) == pgNotNullViolation || pgErrorCode(err) == pgForeignKeyViolation {
		return core.Errorf(core.ENOTFOUND, "account %d not found", e.AccountID)
	}
	if err != nil {
		return domainError("audit entry "+e.Action, err)
	}
	return nil
}

// jsonOrNull keeps a nil object NULL rather than a JSON null.
func jsonOrNull(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func (s *AuditService) FindAudit(ctx context.Context, facilityID, before int64, limit int) ([]*core.AuditEntry, error) {
	if limit <= 0 {
		limit = auditPage
	}
	limit = min(limit, auditMaxPage)
	if before <= 0 {
		before = 1<<63 - 1
	}
	// Two statements rather than one with "$1 = 0 OR": a prepared
	// statement's generic plan could then use neither index.
	query := `SELECT ` + auditColumns + ` FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2`
	args := []any{before, limit}
	if facilityID > 0 {
		query = `SELECT ` + auditColumns + ` FROM audit_log WHERE facility_id = $3 AND id < $1 ORDER BY id DESC LIMIT $2`
		args = append(args, facilityID)
	}
	rows, err := s.db.q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find audit of facility %d: %w", facilityID, err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.AuditEntry, error) {
		var e core.AuditEntry
		err := row.Scan(&e.ID, &e.At, &e.AccountID, &e.Login, &e.Action, &e.Object, &e.ObjectID, &e.FacilityID, &e.Before, &e.After)
		return &e, err
	})
	if err != nil {
		return nil, fmt.Errorf("find audit of facility %d: %w", facilityID, err)
	}
	return entries, nil
}

const auditColumns = `id, at, coalesce(account_id, 0), login, action, object, object_id, coalesce(facility_id, 0), before, after`
