-- A diary entry keeps every photo sent with it: an MMS carries up to ten,
-- and a Telegram album comes as one message per photo, in any order, with
-- its caption on only one of them. album_photos holds an album's messages
-- until an entry takes them; it matters for minutes and is pruned daily.

-- +goose Up
ALTER TABLE diary_entries
    ADD COLUMN photo_refs text[] NOT NULL DEFAULT '{}'
        CHECK (cardinality(photo_refs) <= 10 AND array_position(photo_refs, NULL) IS NULL);
UPDATE diary_entries SET photo_refs = ARRAY[photo_ref] WHERE photo_ref IS NOT NULL;
ALTER TABLE diary_entries DROP COLUMN photo_ref;

CREATE TABLE album_photos (
    urn         text NOT NULL CHECK (length(urn) BETWEEN 3 AND 200),
    album       text NOT NULL CHECK (length(album) BETWEEN 1 AND 200),
    message_ref text NOT NULL CHECK (length(message_ref) BETWEEN 1 AND 200),
    photo_ref   text CHECK (length(photo_ref) BETWEEN 1 AND 500),
    entry_id    bigint REFERENCES diary_entries (id) ON DELETE SET NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (urn, album, message_ref)
);
CREATE INDEX album_photos_received_idx ON album_photos (received_at);

-- +goose Down
DROP TABLE album_photos;
ALTER TABLE diary_entries ADD COLUMN photo_ref text CHECK (length(photo_ref) <= 500);
UPDATE diary_entries SET photo_ref = photo_refs[1];
ALTER TABLE diary_entries DROP COLUMN photo_refs;
