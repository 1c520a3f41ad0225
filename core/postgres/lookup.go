package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// LookupService implements core.LookupService.
type LookupService struct{ db *DB }

// NewLookupService returns the lookup service on db.
func NewLookupService(db *DB) *LookupService { return &LookupService{db} }

var _ core.LookupService = (*LookupService)(nil)

// Lookup is the hottest path of the product, so it costs two round trips:
// one batch reads everything known about the code, and the one write,
// recording the lookup with its verdict, is its own transaction.
func (s *LookupService) Lookup(ctx context.Context, req core.LookupRequest) (*core.Provenance, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	senderHash, err := s.db.hashURN(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	p := &core.Provenance{Input: req.Input}
	recorded := core.NormalizeCodeInput(req.Input)
	code, err := core.ParseCode(req.Input)
	switch {
	case err != nil:
		p.Verdict = core.VerdictMistyped
	default:
		p.Code, recorded = code, string(code)
		found, err := s.readProvenance(ctx, p, senderHash)
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", code, err)
		}
		if !found {
			p.Verdict = core.VerdictUnknown
			break
		}
		p.Verdict = s.db.Suspicion.Verdict(p.State, p.Lot, p.History)
	}
	// Who looked at a lot is kept beside the lookup, in the same statement,
	// to be told if the lot is ever recalled; a day's precision is enough
	// for a 90-day window, and spares a write per repeated lookup.
	var watched *int64
	if p.Lot != nil && req.Sender.Answerable() {
		watched = &p.Lot.ID
	}
	_, err = s.db.q.Exec(ctx, `
		WITH looked AS (
			INSERT INTO lookups (code, verdict, channel, urn_hash) VALUES ($1, $2, $3, $4)
		)
		INSERT INTO lot_watchers (lot_id, urn) SELECT $5, $6 WHERE $5::bigint IS NOT NULL
		ON CONFLICT (lot_id, urn) DO UPDATE SET seen_at = now()
		WHERE lot_watchers.seen_at < now() - interval '1 day'`,
		recorded, p.Verdict, req.Channel, senderHash, watched, req.Sender)
	if err != nil {
		return nil, fmt.Errorf("record lookup of %q: %w", recorded, err)
	}
	return p, nil
}

// readProvenance fills the stamp, its facility, lot, product and diary and
// the code's lookup history with this lookup counted, in one batch.
func (s *LookupService) readProvenance(ctx context.Context, p *core.Provenance, senderHash []byte) (found bool, err error) {
	f := &core.Facility{}
	lot, product := &core.Lot{}, &core.Product{}
	var (
		lotID   *int64
		seen    bool
		entries []*core.DiaryEntry
	)
	b := &pgx.Batch{}
	b.Queue(`
		SELECT s.serial, s.state, s.activated_at, s.lot_id,
		       f.id, f.name, f.address, f.province, f.phone, f.created_at
		FROM stamps s JOIN facilities f ON f.id = s.facility_id
		WHERE s.code = $1`, p.Code).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&p.Serial, &p.State, &p.ActivatedAt, &lotID,
			&f.ID, &f.Name, &f.Address, &f.Province, &f.Phone, &f.CreatedAt)
		found = err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	b.Queue(`
		SELECT count(*), count(DISTINCT urn_hash), coalesce(bool_or(urn_hash = $2), false),
		       coalesce(min(looked_at), now())
		FROM lookups WHERE code = $1`, p.Code, senderHash).QueryRow(func(row pgx.Row) error {
		return row.Scan(&p.History.Count, &p.History.Senders, &seen, &p.History.First)
	})
	b.Queue(`
		SELECT `+lotColumns+`, `+productColumns+`
		FROM stamps s JOIN lots l ON l.id = s.lot_id JOIN products p ON p.id = l.product_id
		WHERE s.code = $1`, p.Code).QueryRow(func(row pgx.Row) error {
		err := row.Scan(append(lotScanTargets(lot), productScanTargets(product)...)...)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	b.Queue(`
		SELECT `+entryColumns+`
		FROM stamps s JOIN lots l ON l.id = s.lot_id
		JOIN diary_entries e ON e.lot_id = l.id AND e.undone_at IS NULL
		WHERE s.code = $1
		ORDER BY e.happened_at, e.id`, p.Code).Query(func(rows pgx.Rows) error {
		var err error
		entries, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.DiaryEntry, error) {
			return scanEntry(row)
		})
		return err
	})
	queueInputs(b, p)
	if err := s.db.q.SendBatch(ctx, b).Close(); err != nil {
		return false, err
	}
	if !found {
		return false, nil
	}
	p.Facility = f
	p.History.Count++
	if !seen {
		p.History.Senders++
	}
	if lotID != nil {
		p.Lot, p.Product, p.Diary = lot, product, core.SummarizeDiary(entries)
	}
	return true, nil
}

// queueInputs reads what went into the stamp's lot, one step back, in the
// lookup's batch.
func queueInputs(b *pgx.Batch, p *core.Provenance) {
	b.Queue(`
		SELECT `+inputColumns+` FROM stamps s JOIN lot_inputs i ON i.lot_id = s.lot_id `+inputJoins+`
		WHERE s.code = $1 ORDER BY i.created_at, i.id`, p.Code).Query(func(rows pgx.Rows) error {
		var err error
		p.Inputs, err = pgx.CollectRows(rows, scanInput)
		return err
	})
}
