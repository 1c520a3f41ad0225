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

func (s *LookupService) Lookup(ctx context.Context, req core.LookupRequest) (*core.Provenance, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	senderHash, err := s.db.hashURN(ctx, req.Sender)
	if err != nil {
		return nil, err
	}
	p := &core.Provenance{Input: req.Input}
	code, parseErr := core.ParseCode(req.Input)
	err = s.db.inTx(ctx, func(tx pgx.Tx) error {
		if parseErr != nil {
			p.Verdict = core.VerdictMistyped
			return recordLookup(ctx, tx, core.NormalizeCodeInput(req.Input), p, req.Channel, senderHash)
		}
		p.Code = code
		lotID, err := findStamp(ctx, tx, p)
		if errors.Is(err, pgx.ErrNoRows) {
			p.Verdict = core.VerdictUnknown
			return recordLookup(ctx, tx, string(code), p, req.Channel, senderHash)
		}
		if err != nil {
			return err
		}
		if p.History, err = lookupHistory(ctx, tx, code, senderHash); err != nil {
			return err
		}
		p.Verdict = s.db.Suspicion.Verdict(p.State, p.History)
		if err := recordLookup(ctx, tx, string(code), p, req.Channel, senderHash); err != nil {
			return err
		}
		if lotID == nil {
			return nil
		}
		return loadLot(ctx, tx, p, *lotID)
	})
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", req.Input, err)
	}
	return p, nil
}

// findStamp fills the stamp and its facility and returns its lot, if any.
func findStamp(ctx context.Context, tx pgx.Tx, p *core.Provenance) (lotID *int64, err error) {
	f := &core.Facility{}
	err = tx.QueryRow(ctx, `
		SELECT s.serial, s.state, s.activated_at, s.lot_id,
		       f.id, f.name, f.address, f.province, f.phone, f.created_at
		FROM stamps s JOIN facilities f ON f.id = s.facility_id
		WHERE s.code = $1`, p.Code).Scan(&p.Serial, &p.State, &p.ActivatedAt, &lotID,
		&f.ID, &f.Name, &f.Address, &f.Province, &f.Phone, &f.CreatedAt)
	p.Facility = f
	return lotID, err
}

// lookupHistory counts the code's earlier lookups and adds this one.
func lookupHistory(ctx context.Context, tx pgx.Tx, code core.Code, senderHash []byte) (core.LookupHistory, error) {
	var (
		h    core.LookupHistory
		seen bool
	)
	err := tx.QueryRow(ctx, `
		SELECT count(*), count(DISTINCT urn_hash), coalesce(bool_or(urn_hash = $2), false),
		       coalesce(min(looked_at), now())
		FROM lookups WHERE code = $1`, code, senderHash).Scan(&h.Count, &h.Senders, &seen, &h.First)
	if err != nil {
		return h, fmt.Errorf("lookup history: %w", err)
	}
	h.Count++
	if !seen {
		h.Senders++
	}
	return h, nil
}

func recordLookup(ctx context.Context, tx pgx.Tx, code string, p *core.Provenance, channel string, senderHash []byte) error {
	_, err := tx.Exec(ctx, `INSERT INTO lookups (code, verdict, channel, urn_hash) VALUES ($1, $2, $3, $4)`,
		code, p.Verdict, channel, senderHash)
	if err != nil {
		return fmt.Errorf("record lookup: %w", err)
	}
	return nil
}

// loadLot fills the lot, its product and its diary summary.
func loadLot(ctx context.Context, tx pgx.Tx, p *core.Provenance, lotID int64) error {
	p.Lot, p.Product = &core.Lot{}, &core.Product{}
	targets := append(lotScanTargets(p.Lot), productScanTargets(p.Product)...)
	err := tx.QueryRow(ctx, `
		SELECT `+lotColumns+`, `+productColumns+`
		FROM lots l JOIN products p ON p.id = l.product_id
		WHERE l.id = $1`, lotID).Scan(targets...)
	if err != nil {
		return fmt.Errorf("load lot %d: %w", lotID, err)
	}
	entries, err := findEntries(ctx, tx, lotID)
	if err != nil {
		return err
	}
	p.Diary = core.SummarizeDiary(entries)
	return nil
}
