package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"tracegate/core"
)

// The messages of an album are taken one at a time under a lock on the
// album, held to the end of the transaction that handles each: whichever
// comes first, and to whichever process, the one with the caption finds
// the photos before it and the photos after it find its entry.

func (s *DiaryService) AddToAlbum(ctx context.Context, key core.AlbumKey, p core.AlbumPhoto) (*core.Album, error) {
	if key.IsZero() {
		return nil, core.Errorf(core.EINVALID, "no album")
	}
	album := &core.Album{}
	err := s.db.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockAlbum(ctx, tx, key); err != nil {
			return err
		}
		var entryID *int64
		err := tx.QueryRow(ctx, `
			SELECT count(*), max(entry_id) FROM album_photos
			WHERE urn = $1 AND album = $2 AND message_ref <> $3`,
			key.URN, key.Group, p.MessageRef).Scan(&album.Before, &entryID)
		if err != nil {
			return err
		}
		if entryID != nil {
			album.EntryID = *entryID
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO album_photos (urn, album, message_ref, photo_ref, entry_id)
			VALUES ($1, $2, $3, nullif($4, ''), $5)
			ON CONFLICT DO NOTHING`, key.URN, key.Group, p.MessageRef, p.Photo, entryID)
		if err != nil {
			return domainError("album photo", err)
		}
		if entryID == nil || p.Photo == "" {
			return nil
		}
		return addToEntry(ctx, tx, key, *entryID)
	})
	if err != nil {
		return nil, fmt.Errorf("add to album %s of %s: %w", key.Group, key.URN, err)
	}
	return album, nil
}

func lockAlbum(ctx context.Context, tx pgx.Tx, key core.AlbumKey) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 2))`, string(key.URN)+" "+key.Group)
	return err
}

// gatherAlbum adds to e the photos its album has so far, and reports
// whether e takes the album: it does unless an entry took it before.
func gatherAlbum(ctx context.Context, tx pgx.Tx, e *core.DiaryEntry) (bool, error) {
	if e.Album.IsZero() {
		return false, nil
	}
	if err := lockAlbum(ctx, tx, e.Album); err != nil {
		return false, err
	}
	album, taken, err := albumPhotos(ctx, tx, e.Album)
	if err != nil || taken {
		return false, err
	}
	e.Photos = withAlbum(e.Photos, album)
	return true, nil
}

// addToEntry puts the album's photos on the entry that took it in the
// album's order, whatever order they came in.
func addToEntry(ctx context.Context, tx pgx.Tx, key core.AlbumKey, entryID int64) error {
	album, _, err := albumPhotos(ctx, tx, key)
	if err != nil {
		return err
	}
	var photos []string
	if err := tx.QueryRow(ctx, `SELECT photo_refs FROM diary_entries WHERE id = $1 FOR UPDATE`, entryID).Scan(&photos); err != nil {
		return err
	}
	own := slices.DeleteFunc(photos, func(ref string) bool { return slices.Contains(album, ref) })
	_, err = tx.Exec(ctx, `UPDATE diary_entries SET photo_refs = $2 WHERE id = $1`, entryID, withAlbum(own, album))
	return err
}

// albumPhotos are an album's photos in its order, and whether an entry
// took it.
func albumPhotos(ctx context.Context, tx pgx.Tx, key core.AlbumKey) (photos []string, taken bool, err error) {
	// Telegram numbers an album's updates in the order of its photos;
	// shorter numbers first keeps that order in text.
	err = tx.QueryRow(ctx, `
		SELECT coalesce(array_agg(photo_ref ORDER BY length(message_ref), message_ref)
		                FILTER (WHERE photo_ref IS NOT NULL), '{}'),
		       coalesce(bool_or(entry_id IS NOT NULL), false)
		FROM album_photos WHERE urn = $1 AND album = $2`, key.URN, key.Group).Scan(&photos, &taken)
	return photos, taken, err
}

// withAlbum is an entry's own photos, then its album's, each once and at
// most core.MaxPhotos.
func withAlbum(own, album []string) []string {
	photos := slices.Clone(own)
	for _, ref := range album {
		if len(photos) < core.MaxPhotos && !slices.Contains(photos, ref) {
			photos = append(photos, ref)
		}
	}
	return photos
}

func claimAlbum(ctx context.Context, tx pgx.Tx, key core.AlbumKey, entryID int64) error {
	_, err := tx.Exec(ctx, `UPDATE album_photos SET entry_id = $3 WHERE urn = $1 AND album = $2`,
		key.URN, key.Group, entryID)
	return err
}

// photoRefs is never nil: the column is NOT NULL.
func photoRefs(refs []string) []string {
	if refs == nil {
		return []string{}
	}
	return refs
}
