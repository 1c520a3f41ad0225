package postgres

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// StampService implements core.StampService.
type StampService struct{ db *DB }

// NewStampService returns the stamp service on db.
func NewStampService(db *DB) *StampService { return &StampService{db} }

var _ core.StampService = (*StampService)(nil)

// maxCodeRounds bounds the redraws for codes that collided with existing
// ones. A round leaves a serial without a code with odds of stamps/2^40, so
// even a country's hundreds of millions need one redraw at most.
const maxCodeRounds = 8

func (s *StampService) IssueBatch(ctx context.Context, facilityID int64, count int, pin bool) (*core.StampBatch, error) {
	if count < 1 || count > core.MaxBatch {
		return nil, core.Errorf(core.EINVALID, "count must be between 1 and %d", core.MaxBatch)
	}
	b := &core.StampBatch{FacilityID: facilityID, Count: count, PIN: pin}
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		// The counter row serialises batches of one facility, so serials
		// continue without gaps or overlaps.
		err := tx.QueryRow(ctx, `
			UPDATE facilities SET last_serial = last_serial + $2 WHERE id = $1
			RETURNING last_serial`, facilityID, count).Scan(&b.LastSerial)
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "facility %d not found", facilityID)
		}
		if err != nil {
			return err
		}
		b.FirstSerial = b.LastSerial - int64(count) + 1
		if err := tx.QueryRow(ctx, `
			INSERT INTO stamp_batches (facility_id, first_serial, count, pin) VALUES ($1, $2, $3, $4)
			RETURNING id, created_at`, facilityID, b.FirstSerial, count, pin).Scan(&b.ID, &b.CreatedAt); err != nil {
			return err
		}
		return insertStamps(ctx, tx, b)
	})
	if err != nil {
		return nil, fmt.Errorf("issue %d stamps for facility %d: %w", count, facilityID, err)
	}
	return b, nil
}

// insertStamps gives every serial of the batch a fresh random code. Codes
// are copied into a staging table and moved with ON CONFLICT DO NOTHING, so
// the rare code that is already taken is redrawn instead of failing the
// whole batch.
func insertStamps(ctx context.Context, tx pgx.Tx, b *core.StampBatch) error {
	if _, err := tx.Exec(ctx, `
		CREATE TEMP TABLE stamp_codes (serial bigint NOT NULL, code text NOT NULL)
		ON COMMIT DROP`); err != nil {
		return err
	}
	pending := []int64{}
	for serial := b.FirstSerial; serial <= b.LastSerial; serial++ {
		pending = append(pending, serial)
	}
	random := bufio.NewReaderSize(rand.Reader, 64<<10)
	for round := 0; len(pending) > 0; round++ {
		if round == maxCodeRounds {
			return fmt.Errorf("%d serials still without a unique code after %d rounds", len(pending), round)
		}
		i := 0
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"stamp_codes"}, []string{"serial", "code"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == len(pending) {
					return nil, nil
				}
				code, err := core.NewCode(random)
				if err != nil {
					return nil, err
				}
				i++
				return []any{pending[i-1], string(code)}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy codes: %w", err)
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO stamps (facility_id, serial, code, batch_id, has_pin)
			SELECT $1, serial, code, $2, $3 FROM stamp_codes
			ON CONFLICT (code) DO NOTHING`, b.FacilityID, b.ID, b.PIN)
		if err != nil {
			return fmt.Errorf("move codes: %w", err)
		}
		if tag.RowsAffected() == int64(len(pending)) {
			return nil
		}
		if pending, err = serialsWithoutStamp(ctx, tx, b.FacilityID); err != nil {
			return err
		}
	}
	return nil
}

// serialsWithoutStamp lists the staged serials whose code collided, and
// empties the staging table for the next round.
func serialsWithoutStamp(ctx context.Context, tx pgx.Tx, facilityID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.serial FROM stamp_codes c
		WHERE NOT EXISTS (SELECT 1 FROM stamps s WHERE s.facility_id = $1 AND s.serial = c.serial)
		ORDER BY c.serial`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("find collided codes: %w", err)
	}
	serials, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("find collided codes: %w", err)
	}
	if _, err := tx.Exec(ctx, `TRUNCATE stamp_codes`); err != nil {
		return nil, err
	}
	return serials, nil
}

func (s *StampService) FindBatchByID(ctx context.Context, id int64) (*core.StampBatch, error) {
	var b core.StampBatch
	err := s.db.q.QueryRow(ctx, `
		SELECT id, facility_id, first_serial, first_serial + count - 1, count, pin, created_at
		FROM stamp_batches WHERE id = $1`, id).
		Scan(&b.ID, &b.FacilityID, &b.FirstSerial, &b.LastSerial, &b.Count, &b.PIN, &b.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "stamp batch %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find stamp batch %d: %w", id, err)
	}
	return &b, nil
}

func (s *StampService) FindBatches(ctx context.Context, facilityID int64) ([]*core.StampBatch, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT id, facility_id, first_serial, first_serial + count - 1, count, pin, created_at
		FROM stamp_batches WHERE facility_id = $1 ORDER BY id DESC`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("find batches of facility %d: %w", facilityID, err)
	}
	batches, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.StampBatch, error) {
		var b core.StampBatch
		return &b, row.Scan(&b.ID, &b.FacilityID, &b.FirstSerial, &b.LastSerial, &b.Count, &b.PIN, &b.CreatedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("find batches of facility %d: %w", facilityID, err)
	}
	return batches, nil
}

func (s *StampService) EachStampOfBatch(ctx context.Context, batchID int64, fn func(core.Stamp) error) error {
	b, err := s.FindBatchByID(ctx, batchID)
	if err != nil {
		return err
	}
	keys, err := s.db.keys(ctx) // before the rows hold a connection
	if err != nil {
		return err
	}
	rows, err := s.db.q.Query(ctx, `
		SELECT serial, code FROM stamps
		WHERE facility_id = $1 AND serial BETWEEN $2 AND $3 ORDER BY serial`,
		b.FacilityID, b.FirstSerial, b.LastSerial)
	if err != nil {
		return fmt.Errorf("stamps of batch %d: %w", batchID, err)
	}
	defer rows.Close()
	st := core.Stamp{FacilityID: b.FacilityID}
	_, err = pgx.ForEachRow(rows, []any{&st.Serial, &st.Code}, func() error {
		if b.PIN {
			st.PIN = keys.pin(st.Code)
		}
		return fn(st)
	})
	if err != nil {
		return fmt.Errorf("stamps of batch %d: %w", batchID, err)
	}
	return nil
}

func (s *StampService) FindStamps(ctx context.Context, facilityID int64, r core.SerialRange) ([]*core.StampInfo, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	keys, err := s.db.keys(ctx) // before the rows hold a connection
	if err != nil {
		return nil, err
	}
	rows, err := s.db.q.Query(ctx, `
		SELECT facility_id, serial, code, state, lot_id, has_pin FROM stamps
		WHERE facility_id = $1 AND serial BETWEEN $2 AND $3 ORDER BY serial`, facilityID, r.From, r.To)
	if err != nil {
		return nil, fmt.Errorf("find stamps %d-%d: %w", r.From, r.To, err)
	}
	stamps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.StampInfo, error) {
		var st core.StampInfo
		var hasPIN bool
		err := row.Scan(&st.FacilityID, &st.Serial, &st.Code, &st.State, &st.LotID, &hasPIN)
		if hasPIN {
			st.PIN = keys.pin(st.Code)
		}
		return &st, err
	})
	if err != nil {
		return nil, fmt.Errorf("find stamps %d-%d: %w", r.From, r.To, err)
	}
	return stamps, nil
}
