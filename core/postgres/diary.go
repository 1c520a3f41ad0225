package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// DiaryService implements core.DiaryService.
type DiaryService struct{ db *DB }

// NewDiaryService returns the diary service on db.
func NewDiaryService(db *DB) *DiaryService { return &DiaryService{db} }

var _ core.DiaryService = (*DiaryService)(nil)

const entryColumns = `e.id, e.facility_id, e.lot_id, l.code, e.step, e.happened_at,
	e.quantity::text, e.unit, e.note, e.photo_refs, e.latitude, e.longitude,
	e.member_id, e.channel, coalesce(e.message_ref, ''), e.created_at`

func scanEntry(row pgx.Row) (*core.DiaryEntry, error) {
	var (
		e             core.DiaryEntry
		qty, unit     *string
		latitude, lon *float64
	)
	err := row.Scan(&e.ID, &e.FacilityID, &e.LotID, &e.LotCode, &e.Step, &e.HappenedAt,
		&qty, &unit, &e.Note, &e.Photos, &latitude, &lon,
		&e.MemberID, &e.Channel, &e.MessageRef, &e.CreatedAt)
	if err != nil {
		return nil, err
	}
	if e.Quantity, err = storedQuantity(qty, unit); err != nil {
		return nil, err
	}
	if latitude != nil && lon != nil {
		e.Location = &core.Location{Lat: *latitude, Lon: *lon}
	}
	return &e, nil
}

func (s *DiaryService) RecordEntry(ctx context.Context, actor *core.Member, e *core.DiaryEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx pgx.Tx) error {
		lot, err := findLotByCode(ctx, tx, actor.FacilityID, e.LotCode)
		if err != nil {
			return err
		}
		if err := lot.CheckOpen(); err != nil {
			return err
		}
		e.FacilityID, e.LotID, e.LotCode, e.MemberID = lot.FacilityID, lot.ID, lot.Code, actor.ID
		qty, unit := quantityArgs(e.Quantity)
		var lat, lon any
		if e.Location != nil {
			lat, lon = e.Location.Lat, e.Location.Lon
		}
		claimed, err := gatherAlbum(ctx, tx, e)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO diary_entries (facility_id, lot_id, step, happened_at, quantity, unit, note,
				photo_refs, latitude, longitude, member_id, channel, message_ref)
			VALUES ($1, $2, $3, coalesce($4, now()), $5::numeric, $6, $7,
				$8, $9, $10, $11, $12, nullif($13, ''))
			RETURNING happened_at, created_at, id`,
			e.FacilityID, e.LotID, e.Step, nullTime(e.HappenedAt), qty, unit, e.Note,
			photoRefs(e.Photos), lat, lon, e.MemberID, e.Channel, e.MessageRef,
		).Scan(&e.HappenedAt, &e.CreatedAt, &e.ID)
		if err != nil {
			return domainError("diary entry", err)
		}
		if claimed {
			return claimAlbum(ctx, tx, e.Album, e.ID)
		}
		return nil
	})
}

func (s *DiaryService) UndoLastEntry(ctx context.Context, actor *core.Member) (*core.DiaryEntry, error) {
	var entry *core.DiaryEntry
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		entry, err = scanEntry(tx.QueryRow(ctx, `
			WITH last AS (
				SELECT id FROM diary_entries
				WHERE member_id = $1 AND undone_at IS NULL
				  AND created_at > now() - make_interval(secs => $2)
				ORDER BY created_at DESC, id DESC LIMIT 1
				FOR UPDATE
			)
			UPDATE diary_entries e SET undone_at = now()
			FROM last, lots l
			WHERE e.id = last.id AND l.id = e.lot_id
			RETURNING `+entryColumns, actor.ID, core.UndoWindow.Seconds()))
		if errors.Is(err, pgx.ErrNoRows) {
			return core.Errorf(core.ENOTFOUND, "member %d has no entry of the last %s to undo", actor.ID, core.UndoWindow)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("undo last entry: %w", err)
	}
	return entry, nil
}

func (s *DiaryService) UndoEntry(ctx context.Context, facilityID, entryID int64, reason string) (*core.DiaryEntry, error) {
	entry, err := scanEntry(s.db.q.QueryRow(ctx, `
		UPDATE diary_entries e SET undone_at = now(), undo_reason = $3
		FROM lots l
		WHERE e.id = $1 AND e.facility_id = $2 AND e.undone_at IS NULL AND l.id = e.lot_id
		RETURNING `+entryColumns, entryID, facilityID, reason))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "facility %d has no entry %d to undo", facilityID, entryID)
	}
	if err != nil {
		return nil, domainError("undo entry", err)
	}
	return entry, nil
}

func (s *DiaryService) LocateLastEntry(ctx context.Context, actor *core.Member, loc core.Location) (*core.DiaryEntry, error) {
	if err := loc.Check(); err != nil {
		return nil, err
	}
	entry, err := scanEntry(s.db.q.QueryRow(ctx, `
		WITH last AS (
			SELECT id FROM diary_entries
			WHERE member_id = $1 AND undone_at IS NULL
			  AND created_at > now() - make_interval(secs => $2)
			ORDER BY created_at DESC, id DESC LIMIT 1
			FOR UPDATE
		)
		UPDATE diary_entries e SET latitude = $3, longitude = $4
		FROM last, lots l
		WHERE e.id = last.id AND l.id = e.lot_id AND e.latitude IS NULL
		RETURNING `+entryColumns, actor.ID, core.LocateWindow.Seconds(), loc.Lat, loc.Lon))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "member %d has no entry of the last %s without a location", actor.ID, core.LocateWindow)
	}
	if err != nil {
		return nil, fmt.Errorf("locate last entry: %w", err)
	}
	return entry, nil
}

func (s *DiaryService) FindEntries(ctx context.Context, lotID int64) ([]*core.DiaryEntry, error) {
	rows, err := s.db.q.Query(ctx, `
		SELECT `+entryColumns+` FROM diary_entries e JOIN lots l ON l.id = e.lot_id
		WHERE e.lot_id = $1 AND e.undone_at IS NULL
		ORDER BY e.happened_at, e.id`, lotID)
	if err != nil {
		return nil, fmt.Errorf("find entries of lot %d: %w", lotID, err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*core.DiaryEntry, error) {
		return scanEntry(row)
	})
	if err != nil {
		return nil, fmt.Errorf("find entries of lot %d: %w", lotID, err)
	}
	return entries, nil
}

func (s *DiaryService) FindEntry(ctx context.Context, id int64) (*core.DiaryEntry, error) {
	e, err := scanEntry(s.db.q.QueryRow(ctx, `
		SELECT `+entryColumns+` FROM diary_entries e JOIN lots l ON l.id = e.lot_id
		WHERE e.id = $1 AND e.undone_at IS NULL`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, core.Errorf(core.ENOTFOUND, "diary entry %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find diary entry %d: %w", id, err)
	}
	return e, nil
}
