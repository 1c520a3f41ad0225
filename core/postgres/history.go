package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// HistoryService reads lots' events for export, in two passes: one query
// picks the events (kind, time, lot, row) in time order, then one query per
// kind fills in what those events need.
type HistoryService struct {
	db *DB
}

func NewHistoryService(db *DB) *HistoryService { return &HistoryService{db} }

var _ core.HistoryService = (*HistoryService)(nil)

func (s *HistoryService) LotHistory(ctx context.Context, lotID int64) ([]*core.LotEvent, error) {
	var events []*core.LotEvent
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM lots WHERE id = $1`, lotID).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "no lot %d", lotID)
		}
		if err != nil {
			return err
		}
		// A lot's events are few once stamps are grouped: no limit.
		events, err = findEvents(ctx, tx, core.EventFilter{LotID: lotID})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("history of lot %d: %w", lotID, err)
	}
	return events, nil
}

func (s *HistoryService) FindEvents(ctx context.Context, f core.EventFilter) ([]*core.LotEvent, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var events []*core.LotEvent
	err := s.db.inTx(ctx, func(tx pgx.Tx) (err error) {
		events, err = findEvents(ctx, tx, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return events, nil
}

// eventKey is an event as the first pass finds it: ref is the row of a
// diary entry, input or shipment, 0 for the others.
type eventKey struct {
	kind  core.EventKind
	at    time.Time
	lotID int64
	ref   int64
	step  core.Step
}

// eventKeysSQL lists every event of the selected lots. Stamps keep their lot
// and activation time when voided, so an activation stays in the history;
// stamps changed by one call share its transaction's now(), which is what
// groups them.
const eventKeysSQL = `
	WITH picked AS (
		SELECT id FROM lots WHERE ($1::bigint = 0 OR id = $1) AND ($2::bigint = 0 OR facility_id = $2)
	)
	SELECT kind, at, lot_id, ref, step FROM (
		SELECT 'activation' AS kind, activated_at AS at, lot_id, 0::bigint AS ref, '' AS step
		FROM stamps WHERE lot_id IN (SELECT id FROM picked) AND activated_at IS NOT NULL
		GROUP BY lot_id, activated_at
		UNION ALL
		SELECT 'void', voided_at, lot_id, 0, ''
		FROM stamps WHERE lot_id IN (SELECT id FROM picked) AND state = 'void'
		GROUP BY lot_id, voided_at
		UNION ALL
		SELECT 'diary', happened_at, lot_id, id, step
		FROM diary_entries WHERE lot_id IN (SELECT id FROM picked) AND undone_at IS NULL
		UNION ALL
		SELECT 'input', created_at, lot_id, id, '' FROM lot_inputs WHERE lot_id IN (SELECT id FROM picked)
		UNION ALL
		SELECT 'shipment', shipped_at, lot_id, id, '' FROM lot_shipments WHERE lot_id IN (SELECT id FROM picked)
		UNION ALL
		SELECT 'recall', recalled_at, id, 0, '' FROM lots WHERE id IN (SELECT id FROM picked) AND recalled_at IS NOT NULL
	) ev
	WHERE ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
	  AND (($5::text[] IS NULL AND $6::text[] IS NULL)
	       OR kind = ANY($5) OR (kind = 'diary' AND step = ANY($6)))
	ORDER BY at, lot_id, kind, ref
	LIMIT $7`

func findEvents(ctx context.Context, tx pgx.Tx, f core.EventFilter) ([]*core.LotEvent, error) {
	var kinds, steps []string
	for _, k := range f.Kinds {
		kinds = append(kinds, string(k))
	}
	for _, st := range f.Steps {
		steps = append(steps, string(st))
	}
	var limit *int
	if f.Limit > 0 {
		limit = &f.Limit
	}
	rows, err := tx.Query(ctx, eventKeysSQL, f.LotID, f.FacilityID, nullTime(f.From), nullTime(f.To),
		kinds, steps, limit)
	if err != nil {
		return nil, fmt.Errorf("pick events: %w", err)
	}
	keys, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (eventKey, error) {
		var k eventKey
		return k, row.Scan(&k.kind, &k.at, &k.lotID, &k.ref, &k.step)
	})
	if err != nil {
		return nil, fmt.Errorf("pick events: %w", err)
	}
	return fillEvents(ctx, tx, keys)
}
