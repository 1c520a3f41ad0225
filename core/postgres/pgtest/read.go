package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tracegate/core"
)

// The readers below are for what tests must see and no core service
// lists: every message, every piece of feedback, every lookup. Tests read
// state through them, or through the services, never with SQL of their
// own, so that a change of schema is a change here.

// Messages returns every message, in and out, oldest first.
func Messages(t testing.TB, pool *pgxpool.Pool) []*core.Message {
	t.Helper()
	return collect(t, pool, func(row pgx.CollectableRow) (*core.Message, error) {
		var m core.Message
		err := row.Scan(&m.ID, &m.Direction, &m.Kind, &m.Channel, &m.URN, &m.Text, &m.Meta, &m.ProviderID,
			&m.InReplyTo, &m.Status, &m.Segments, &m.Error, &m.Priority, &m.Attempts, &m.SlotAt, &m.CreatedAt, &m.UpdatedAt)
		return &m, err
	}, `SELECT id, direction, kind, channel, urn, text, meta, coalesce(provider_id, ''), in_reply_to, status,
		coalesce(segments, 0), coalesce(error, ''), priority, attempts, slot_at, created_at, updated_at
		FROM messages ORDER BY id`)
}

// Feedback returns every piece of feedback, oldest first, with the
// sender's URN that producers never see.
func Feedback(t testing.TB, pool *pgxpool.Pool) []*core.Feedback {
	t.Helper()
	return collect(t, pool, func(row pgx.CollectableRow) (*core.Feedback, error) {
		var f core.Feedback
		err := row.Scan(&f.ID, &f.FacilityID, &f.ProductID, &f.Code, &f.Channel, &f.URN, &f.Body, &f.CreatedAt)
		return &f, err
	}, `SELECT id, facility_id, product_id, code, channel, urn, body, created_at FROM feedback ORDER BY id`)
}

// Lookup is one recorded lookup of a code.
type Lookup struct {
	Code    string // as looked up: unknown and mistyped codes too
	Verdict core.Verdict
	Channel string
	// Sender is the hash of the sender's URN, as a string to compare and
	// count by: lookups keep no URN.
	Sender   string
	LookedAt time.Time
}

// Lookups returns every recorded lookup, oldest first.
func Lookups(t testing.TB, pool *pgxpool.Pool) []Lookup {
	t.Helper()
	return collect(t, pool, func(row pgx.CollectableRow) (Lookup, error) {
		var l Lookup
		var hash []byte
		err := row.Scan(&l.Code, &l.Verdict, &l.Channel, &hash, &l.LookedAt)
		l.Sender = string(hash)
		return l, err
	}, `SELECT code, verdict, channel, urn_hash, looked_at FROM lookups ORDER BY id`)
}

func collect[T any](t testing.TB, pool *pgxpool.Pool, scan pgx.RowToFunc[T], sql string) []T {
	t.Helper()
	rows, err := pool.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return out
}
