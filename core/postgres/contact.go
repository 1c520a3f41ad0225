package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// ContactService implements core.ContactService.
type ContactService struct{ db *DB }

// NewContactService returns the contact service on db.
func NewContactService(db *DB) *ContactService { return &ContactService{db} }

var _ core.ContactService = (*ContactService)(nil)

func (s *ContactService) FindContact(ctx context.Context, urn core.URN) (*core.Contact, error) {
	c, err := scanContact(s.db.q.QueryRow(ctx, selectContact, urn), urn)
	if err != nil {
		return nil, fmt.Errorf("find contact %s: %w", urn, err)
	}
	return c, nil
}

const selectContact = `
	SELECT lang, stopped_at IS NOT NULL, CASE WHEN pending_until > now() THEN pending END
	FROM contacts WHERE urn = $1`

// scanContact reads selectContact's row; a URN with none has a contact
// that chose nothing yet.
func scanContact(row pgx.Row, urn core.URN) (*core.Contact, error) {
	c := &core.Contact{URN: urn}
	var lang *string
	err := row.Scan(&lang, &c.Stopped, &c.Pending)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	if lang != nil {
		c.Lang = core.Lang(*lang)
	}
	return c, nil
}

func (s *ContactService) SetLang(ctx context.Context, urn core.URN, lang core.Lang) error {
	if !lang.Valid() {
		return core.Errorf(core.EINVALID, "language %q is not vi or en", lang)
	}
	return s.upsert(ctx, urn, `
		INSERT INTO contacts (urn, lang) VALUES ($1, $2)
		ON CONFLICT (urn) DO UPDATE SET lang = excluded.lang, updated_at = now()`, lang)
}

func (s *ContactService) SetStopped(ctx context.Context, urn core.URN, stopped bool) error {
	return s.upsert(ctx, urn, `
		INSERT INTO contacts (urn, stopped_at) VALUES ($1, CASE WHEN $2::bool THEN now() END)
		ON CONFLICT (urn) DO UPDATE SET
			stopped_at = CASE WHEN $2::bool THEN coalesce(contacts.stopped_at, now()) END,
			updated_at = now()`, stopped)
}

func (s *ContactService) SetPending(ctx context.Context, urn core.URN, pending json.RawMessage, until time.Time) error {
	var untilArg *time.Time
	if pending != nil {
		untilArg = &until
	}
	return s.upsert(ctx, urn, `
		INSERT INTO contacts (urn, pending, pending_until) VALUES ($1, $2, $3)
		ON CONFLICT (urn) DO UPDATE SET
			pending = excluded.pending, pending_until = excluded.pending_until, updated_at = now()`,
		[]byte(pending), untilArg)
}

// upsert runs one INSERT ... ON CONFLICT, so the first message of a new
// contact on two processes at once cannot fail either.
func (s *ContactService) upsert(ctx context.Context, urn core.URN, sql string, args ...any) error {
	if len(urn) < 3 || len(urn) > 200 {
		return core.Errorf(core.EINVALID, "urn %q is not valid", urn)
	}
	if _, err := s.db.q.Exec(ctx, sql, append([]any{urn}, args...)...); err != nil {
		return fmt.Errorf("update contact %s: %w", urn, err)
	}
	return nil
}
