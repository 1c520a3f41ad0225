package postgres

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// LookupService implements core.LookupService.
type LookupService struct{ db *DB }

// NewLookupService returns the lookup service on db.
func NewLookupService(db *DB) *LookupService { return &LookupService{db} }

var _ core.LookupService = (*LookupService)(nil)

// Lookup is the hottest path of the product, so it costs two round trips:
// one batch reads everything known about the code, and one statement
// writes what the lookup changes: the lookup with its verdict, the
// stamp's first verification and its PIN's use, and who watches the lot.
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
	var st stampFacts
	switch {
	case err != nil:
		p.Verdict = core.VerdictMistyped
	default:
		p.Code, recorded = code, string(code)
		found, err := s.readProvenance(ctx, p, senderHash, &st)
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", code, err)
		}
		if !found {
			p.Verdict = core.VerdictUnknown
			break
		}
		if err := s.checkPIN(ctx, p, st, req.PIN); err != nil {
			return nil, err
		}
		s.judge(p)
	}
	pinTaken, err := s.record(ctx, p, req, recorded, senderHash)
	if err != nil {
		return nil, fmt.Errorf("record lookup of %q: %w", recorded, err)
	}
	if p.PIN == core.PINFirst && !pinTaken {
		// Another buyer's lookup used the PIN a moment before this one.
		p.PIN, p.History.PINReused = core.PINReused, true
		s.judge(p)
	}
	return p, nil
}

// judge gives the verdict: a PIN used now for the first time proves the
// scratch-off was whole, whatever the lookups say.
func (s *LookupService) judge(p *core.Provenance) {
	p.Verdict, p.Reasons = s.db.Suspicion.Verdict(p.State, p.Lot, p.History)
	if p.PIN == core.PINFirst && p.Verdict == core.VerdictSuspicious {
		p.Verdict, p.Reasons = core.VerdictGenuine, nil
	}
}

// stampFacts are what the read learns of the stamp beside its provenance.
type stampFacts struct {
	hasPIN     bool
	pinUsedAt  *time.Time
	pinUsedBy  bool // this sender used the PIN first
	wrongAlone bool // this sender gave a wrong PIN before, within the window
}

// checkPIN reads the PIN given with the lookup against the stamp's. Only
// an activated stamp's PIN is checked (a producer trying one on a stamp
// still in the drawer must not use it up), and each check takes one of
// the hour's tries first.
func (s *LookupService) checkPIN(ctx context.Context, p *core.Provenance, st stampFacts, given string) error {
	if given == "" || p.State != core.StampActivated {
		return nil
	}
	if !st.hasPIN {
		p.PIN = core.PINNone
		return nil
	}
	if !core.PINShaped(given) {
		p.PIN = core.PINWrong // no PIN could match: no try taken, no suspicion
		return nil
	}
	ok, err := s.takeTry(ctx, p.Code)
	if err != nil || !ok {
		p.PIN = core.PINLimited
		return err
	}
	want, err := s.db.pinOf(ctx, p.Code)
	if err != nil {
		return err
	}
	switch {
	case subtle.ConstantTimeCompare([]byte(given), []byte(want)) != 1:
		p.PIN = core.PINWrong
		if !st.wrongAlone {
			p.History.WrongPINs++
		}
	case st.pinUsedAt != nil && st.pinUsedBy:
		p.PIN, p.PINUsedAt = core.PINOwn, st.pinUsedAt
	case st.pinUsedAt != nil:
		p.PIN, p.PINUsedAt, p.History.PINReused = core.PINReused, st.pinUsedAt, true
	default:
		p.PIN = core.PINFirst
	}
	return nil
}

// takeTry takes one of a stamp's PIN tries for this hour, under the
// stamp's row lock, so tries sent at once are taken one after the other;
// false when the hour's are spent.
func (s *LookupService) takeTry(ctx context.Context, code core.Code) (bool, error) {
	tag, err := s.db.q.Exec(ctx, `
		UPDATE stamps SET
		    pin_tries = CASE WHEN pin_tries_since > now() - interval '1 hour' THEN pin_tries + 1 ELSE 1 END,
		    pin_tries_since = CASE WHEN pin_tries_since > now() - interval '1 hour' THEN pin_tries_since ELSE now() END
		WHERE code = $1 AND NOT (pin_tries_since > now() - interval '1 hour' AND pin_tries >= $2)`,
		code, core.PINTriesPerHour)
	if err != nil {
		return false, fmt.Errorf("take a PIN try of %s: %w", code, err)
	}
	return tag.RowsAffected() == 1, nil
}

// record writes the lookup in one statement. The stamp's row is updated
// once, for its first verification and its PIN's first use together; the
// PIN is taken only if no other lookup took it first, which the answer
// says.
func (s *LookupService) record(ctx context.Context, p *core.Provenance, req core.LookupRequest, recorded string, senderHash []byte) (pinTaken bool, err error) {
	// Who looked at a lot is kept beside the lookup, to be told if the lot
	// is ever recalled; a day's precision is enough for a 90-day window,
	// and spares a write per repeated lookup.
	var watched *int64
	if p.Lot != nil && req.Sender.Answerable() {
		watched = &p.Lot.ID
	}
	verified := p.Verdict == core.VerdictGenuine || p.Verdict == core.VerdictSuspicious
	var pin *string
	if p.PIN == core.PINFirst || p.PIN == core.PINOwn || p.PIN == core.PINReused || p.PIN == core.PINWrong {
		v := string(p.PIN)
		pin = &v
	}
	args := []any{recorded, p.Verdict, req.Channel, senderHash, watched, req.Sender, p.PIN == core.PINFirst, verified, pin, productOf(p)}
	if p.PIN != core.PINFirst {
		// Nothing waits for this write's answer: in a message's
		// transaction it goes with the reply's insert.
		return false, s.db.later(ctx, "record lookup", recordLookup, args...)
	}
	err = s.db.q.QueryRow(ctx, recordLookup, args...).Scan(&pinTaken)
	return pinTaken, err
}

// recordLookup writes a lookup, its stamp's first verification and its
// PIN's first use, a flag on a suspicious or unknown code, and who
// watches the lot; it answers whether this lookup took the PIN.
const recordLookup = `
		WITH stamp AS (
			UPDATE stamps SET
			    pin_used_at = CASE WHEN $7 AND pin_used_at IS NULL THEN now() ELSE pin_used_at END,
			    pin_used_channel = CASE WHEN $7 AND pin_used_at IS NULL THEN $3 ELSE pin_used_channel END,
			    pin_used_by = CASE WHEN $7 AND pin_used_at IS NULL THEN $4 ELSE pin_used_by END,
			    first_verified_at = CASE WHEN $8 AND first_verified_at IS NULL THEN now() ELSE first_verified_at END,
			    first_verified_channel = CASE WHEN $8 AND first_verified_at IS NULL THEN $3 ELSE first_verified_channel END,
			    first_verified_by = CASE WHEN $8 AND first_verified_at IS NULL THEN $4 ELSE first_verified_by END
			WHERE code = $1 AND (($7 AND pin_used_at IS NULL) OR ($8 AND first_verified_at IS NULL))
			RETURNING $7 AND pin_used_at = now() AS pin_taken
		), looked AS (
			INSERT INTO lookups (code, verdict, channel, urn_hash, pin, product_id)
			SELECT $1, $2, $3, $4, CASE WHEN $7 AND NOT coalesce((SELECT pin_taken FROM stamp), false) THEN 'reused' ELSE $9 END, $10
		), flag AS (
			INSERT INTO code_flags (code, verdict, lookups, first_at, last_at)
			SELECT $1, $2, 1, now(), now() WHERE $2 IN ('suspicious', 'unknown')
			ON CONFLICT (code, verdict) DO UPDATE SET lookups = code_flags.lookups + 1, last_at = now()
		), watch AS (
			INSERT INTO lot_watchers (lot_id, urn) SELECT $5, $6 WHERE $5::bigint IS NOT NULL
			ON CONFLICT (lot_id, urn) DO UPDATE SET seen_at = now()
			WHERE lot_watchers.seen_at < now() - interval '1 day'
		)
		SELECT coalesce((SELECT pin_taken FROM stamp), false)`

// readProvenance fills the stamp, its facility, lot, product and diary,
// the code's lookup history with this lookup counted, its first
// verification and the reports naming it, in one batch.
func (s *LookupService) readProvenance(ctx context.Context, p *core.Provenance, senderHash []byte, st *stampFacts) (found bool, err error) {
	f := &core.Facility{}
	lot, product := &core.Lot{}, &core.Product{}
	var (
		lotID    *int64
		recently bool
		entries  []*core.DiaryEntry
		first    core.FirstVerification
		firstAt  *time.Time
		firstVia *string
	)
	since := time.Now().Add(-s.db.Suspicion.Window())
	b := &pgx.Batch{}
	b.Queue(`
		SELECT s.serial, s.state, s.activated_at, s.lot_id,
		       f.id, f.name, f.address, f.province, f.phone, f.created_at,
		       s.has_pin, s.pin_used_at, coalesce(s.pin_used_by = $2, false),
		       s.first_verified_at, s.first_verified_channel, coalesce(s.first_verified_by = $2, false)
		FROM stamps s JOIN facilities f ON f.id = s.facility_id
		WHERE s.code = $1`, p.Code, senderHash).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&p.Serial, &p.State, &p.ActivatedAt, &lotID,
			&f.ID, &f.Name, &f.Address, &f.Province, &f.Phone, &f.CreatedAt,
			&st.hasPIN, &st.pinUsedAt, &st.pinUsedBy, &firstAt, &firstVia, &first.Self)
		found = err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	b.Queue(`
		SELECT count(*), coalesce(min(looked_at), now()),
		       count(*) FILTER (WHERE looked_at > $3),
		       count(DISTINCT urn_hash) FILTER (WHERE looked_at > $3),
		       coalesce(bool_or(urn_hash = $2 AND looked_at > $3), false),
		       count(DISTINCT urn_hash) FILTER (WHERE pin = 'wrong' AND looked_at > $3),
		       coalesce(bool_or(urn_hash = $2 AND pin = 'wrong' AND looked_at > $3), false),
		       coalesce(bool_or(pin = 'reused'), false)
		FROM lookups WHERE code = $1`, p.Code, senderHash, since).QueryRow(func(row pgx.Row) error {
		h := &p.History
		return row.Scan(&h.Count, &h.First, &h.Recent, &h.RecentSenders, &recently,
			&h.WrongPINs, &st.wrongAlone, &h.PINReused)
	})
	b.Queue(`
		SELECT count(DISTINCT reporter_hash),
		       coalesce((SELECT place FROM fake_reports WHERE code = $1 AND created_at > $2 ORDER BY created_at DESC, id DESC LIMIT 1), '')
		FROM fake_reports WHERE code = $1 AND created_at > $2`, p.Code, since).QueryRow(func(row pgx.Row) error {
		return row.Scan(&p.History.Reports, &p.History.ReportPlace)
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
	if err := s.db.readBatch(ctx, b, func() bool { return found && p.State != core.StampIssued }); err != nil {
		return false, err
	}
	if !found {
		return false, nil
	}
	p.Facility = f
	p.History.Count++
	p.History.Recent++
	if !recently {
		p.History.RecentSenders++
	}
	if firstAt != nil && firstVia != nil {
		first.At, first.Channel = *firstAt, *firstVia
		p.FirstVerified = &first
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

// productOf is the product a lookup was about, kept on it for the
// dashboard's counts; nil for a code on none.
func productOf(p *core.Provenance) *int64 {
	if p.Product == nil || p.Product.ID == 0 {
		return nil
	}
	return &p.Product.ID
}
